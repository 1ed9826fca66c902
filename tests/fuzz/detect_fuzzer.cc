// libFuzzer entry point for protocol detection: the input's first bytes choose TCP or UDP, the
// ports and where the client's bytes end; every prefix the scan could present is judged, and the
// answer must be consistent (decided when final, a method for every protocol, confidence 0..1).
#include <cstddef>
#include <cstdint>

#include "backend/payload/detect/detect.h"

namespace {

void Check(const mcpcap::payload::DetectInput& input) {
  using mcpcap::payload::Protocol;
  const mcpcap::payload::Detection d = mcpcap::payload::DetectProtocol(input);
  if (input.final && !d.decided) __builtin_trap();
  if (d.confidence < 0 || d.confidence > 1) __builtin_trap();
  if ((d.protocol == Protocol::kUnknown) != d.detected_by.empty()) __builtin_trap();
  if (d.protocol != Protocol::kUnknown && d.confidence <= 0) __builtin_trap();
  if (d.protocol >= Protocol::kCount) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 6) return 0;
  mcpcap::payload::DetectInput input;
  input.ip_protocol = (data[0] & 1) ? 17 : 6;
  // Mostly the ports that change a verdict, sometimes any.
  static constexpr uint16_t kPorts[] = {0,    21,   22,   25,    53,  80,   110,   123,
                                        137,  143,  443,  546,   547, 3306, 5060,  5353,
                                        5432, 6379, 8080, 27017, 161, 5355, 40000, 2525};
  input.server_port = (data[1] & 0x80) ? static_cast<uint16_t>(data[1] << 8 | data[2])
                                       : kPorts[data[1] % (sizeof(kPorts) / sizeof(kPorts[0]))];
  input.client_port = static_cast<uint16_t>(50000 + data[3]);
  const mcpcap::Bytes rest(data + 5, size - 5);
  const size_t split = rest.empty() ? 0 : (data[4] * rest.size()) / 255;
  const mcpcap::Bytes client = rest.first(split);
  const mcpcap::Bytes server = rest.subspan(split);
  // The scan calls again as bytes arrive: a few growing prefixes of each side, then final.
  for (size_t step : {size_t{1}, size_t{3}, size_t{17}, size_t{4096}}) {
    input.client_bytes = client.first(step < client.size() ? step : client.size());
    input.server_bytes = server.first(step < server.size() ? step : server.size());
    input.final = false;
    Check(input);
  }
  input.final = true;
  Check(input);
  input.client_bytes = {};
  Check(input);
  input.client_bytes = client;
  input.server_bytes = {};
  Check(input);
  return 0;
}
