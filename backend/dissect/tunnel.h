// Tunnels followed so that analyses see the inner traffic: UDP tunnels (udp_tunnel.h), GRE
// (gre.h) and IP-in-IP. Given an outer packet, finds the frame it carries and how to decode it.
#ifndef MCPCAP_BACKEND_DISSECT_TUNNEL_H_
#define MCPCAP_BACKEND_DISSECT_TUNNEL_H_

#include <cstdint>

#include "backend/base/byte_reader.h"
#include "backend/dissect/packet.h"

namespace mcpcap {

struct TunnelPayload {
  uint16_t link_type = 0;  // how to decode `frame` (LINKTYPE_*): Ethernet, raw IP or PPP
  Bytes frame;
};

// True when `outer` is a tunnel packet whose payload holds a frame (then `inner` says what it
// is). Only well-formed headers are followed.
bool FindTunnelPayload(const DecodedPacket& outer, TunnelPayload* inner);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_DISSECT_TUNNEL_H_
