#include "backend/dissect/udp_tunnel.h"

#include "backend/dissect/gre.h"
#include "backend/dissect/link_layer.h"

namespace mcpcap {
namespace {

constexpr uint16_t kVxlanPort = 4789;
constexpr uint16_t kGenevePort = 6081;
constexpr uint16_t kTeredoPort = 3544;
constexpr uint16_t kGreInUdpPort = 4754;
constexpr uint16_t kGtpUserPort = 2152;
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

// GTPv1-U (3GPP TS 29.281): a G-PDU (type 0xff) carries a user IP packet after the 8-byte header,
// the optional sequence/N-PDU/next-extension word and any extension headers (4-byte units).
bool GtpUser(Bytes payload, TunnelPayload* inner) {
  constexpr uint8_t kGPdu = 0xff;
  constexpr uint8_t kExtension = 0x04, kOptionalWord = 0x07;
  if (payload.size() < 8 || (payload[0] >> 5) != 1 || (payload[0] & 0x10) == 0) return false;
  if (payload[1] != kGPdu) return false;
  size_t off = 8;
  if ((payload[0] & kOptionalWord) != 0) {
    if (payload.size() < off + 4) return false;
    uint8_t next_type = (payload[0] & kExtension) != 0 ? payload[off + 3] : 0;
    off += 4;
    for (int headers = 0; next_type != 0; ++headers) {  // each: length, content, next type
      if (headers == 16 || payload.size() <= off || payload[off] == 0) return false;
      const size_t length = size_t{payload[off]} * 4;
      if (payload.size() < off + length) return false;
      next_type = payload[off + length - 1];
      off += length;
    }
  }
  if (payload.size() <= off) return false;
  const uint8_t version = payload[off] >> 4;
  if (version != 4 && version != 6) return false;
  *inner = {kLinkTypeRaw, payload.subspan(off)};
  return true;
}

}  // namespace

bool FindUdpTunnelPayload(const DecodedPacket& outer, TunnelPayload* inner) {
  if (outer.l4_kind != L4Kind::kUdp) return false;
  if (HasPort(outer, kVxlanPort)) return Vxlan(outer.payload, inner);
  if (HasPort(outer, kGenevePort)) return Geneve(outer.payload, inner);
  if (HasPort(outer, kTeredoPort)) return Teredo(outer.payload, inner);
  if (HasPort(outer, kGreInUdpPort)) return FindGrePayload(outer.payload, inner);
  if (HasPort(outer, kGtpUserPort)) return GtpUser(outer.payload, inner);
  return false;
}

}  // namespace mcpcap
