// libFuzzer entry point for the Redis parser. The input is a conversation: the client's bytes, the
// marker "\xff\xfe\xfd\xfc", the server's bytes. Both sides go through a StreamFeeder in pieces
// whose sizes come from the input itself, alternating sides, with gaps, so that splits, pipelining
// and resynchronisation land everywhere. The events must respect the bounds of app_events.h.
#include <cstddef>
#include <cstdint>

#include "backend/payload/redis/redis_parser.h"
#include "tests/fuzz/payload_fuzz_driver.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mcpcap::payload::fuzz::RunConversation(mcpcap::payload::MakeRedisParser, data, size);
  return 0;
}
