#include "backend/dissect/ipv6.h"

#include <algorithm>

namespace mcpcap {
namespace {

constexpr size_t kFixedHeader = 40;

enum : uint8_t {
  kHopByHop = 0,
  kRouting = 43,
  kFragment = 44,
  kEsp = 50,
  kAh = 51,
  kNoNextHeader = 59,
  kDestinationOptions = 60,
};

bool IsExtensionHeader(uint8_t next) {
  return next == kHopByHop || next == kRouting || next == kFragment || next == kAh ||
         next == kDestinationOptions;
}

}  // namespace

bool DecodeIpv6(Bytes data, DecodedPacket* out, size_t* wire_payload_length) {
  if (data.size() < kFixedHeader) {
    out->anomalies.Add(Anomaly::kIpv6Truncated);
    return false;
  }
  const uint8_t* p = data.data();
  if (p[0] >> 4 != 6) {
    out->anomalies.Add(Anomaly::kIpv6BadVersion);
    return false;
  }
  IpInfo& ip = out->ip;
  const uint32_t first_word = LoadU32Be(p);
  const uint16_t payload_length = LoadU16Be(p + 4);
  ip.version = 6;
  ip.tos = static_cast<uint8_t>(first_word >> 20);
  ip.flow_label = first_word & 0xfffff;
  ip.protocol = p[6];
  ip.ttl = p[7];
  ip.src = IpAddress::V6(p + 8);
  ip.dst = IpAddress::V6(p + 24);
  ip.total_length = static_cast<uint16_t>(std::min<size_t>(kFixedHeader + payload_length, 0xffff));
  out->l3_kind = L3Kind::kIpv6;

  // Zero payload length means a jumbogram (RFC 2675) or offload: use what was captured.
  size_t claimed = payload_length == 0 ? data.size() : kFixedHeader + payload_length;
  if (claimed > data.size() && !out->anomalies.Has(Anomaly::kSnaplenTruncated)) {
    out->anomalies.Add(Anomaly::kIpv6PayloadLengthExceedsCapture);
  }
  // The chain lives within the claimed length and within the capture.
  ByteReader r(data.first(std::min(claimed, data.size())));
  r.Skip(kFixedHeader);

  bool decode_transport = true;
  while (IsExtensionHeader(ip.protocol)) {
    if (ip.extension_header_count == kMaxIpv6ExtensionHeaders) {
      out->anomalies.Add(Anomaly::kIpv6ExtensionChainTooLong);
      return false;
    }
    const size_t start = r.position();
    uint8_t next = 0, length_field = 0;
    if (!r.ReadU8(&next) || !r.ReadU8(&length_field)) {
      out->anomalies.Add(Anomaly::kIpv6ExtensionHeaderTruncated);
      return false;
    }
    size_t length = 0;
    if (ip.protocol == kFragment) {
      length = 8;
    } else if (ip.protocol == kAh) {
      length = (size_t{length_field} + 2) * 4;  // AH counts 4-byte words, less two
    } else {
      length = (size_t{length_field} + 1) * 8;
    }
    if (!r.Seek(start) || !r.Skip(length)) {
      out->anomalies.Add(Anomaly::kIpv6ExtensionHeaderTruncated);
      return false;
    }
    if (ip.protocol == kFragment) {
      const uint8_t* f = data.data() + start;
      const uint16_t offset_flags = LoadU16Be(f + 2);
      ip.has_fragment_header = true;
      ip.fragment_offset = static_cast<uint16_t>(offset_flags & 0xfff8);  // 8-byte units << 3
      ip.more_fragments = (offset_flags & 1) != 0;
      ip.id = LoadU32Be(f + 4);
      ip.is_fragment = ip.more_fragments || ip.fragment_offset != 0;
    }
    ++ip.extension_header_count;
    ip.protocol = next;
    // In a fragment the rest is fragment data, not headers; reassembly walks it.
    if (ip.is_fragment) {
      decode_transport = false;
      break;
    }
  }
  if (ip.protocol == kEsp || ip.protocol == kNoNextHeader) decode_transport = false;

  const size_t header_length = r.position();
  ip.header_length = static_cast<uint16_t>(std::min<size_t>(header_length, 0xffff));
  ip.payload = r.rest();
  *wire_payload_length = claimed - header_length;
  return decode_transport;
}

}  // namespace mcpcap
