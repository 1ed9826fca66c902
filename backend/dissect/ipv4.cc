#include "backend/dissect/ipv4.h"

#include <algorithm>

namespace mcpcap {

bool DecodeIpv4(Bytes data, DecodedPacket* out, size_t* wire_payload_length) {
  constexpr size_t kMinHeader = 20;
  if (data.size() < kMinHeader) {
    out->anomalies.Add(Anomaly::kIpv4Truncated);
    return false;
  }
  const uint8_t* p = data.data();
  if (p[0] >> 4 != 4) {
    out->anomalies.Add(Anomaly::kIpv4BadVersion);
    return false;
  }
  const size_t header_length = size_t{p[0] & 0x0fu} * 4;
  if (header_length < kMinHeader) {
    out->anomalies.Add(Anomaly::kIpv4BadHeaderLength);
    return false;
  }
  const uint16_t total_length = LoadU16Be(p + 2);
  // Zero is what TCP segmentation offload leaves in locally sent packets: use what we have.
  const size_t claimed = total_length == 0 ? data.size() : total_length;
  if (claimed < header_length) {
    out->anomalies.Add(Anomaly::kIpv4BadTotalLength);
    return false;
  }
  if (header_length > data.size()) {
    out->anomalies.Add(Anomaly::kIpv4Truncated);
    return false;
  }

  IpInfo& ip = out->ip;
  ip.version = 4;
  ip.tos = p[1];
  ip.total_length = total_length;
  ip.header_length = static_cast<uint16_t>(header_length);
  ip.id = LoadU16Be(p + 4);
  const uint16_t flags_offset = LoadU16Be(p + 6);
  ip.dont_fragment = (flags_offset & 0x4000) != 0;
  ip.more_fragments = (flags_offset & 0x2000) != 0;
  ip.fragment_offset = static_cast<uint16_t>((flags_offset & 0x1fff) * 8);
  ip.is_fragment = ip.more_fragments || ip.fragment_offset != 0;
  ip.ttl = p[8];
  ip.protocol = p[9];
  ip.src = IpAddress::V4(p + 12);
  ip.dst = IpAddress::V4(p + 16);
  out->l3_kind = L3Kind::kIpv4;

  // Past the capture: expected when the capture kept only a prefix, otherwise a bogus length.
  if (claimed > data.size() && !out->anomalies.Has(Anomaly::kSnaplenTruncated)) {
    out->anomalies.Add(Anomaly::kIpv4TotalLengthExceedsCapture);
  }
  const size_t end = std::min(claimed, data.size());  // drops Ethernet padding
  ip.payload = data.subspan(header_length, end - header_length);
  *wire_payload_length = claimed - header_length;
  return !ip.is_fragment;
}

}  // namespace mcpcap
