// GRE (RFC 2784/2890) and PPTP's enhanced GRE (RFC 2637) over IPv4 or IPv6: the payload is
// followed when it is IPv4, IPv6, Ethernet (transparent bridging, ERSPAN types I-III), PPP or
// WCCP-redirected IPv4.
#ifndef MCPCAP_BACKEND_DISSECT_GRE_H_
#define MCPCAP_BACKEND_DISSECT_GRE_H_

#include "backend/dissect/packet.h"
#include "backend/dissect/tunnel.h"

namespace mcpcap {

// True when `outer` is a whole (unfragmented) GRE packet carrying one of those payloads.
bool FindGreTunnelPayload(const DecodedPacket& outer, TunnelPayload* inner);

// The same for the bytes of a GRE header and its payload (e.g. GRE-in-UDP, RFC 8086).
bool FindGrePayload(Bytes gre, TunnelPayload* inner);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_DISSECT_GRE_H_
