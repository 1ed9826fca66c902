#include "backend/dissect/udp_tunnel.h"

#include "backend/dissect/gre.h"
#include "backend/dissect/link_layer.h"

namespace mcpcap {
namespace {

constexpr uint16_t kVxlanPort = 4789;
constexpr uint16_t kGenevePort = 6081;
constexpr uint16_t kTeredoPort = 3544;
constexpr uint16_t kGreInUdpPort = 4754;
constexpr uint16_t kEtherTypeTransparentBridging = 0x6558;

bool HasPort(const DecodedPacket& p, uint16_t port) {
  return p.dst_port == port || p.src_port == port;
}

// RFC 7348: 8-byte header whose flags must have the I bit (valid VNI) set.
bool Vxlan(Bytes payload, TunnelPayload* inner) {
  if (payload.size() < 8 + 14 || (payload[0] & 0x08) == 0) return false;
  *inner = {kLinkTypeEthernet, payload.subspan(8)};
  return true;
}

// RFC 8926: version 0, options length in 4-byte words, protocol type of the inner frame.
bool Geneve(Bytes payload, TunnelPayload* inner) {
  if (payload.size() < 8 || (payload[0] >> 6) != 0) return false;
  const size_t header = 8 + static_cast<size_t>(payload[0] & 0x3f) * 4;
  const uint16_t protocol = LoadU16Be(payload.data() + 2);
  if (payload.size() <= header) return false;
  if (protocol == kEtherTypeTransparentBridging) {
    *inner = {kLinkTypeEthernet, payload.subspan(header)};
    return true;
  }
  if (protocol == 0x0800 || protocol == 0x86dd) {
    *inner = {kLinkTypeRaw, payload.subspan(header)};
    return true;
  }
  return false;
}

// RFC 4380: an IPv6 packet, optionally after an authentication indicator (0x0001) and/or an
// origin indication (0x0000, 8 bytes).
bool Teredo(Bytes payload, TunnelPayload* inner) {
  size_t off = 0;
  if (payload.size() >= 4 && payload[0] == 0x00 && payload[1] == 0x01) {
    const size_t id_len = payload[2], auth_len = payload[3];
    off = 4 + id_len + auth_len + 8 + 1;  // + nonce and confirmation byte
  }
  if (payload.size() >= off + 8 && payload[off] == 0x00 && payload[off + 1] == 0x00) off += 8;
  if (payload.size() < off + 40 || (payload[off] >> 4) != 6) return false;
  *inner = {kLinkTypeIpv6, payload.subspan(off)};
  return true;
}

}  // namespace

bool FindUdpTunnelPayload(const DecodedPacket& outer, TunnelPayload* inner) {
  if (outer.l4_kind != L4Kind::kUdp) return false;
  if (HasPort(outer, kVxlanPort)) return Vxlan(outer.payload, inner);
  if (HasPort(outer, kGenevePort)) return Geneve(outer.payload, inner);
  if (HasPort(outer, kTeredoPort)) return Teredo(outer.payload, inner);
  if (HasPort(outer, kGreInUdpPort)) return FindGrePayload(outer.payload, inner);
  return false;
}

}  // namespace mcpcap
