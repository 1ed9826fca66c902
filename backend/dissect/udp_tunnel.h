// Tunnels carried by UDP that are cheap to follow: VXLAN (4789), GENEVE (6081), Teredo (3544),
// GRE-in-UDP (4754) and GTPv1-U (2152). Given an outer packet, finds the encapsulated frame so
// analyses see the inner traffic.
#ifndef MCPCAP_BACKEND_DISSECT_UDP_TUNNEL_H_
#define MCPCAP_BACKEND_DISSECT_UDP_TUNNEL_H_

#include <cstdint>

#include "backend/base/byte_reader.h"
#include "backend/dissect/packet.h"
#include "backend/dissect/tunnel.h"

namespace mcpcap {

// True when `outer` is a UDP tunnel packet whose payload holds a frame (then `inner` says
// what it is). Only well-formed headers are followed.
bool FindUdpTunnelPayload(const DecodedPacket& outer, TunnelPayload* inner);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_DISSECT_UDP_TUNNEL_H_
