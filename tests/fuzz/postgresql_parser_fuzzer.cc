// libFuzzer entry point for the PostgreSQL parser. The input is a conversation: the client's
// bytes, the marker "\xff\xfe\xfd\xfc", the server's bytes (see payload_fuzz_driver.h). Both sides
// go through a StreamFeeder in pieces whose sizes come from the input, alternating sides, with
// gaps, so that splits, pipelined extended-protocol groups and resynchronisation land everywhere.
// Seeds: the client and server streams of the PostgreSQL captures in tests/analysis/payload/data
// and zeek's psql capture.
#include <cstddef>
#include <cstdint>

#include "backend/payload/postgresql/postgresql_parser.h"
#include "tests/fuzz/payload_fuzz_driver.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mcpcap::payload::fuzz::RunConversation(mcpcap::payload::MakePostgreSqlParser, data, size);
  return 0;
}
