#include "backend/dissect/tunnel.h"

#include "backend/dissect/gre.h"
#include "backend/dissect/udp_tunnel.h"

namespace mcpcap {

bool FindTunnelPayload(const DecodedPacket& outer, TunnelPayload* inner) {
  return FindUdpTunnelPayload(outer, inner) || FindGreTunnelPayload(outer, inner);
}

}  // namespace mcpcap
