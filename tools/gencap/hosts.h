// The simulated network: an office LAN (192.168.1.0/24 and a global IPv6 prefix) behind one
// router, talking to a fixed set of well-known-looking servers and resolvers.
#ifndef MCPCAP_TOOLS_GENCAP_HOSTS_H_
#define MCPCAP_TOOLS_GENCAP_HOSTS_H_

#include <cstdint>

#include "tools/gencap/frame_builder.h"
#include "tools/gencap/rng.h"

namespace mcpcap::gencap {

inline constexpr uint32_t kClientCount = 240;

struct Host {
  Mac mac;  // clients only; servers are reached through the router's MAC
  IpAddr v4;
  IpAddr v6;
};

Host ClientHost(uint32_t index);  // index < kClientCount
const Host& Router();             // 192.168.1.1, also the LAN's DNS and DHCP server
IpAddr RandomServer(Rng& rng, bool v6);
IpAddr RandomResolver(Rng& rng, bool v6);
Mac BroadcastMac();
bool IsLan(const IpAddr& ip);  // on our LAN (192.168.0.0/16, the LAN's IPv6 /64)

// Sets both directions' link headers for a client talking through the router; `vlan` 0 = none.
void SetRoutedLinks(const Mac& client, uint16_t vlan, LinkHeader* to_server, LinkHeader* to_client);

}  // namespace mcpcap::gencap

#endif  // MCPCAP_TOOLS_GENCAP_HOSTS_H_
