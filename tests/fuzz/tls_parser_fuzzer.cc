// libFuzzer entry point for the TLS parser, driven through the real StreamFeeder by RunScript
// (payload_fuzz_driver.h): splits, both directions and gaps all come from the input.
#include <cstddef>
#include <cstdint>

#include "backend/payload/tls/tls_parser.h"
#include "tests/fuzz/payload_fuzz_driver.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mcpcap::payload::fuzz::RunScript(mcpcap::payload::MakeTlsParser, data, size);
  return 0;
}
