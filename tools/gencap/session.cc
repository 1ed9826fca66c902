#include "tools/gencap/planners.h"

namespace mcpcap::gencap {

uint16_t EphemeralPort(Rng& rng) { return static_cast<uint16_t>(rng.Range(32768, 60999)); }

void SetEndpoints(Session* s, const Host& client, bool v6, const IpAddr& server, uint16_t cport,
                  uint16_t sport, uint16_t vlan, Rng& rng) {
  SetRoutedLinks(client.mac, vlan, &s->link[0], &s->link[1]);
  s->src[0] = v6 ? client.v6 : client.v4;
  s->dst[0] = server;
  s->src[1] = server;
  s->dst[1] = s->src[0];
  s->sport[0] = cport;
  s->dport[0] = sport;
  s->sport[1] = sport;
  s->dport[1] = cport;
  s->ttl[0] = rng.Chance(0.8) ? 64 : 128;  // Linux/macOS vs Windows clients
  const int initial_ttl = rng.Pick({64, 128, 255});
  s->ttl[1] = static_cast<uint8_t>(initial_ttl - static_cast<int>(rng.Range(4, 20)));  // hops away
  s->ip_id[0] = static_cast<uint16_t>(rng.U32());
  s->ip_id[1] = static_cast<uint16_t>(rng.U32());
}

void PlanSession(Rng& rng, Session* s) {
  s->steps.clear();
  s->payloads.clear();
  s->next = 0;
  const Host client = ClientHost(rng.Below(kClientCount));
  // Session shares, not packet shares: a TCP connection has ~50 packets, a DNS lookup 2, so
  // these give about 78% TCP, 16% DNS, 6% ICMP and 0.2% DHCP of the packets; 17% are IPv6
  // and 5% VLAN-tagged.
  const double kind = rng.Unit();
  if (kind < 0.005) {
    PlanDhcp(rng, client, s);
    return;
  }
  const bool v6 = rng.Chance(0.15);
  const uint16_t vlan = rng.Chance(0.06) ? rng.Pick({10, 20, 100}) : 0;
  if (kind < 0.12) {
    PlanTcp(rng, client, v6, vlan, s);
  } else if (kind < 0.82) {
    PlanDns(rng, client, v6, vlan, s);
  } else {
    PlanIcmpEcho(rng, client, v6, vlan, s);
  }
}

}  // namespace mcpcap::gencap
