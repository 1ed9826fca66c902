#include "backend/dissect/icmp.h"

namespace mcpcap {
namespace {

// Shared layout: type(1) code(1) checksum(2), then 4 bytes whose meaning depends on the type
// (id/seq for echo, unused/MTU/pointer for errors), then the body.
// A header shorter than its type needs is still a message of that type from `least` bytes on:
// tshark shows ICMPv6 from its type byte, ICMP only from 6 bytes (its first read past the
// checksum comes before the message is listed), and we count what tshark counts.
void DecodeIcmpCommon(Bytes data, bool is_echo, bool is_error, size_t least, L4Kind kind,
                      Anomaly truncated, DecodedPacket* out) {
  const size_t needed = (is_echo || is_error) ? 8 : 4;
  IcmpInfo& icmp = out->icmp;
  if (data.size() < needed || data.size() < least) {
    out->anomalies.Add(truncated);
    if (data.size() < least) return;
    icmp.type = data[0];
    icmp.code = data.size() > 1 ? data[1] : 0;
    icmp.header_truncated = true;
    out->payload = data.subspan(data.size());
    out->l4_kind = kind;
    return;
  }
  icmp.type = data[0];
  icmp.code = data[1];
  icmp.is_echo = is_echo;
  icmp.is_error = is_error;
  if (is_echo) {
    icmp.id = LoadU16Be(data.data() + 4);
    icmp.seq = LoadU16Be(data.data() + 6);
  }
  out->payload = data.subspan(data.size() >= 8 ? 8 : 4);
  if (is_error) icmp.quoted = out->payload;
  out->l4_kind = kind;
}

}  // namespace

void DecodeIcmp(Bytes data, DecodedPacket* out) {
  const uint8_t type = data.empty() ? 0xff : data[0];
  const bool is_echo = type == 0 || type == 8;
  // Destination unreachable, source quench, redirect, time exceeded, parameter problem.
  const bool is_error = type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
  DecodeIcmpCommon(data, is_echo, is_error, 6, L4Kind::kIcmp, Anomaly::kIcmpTruncated, out);
}

void DecodeIcmpv6(Bytes data, DecodedPacket* out) {
  const uint8_t type = data.empty() ? 0 : data[0];
  const bool is_echo = type == 128 || type == 129;
  // Destination unreachable, packet too big, time exceeded, parameter problem.
  const bool is_error = type >= 1 && type <= 4;
  DecodeIcmpCommon(data, is_echo, is_error, 1, L4Kind::kIcmpv6, Anomaly::kIcmpv6Truncated, out);
}

}  // namespace mcpcap
