#include "backend/dissect/udp.h"

#include <algorithm>

namespace mcpcap {

void DecodeUdp(Bytes data, size_t wire_length, DecodedPacket* out) {
  constexpr size_t kHeader = 8;
  if (data.size() < kHeader || wire_length < kHeader) {
    out->anomalies.Add(Anomaly::kUdpTruncated);
    return;
  }
  const uint8_t* p = data.data();
  const uint16_t length = LoadU16Be(p + 4);
  // Zero is legal only for IPv6 jumbograms (RFC 2675); there the IP length rules.
  const size_t udp_length = length == 0 ? wire_length : length;
  if (udp_length < kHeader || udp_length > wire_length) {
    out->anomalies.Add(Anomaly::kUdpBadLength);
    return;
  }
  out->src_port = LoadU16Be(p);
  out->dst_port = LoadU16Be(p + 2);
  out->udp.length = length;
  out->l4_kind = L4Kind::kUdp;
  out->payload = data.subspan(kHeader, std::min(udp_length, data.size()) - kHeader);
}

}  // namespace mcpcap
