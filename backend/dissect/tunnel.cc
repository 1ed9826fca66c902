#include "backend/dissect/tunnel.h"

#include "backend/dissect/gre.h"
#include "backend/dissect/link_layer.h"
#include "backend/dissect/udp_tunnel.h"

namespace mcpcap {
namespace {

constexpr uint8_t kProtoIpInIp = 4;
constexpr uint8_t kProtoIpv6InIp = 41;

// IPv4-in-IP (RFC 2003) and IPv6-in-IP (RFC 4213, 6in4/4in6): the payload is the inner packet.
bool FindIpInIpPayload(const DecodedPacket& outer, TunnelPayload* inner) {
  if (outer.l4_kind != L4Kind::kOther || outer.payload.empty()) return false;
  if (outer.ip.protocol == kProtoIpInIp) {
    *inner = {kLinkTypeIpv4, outer.payload};
    return true;
  }
  if (outer.ip.protocol == kProtoIpv6InIp) {
    *inner = {kLinkTypeIpv6, outer.payload};
    return true;
  }
  return false;
}

}  // namespace

bool FindTunnelPayload(const DecodedPacket& outer, TunnelPayload* inner) {
  return FindUdpTunnelPayload(outer, inner) || FindGreTunnelPayload(outer, inner) ||
         FindIpInIpPayload(outer, inner);
}

}  // namespace mcpcap
