// libFuzzer entry point for the HTTP/1.x parser, driven through the real StreamFeeder by
// RunScript (payload_fuzz_driver.h): splits, both directions and gaps all come from the input.
#include <cstddef>
#include <cstdint>

#include "backend/payload/http/http_parser.h"
#include "tests/fuzz/payload_fuzz_driver.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mcpcap::payload::fuzz::RunScript(mcpcap::payload::MakeHttpParser, data, size);
  return 0;
}
