// Datagram sessions: DNS lookups (glibc-style A+AAAA pairs, other types, NXDOMAIN, the odd
// unanswered query), ICMP/ICMPv6 echo runs with the Linux ping payload, and DHCP DORA.
#include <cstdio>
#include <string>

#include "tools/gencap/app_payloads.h"
#include "tools/gencap/planners.h"

namespace mcpcap::gencap {
namespace {

uint16_t DnsType(Rng& rng) {
  const uint32_t r = rng.Below(100);
  if (r < 55) return dns_type::kA;
  if (r < 82) return dns_type::kAaaa;
  if (r < 88) return dns_type::kPtr;
  if (r < 94) return dns_type::kMx;
  return dns_type::kTxt;
}

std::string DnsName(Rng& rng, uint16_t qtype, bool nxdomain) {
  if (nxdomain) {
    static constexpr const char* kMissing[] = {"wpad.home.lan", "printer.home.lan",
                                               "old-intranet.corp.example.com",
                                               "api.staging-gone.example.org"};
    return rng.Pick(kMissing);
  }
  if (qtype == dns_type::kPtr) {
    // One draw per statement: argument evaluation order is unspecified, the output must not be.
    uint32_t octets[4];
    for (uint32_t& o : octets) o = rng.Range(1, 254);
    char name[64];
    std::snprintf(name, sizeof(name), "%u.%u.%u.%u.in-addr.arpa", octets[0], octets[1], octets[2],
                  octets[3]);
    return name;
  }
  std::string name = RandomDomainName(rng);
  if (qtype == dns_type::kMx || qtype == dns_type::kTxt) {
    const size_t dot = name.find('.');
    if (dot != std::string::npos && name.find('.', dot + 1) != std::string::npos) {
      name.erase(0, dot + 1);  // mail and TXT records live at the zone apex
    }
  }
  return name;
}

}  // namespace

void PlanDns(Rng& rng, const Host& client, bool v6, uint16_t vlan, Session* s) {
  s->transport = Transport::kUdp;
  const IpAddr resolver = RandomResolver(rng, v6);
  SetEndpoints(s, client, v6, resolver, EphemeralPort(rng), 53, vlan, rng);
  // A cache hit answers within the round trip; a miss adds the resolver's own lookups.
  uint64_t answer = RandomRtt(rng, IsLan(resolver));
  if (rng.Chance(0.3)) answer += Delay(rng, 5 * kMillis, 300 * kMillis);
  DnsExchange q;
  q.qtype = DnsType(rng);
  q.nxdomain = rng.Chance(0.04);
  q.name = DnsName(rng, q.qtype, q.nxdomain);
  q.edns = rng.Chance(0.6);
  q.id = static_cast<uint16_t>(rng.U32());
  const bool unanswered = rng.Chance(0.02);
  // glibc sends A and AAAA together from one socket, then reads both answers.
  if (q.qtype == dns_type::kA && !q.nxdomain && rng.Chance(0.4)) {
    DnsExchange q6 = q;
    q6.qtype = dns_type::kAaaa;
    q6.id = static_cast<uint16_t>(q.id + 1);
    AddDatagram(s, 0, 0, Store(s, [&](ByteWriter& w) { WriteDnsQuery(q, w); }));
    AddDatagram(s, 30 * kMicros, 0, Store(s, [&](ByteWriter& w) { WriteDnsQuery(q6, w); }));
    AddDatagram(s, answer, 1, Store(s, [&](ByteWriter& w) { WriteDnsResponse(q, rng, w); }));
    AddDatagram(s, 200 * kMicros, 1,
                Store(s, [&](ByteWriter& w) { WriteDnsResponse(q6, rng, w); }));
    return;
  }
  AddDatagram(s, 0, 0, Store(s, [&](ByteWriter& w) { WriteDnsQuery(q, w); }));
  if (unanswered) {  // glibc retries after its 5 s timeout, then gives up
    AddDatagram(s, 5 * kSeconds, 0, Store(s, [&](ByteWriter& w) { WriteDnsQuery(q, w); }));
    return;
  }
  AddDatagram(s, answer, 1, Store(s, [&](ByteWriter& w) { WriteDnsResponse(q, rng, w); }));
}

void PlanIcmpEcho(Rng& rng, const Host& client, bool v6, uint16_t vlan, Session* s) {
  s->transport = Transport::kIcmp;
  const IpAddr target = rng.Chance(0.2) ? (v6 ? Router().v6 : Router().v4) : RandomServer(rng, v6);
  SetEndpoints(s, client, v6, target, 0, 0, vlan, rng);
  s->icmp_id = static_cast<uint16_t>(rng.U32());
  // Linux ping: 8-byte timestamp, then bytes 0x10, 0x11, ... (56 bytes of data in all).
  const Stored data = Store(s, [&](ByteWriter& w) {
    w.U32(rng.Range(1700000000, 1800000000));
    w.U32(rng.Below(1000000));
    for (uint8_t b = 0x10; b < 0x10 + 48; ++b) w.U8(b);
  });
  const uint32_t count = rng.Chance(0.7) ? 4 : rng.Range(1, 10);
  const bool unreachable = rng.Chance(0.05);  // every request goes unanswered
  const uint64_t rtt = RandomRtt(rng, IsLan(target));
  uint64_t since_request = 1 * kSeconds;  // ping sends one request a second
  for (uint32_t seq = 1; seq <= count; ++seq) {
    AddDatagram(s, seq == 1 ? 0 : 1 * kSeconds - since_request, 0, data, seq);
    since_request = 0;
    if (!unreachable && !rng.Chance(0.03)) {
      const uint64_t jitter = rng.Below(static_cast<uint32_t>(rtt / 10 + 1));
      AddDatagram(s, rtt + jitter, 1, data, seq);
      since_request = rtt + jitter;
    }
  }
}

void PlanDhcp(Rng& rng, const Host& client, Session* s) {
  s->transport = Transport::kUdp;
  s->link[0] = {client.mac, BroadcastMac(), 0};
  s->link[1] = {Router().mac, BroadcastMac(), 0};
  s->src[0] = IpAddr::V4(0, 0, 0, 0);
  s->dst[0] = IpAddr::V4(255, 255, 255, 255);
  s->src[1] = Router().v4;
  s->dst[1] = s->dst[0];
  s->sport[0] = 68;
  s->dport[0] = 67;
  s->sport[1] = 67;
  s->dport[1] = 68;
  s->ttl[0] = 64;
  s->ttl[1] = 64;
  s->ip_id[0] = 0;
  s->ip_id[1] = static_cast<uint16_t>(rng.U32());

  DhcpExchange x;
  x.xid = rng.U32();
  x.client_mac = client.mac;
  x.offered = client.v4;
  x.server = Router().v4;
  x.router = Router().v4;
  static constexpr const char* kNames[] = {"laptop-", "iphone-", "desktop-", "printer-", "tv-"};
  x.hostname = rng.Pick(kNames);
  x.hostname += std::to_string(rng.Range(100, 999));
  // The server probes the address (ping) before offering it; the client requests at once.
  const uint64_t gaps[4] = {0, Delay(rng, 2 * kMillis, 500 * kMillis), 1 * kMillis,
                            Delay(rng, 1 * kMillis, 20 * kMillis)};
  const uint8_t types[4] = {dhcp_type::kDiscover, dhcp_type::kOffer, dhcp_type::kRequest,
                            dhcp_type::kAck};
  for (int i = 0; i < 4; ++i) {
    const uint8_t type = types[i];
    const uint8_t dir = (type == dhcp_type::kOffer || type == dhcp_type::kAck) ? 1 : 0;
    AddDatagram(s, gaps[i], dir, Store(s, [&](ByteWriter& w) { WriteDhcp(x, type, w); }));
  }
}

}  // namespace mcpcap::gencap
