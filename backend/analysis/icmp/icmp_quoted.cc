#include "backend/analysis/icmp/icmp_quoted.h"

#include "backend/dissect/decoder.h"

namespace mcpcap {

IcmpQuoted ParseIcmpQuoted(Bytes quoted) {
  IcmpQuoted q;
  DecodedPacket inner;
  // Claim the longest wire length: the quote is a cut copy, so lengths that run past it are
  // expected and must not stop the decoder.
  DecodePacket(kLinkTypeRaw, quoted, 65535, &inner);
  if (inner.l3_kind != L3Kind::kIpv4 && inner.l3_kind != L3Kind::kIpv6) return q;
  q.ok = true;
  q.src = inner.ip.src;
  q.dst = inner.ip.dst;
  q.protocol = inner.ip.protocol;
  q.ttl = inner.ip.ttl;
  if (inner.ip.fragment_offset != 0) return q;  // no transport header in a later fragment
  const Bytes l4 = inner.ip.payload;
  switch (q.protocol) {
    case 6:
    case 17:
    case 132:
    case 136:
      if (l4.size() >= 4) {
        q.has_ports = true;
        q.src_port = LoadU16Be(l4.data());
        q.dst_port = LoadU16Be(l4.data() + 2);
      }
      break;
    case 1:
    case 58: {
      if (l4.size() < 8) break;
      const uint8_t type = l4[0];
      const bool echo = q.protocol == 1 ? (type == 8 || type == 0) : (type == 128 || type == 129);
      if (!echo) break;
      q.has_echo = true;
      q.echo_id = LoadU16Be(l4.data() + 4);
      q.echo_seq = LoadU16Be(l4.data() + 6);
      break;
    }
    default:
      break;
  }
  return q;
}

}  // namespace mcpcap
