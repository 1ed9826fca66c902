#include "tools/gencap/hosts.h"

namespace mcpcap::gencap {
namespace {

// Vendor prefixes (Apple, Dell, Intel, Raspberry Pi, HP) so MACs look like real NICs.
constexpr uint8_t kOuis[][3] = {{0x3c, 0x22, 0xfb},
                                {0xf8, 0xbc, 0x12},
                                {0x00, 0x1b, 0x21},
                                {0xb8, 0x27, 0xeb},
                                {0x3c, 0xd9, 0x2b}};

Host MakeRouter() {
  Host h;
  const uint8_t mac[6] = {0x00, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e};
  for (int i = 0; i < 6; ++i) h.mac.b[i] = mac[i];
  h.v4 = IpAddr::V4(192, 168, 1, 1);
  h.v6 = IpAddr::V6({0x2a02, 0x8071, 0x04c0, 0x0001, 0, 0, 0, 1});
  return h;
}

}  // namespace

Host ClientHost(uint32_t index) {
  Host h;
  const uint8_t* oui = kOuis[index % 5];
  h.mac.b[0] = oui[0];
  h.mac.b[1] = oui[1];
  h.mac.b[2] = oui[2];
  h.mac.b[3] = static_cast<uint8_t>(0x40 + index * 7);
  h.mac.b[4] = static_cast<uint8_t>(index * 31);
  h.mac.b[5] = static_cast<uint8_t>(index);
  h.v4 = IpAddr::V4(192, 168, 1, static_cast<uint8_t>(10 + index));
  // SLAAC-like interface identifier derived from the MAC.
  h.v6 = IpAddr::V6(
      {0x2a02, 0x8071, 0x04c0, 0x0001, static_cast<uint16_t>(((oui[0] ^ 0x02) << 8) | oui[1]),
       static_cast<uint16_t>((oui[2] << 8) | 0xff), static_cast<uint16_t>(0xfe00 | h.mac.b[3]),
       static_cast<uint16_t>((h.mac.b[4] << 8) | h.mac.b[5])});
  return h;
}

const Host& Router() {
  static const Host router = MakeRouter();
  return router;
}

IpAddr RandomServer(Rng& rng, bool v6) {
  static const IpAddr kV4[] = {
      IpAddr::V4(142, 250, 185, 78),  IpAddr::V4(140, 82, 121, 4),   IpAddr::V4(20, 112, 250, 133),
      IpAddr::V4(52, 94, 236, 248),   IpAddr::V4(104, 16, 132, 229), IpAddr::V4(151, 101, 1, 69),
      IpAddr::V4(185, 199, 108, 153), IpAddr::V4(13, 107, 42, 14),   IpAddr::V4(17, 253, 144, 10),
      IpAddr::V4(34, 117, 59, 81),    IpAddr::V4(199, 232, 82, 132), IpAddr::V4(8, 47, 69, 8),
      IpAddr::V4(198, 51, 100, 23),   IpAddr::V4(203, 0, 113, 80),   IpAddr::V4(91, 198, 174, 192)};
  static const IpAddr kV6[] = {
      IpAddr::V6({0x2a00, 0x1450, 0x4001, 0x0828, 0, 0, 0, 0x200e}),
      IpAddr::V6({0x2606, 0x4700, 0, 0, 0, 0, 0x6810, 0x84e5}),
      IpAddr::V6({0x2a04, 0x4e42, 0, 0, 0, 0, 0, 0x0223}),
      IpAddr::V6({0x2620, 0x1ec, 0xc11, 0, 0, 0, 0, 0x200}),
      IpAddr::V6({0x2a03, 0x2880, 0xf12f, 0x0083, 0xface, 0xb00c, 0, 0x25de}),
      IpAddr::V6({0x2001, 0x67c, 0x1401, 0x20f0, 0, 0, 0, 1})};
  return v6 ? rng.Pick(kV6) : rng.Pick(kV4);
}

IpAddr RandomResolver(Rng& rng, bool v6) {
  static const IpAddr kV4[] = {IpAddr::V4(192, 168, 1, 1), IpAddr::V4(192, 168, 1, 1),
                               IpAddr::V4(192, 168, 1, 1), IpAddr::V4(8, 8, 8, 8),
                               IpAddr::V4(1, 1, 1, 1),     IpAddr::V4(9, 9, 9, 9)};
  static const IpAddr kV6[] = {IpAddr::V6({0x2001, 0x4860, 0x4860, 0, 0, 0, 0, 0x8888}),
                               IpAddr::V6({0x2606, 0x4700, 0x4700, 0, 0, 0, 0, 0x1111}),
                               IpAddr::V6({0x2a02, 0x8071, 0x04c0, 0x0001, 0, 0, 0, 1})};
  return v6 ? rng.Pick(kV6) : rng.Pick(kV4);
}

bool IsLan(const IpAddr& ip) {
  if (!ip.v6) return ip.b[0] == 192 && ip.b[1] == 168;
  for (int i = 0; i < 8; ++i) {
    if (ip.b[i] != Router().v6.b[i]) return false;
  }
  return true;
}

Mac BroadcastMac() {
  Mac m;
  for (uint8_t& b : m.b) b = 0xff;
  return m;
}

void SetRoutedLinks(const Mac& client, uint16_t vlan, LinkHeader* to_server,
                    LinkHeader* to_client) {
  to_server->src = client;
  to_server->dst = Router().mac;
  to_server->vlan = vlan;
  to_client->src = Router().mac;
  to_client->dst = client;
  to_client->vlan = vlan;
}

}  // namespace mcpcap::gencap
