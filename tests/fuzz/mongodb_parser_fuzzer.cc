// libFuzzer entry point for the MongoDB parser (and its BSON reader). The input is a
// conversation: the client's bytes, the marker "\xff\xfe\xfd\xfc", the server's bytes. Both sides
// go through a StreamFeeder in pieces whose sizes come from the input itself, alternating sides,
// with gaps. The events must respect the bounds of app_events.h.
#include <cstddef>
#include <cstdint>

#include "backend/payload/mongodb/bson.h"
#include "backend/payload/mongodb/mongodb_parser.h"
#include "tests/fuzz/payload_fuzz_driver.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mcpcap::payload::fuzz::RunConversation(mcpcap::payload::MakeMongoDbParser, data, size);
  // The whole input as one BSON document, too: the text writer walks every element.
  mcpcap::payload::BsonTextOptions options;
  options.max_depth = 1000;  // capped by kBsonMaxDepth
  const std::string text = mcpcap::payload::BsonToText(mcpcap::Bytes(data, size), options);
  if (text.size() > options.max_bytes) __builtin_trap();
  return 0;
}
