// GRE headers: which are followed to the frame they carry, and which are left alone.
#include "backend/dissect/gre.h"

#include <gtest/gtest.h>

#include "backend/dissect/decoder.h"
#include "tests/dissect/test_frames.h"

namespace mcpcap {
namespace {

using testing::Concat;
using testing::Frame;
using testing::Hex;
using testing::View;

const Frame kIpv4Udp = testing::IpOf(testing::Ipv4UdpFrame());
const Frame kEthernetIpv4 = testing::Ipv4UdpFrame();

// Decodes Ethernet/IPv4/GRE(`gre`) and asks for the tunnel payload.
bool Follow(const Frame& gre, TunnelPayload* inner, DecodedPacket* outer) {
  const Frame frame = testing::EthernetFrame(0x0800, testing::Ipv4Packet(47, gre));
  static Frame keep;  // the spans in *inner point into it
  keep = frame;
  DecodePacket(kLinkTypeEthernet, View(keep), outer);
  return FindGreTunnelPayload(*outer, inner);
}

// Enhanced GRE with sequence and acknowledgement numbers around a PPP frame.
Frame Pptp(const Frame& ppp) {
  Frame h = Hex("3081 880b 0000 1234 0000 0001 0000 0000");
  h[4] = static_cast<uint8_t>(ppp.size() >> 8);
  h[5] = static_cast<uint8_t>(ppp.size());
  return Concat({h, ppp});
}

TEST(Gre, FollowedPayloads) {
  struct Case {
    const char* name;
    Frame gre;
    uint16_t link_type;
  };
  const Case cases[] = {
      {"ipv4", Concat({Hex("0000 0800"), kIpv4Udp}), kLinkTypeIpv4},
      {"checksum key sequence",
       Concat({Hex("b000 86dd 0000 0000 0000 002a 0000 0007"),
               testing::IpOf(testing::Ipv6SynFrame())}),
       kLinkTypeIpv6},
      {"bridged ethernet", Concat({Hex("2000 6558 0000 0001"), kEthernetIpv4}), kLinkTypeEthernet},
      {"pptp", Pptp(Concat({Hex("ff03 0021"), kIpv4Udp})), kLinkTypePpp},
      {"erspan I", Concat({Hex("0000 88be"), kEthernetIpv4}), kLinkTypeEthernet},
      {"erspan II", Concat({Hex("1000 88be 0000 0001 1000 0001 0000 0000"), kEthernetIpv4}),
       kLinkTypeEthernet},
      {"erspan III",
       Concat({Hex("1000 22eb 0000 0001 2000 0002 0000 0000 0000 0000"), kEthernetIpv4}),
       kLinkTypeEthernet},
      {"wccp redirect header", Concat({Hex("0000 883e 0000 0000"), kIpv4Udp}), kLinkTypeIpv4},
      {"wccp without redirect header", Concat({Hex("0000 883e"), kIpv4Udp}), kLinkTypeIpv4},
      {"erspan III with sub-header",
       Concat({Hex("1000 22eb 0000 0001 2000 0002 0000 0000 0000 0001 0000 0000 0000 0000"),
               kEthernetIpv4}),
       kLinkTypeEthernet},
  };
  for (const Case& c : cases) {
    TunnelPayload inner;
    DecodedPacket outer;
    ASSERT_TRUE(Follow(c.gre, &inner, &outer)) << c.name;
    EXPECT_EQ(inner.link_type, c.link_type) << c.name;
    DecodedPacket decoded;
    DecodePacket(inner.link_type, inner.frame, &decoded);
    EXPECT_TRUE(decoded.ok()) << c.name;
    EXPECT_NE(decoded.l4_kind, L4Kind::kNone) << c.name;
  }
}

TEST(Gre, PptpPayloadLengthBoundsThePppFrame) {
  // The key's payload length (10) bounds the PPP frame even when more bytes follow.
  TunnelPayload inner;
  DecodedPacket outer;
  ASSERT_TRUE(
      Follow(Concat({Hex("3001 880b 000a 1234 0000 0001 ff03 0021"), kIpv4Udp}), &inner, &outer));
  EXPECT_EQ(inner.frame.size(), 10u);
}

TEST(Gre, NotFollowed) {
  const Frame not_followed[] = {
      Hex("0000 0800"),                                          // keepalive: nothing inside
      Concat({Hex("4000 0800 0000 0000"), kIpv4Udp}),            // source routing
      Concat({Hex("0000 8847"), kIpv4Udp}),                      // MPLS
      Hex("3081 880b 0000 1234 0000 0001 0000 0001"),            // PPTP acknowledgement only
      Concat({Hex("2001 0800 0000 0001"), kIpv4Udp}),            // version 1 that is not PPP
      Concat({Hex("0002 0800"), kIpv4Udp}),                      // unknown version
      Concat({Hex("1000 88be 0000 0001 2000"), kEthernetIpv4}),  // ERSPAN II with version 2
      Hex("b000 0800 0000"),                                     // cut inside the optional words
  };
  for (const Frame& gre : not_followed) {
    TunnelPayload inner;
    DecodedPacket outer;
    EXPECT_FALSE(Follow(gre, &inner, &outer)) << gre.size();
  }
  // Every prefix of a valid header is either followed within bounds or not at all.
  const Frame whole = Concat({Hex("b000 0800 0000 0000 0000 002a 0000 0007"), kIpv4Udp});
  for (size_t n = 0; n <= whole.size(); ++n) {
    TunnelPayload inner;
    DecodedPacket outer;
    if (Follow(Frame(whole.begin(), whole.begin() + n), &inner, &outer)) {
      EXPECT_GE(n, 17u);
    }
  }
}

TEST(Gre, InsideUdp) {
  // RFC 8086 GRE-in-UDP on port 4754: the GRE header is the UDP payload.
  const Frame gre = Concat({Hex("0000 0800"), kIpv4Udp});
  Frame udp = Concat({Hex("c000 1292 0000 0000"), gre});
  udp[4] = static_cast<uint8_t>(udp.size() >> 8);
  udp[5] = static_cast<uint8_t>(udp.size());
  static const Frame frame = testing::EthernetFrame(0x0800, testing::Ipv4Packet(17, udp));
  DecodedPacket outer;
  DecodePacket(kLinkTypeEthernet, View(frame), &outer);
  TunnelPayload inner;
  ASSERT_TRUE(FindTunnelPayload(outer, &inner));
  EXPECT_EQ(inner.link_type, kLinkTypeIpv4);
  EXPECT_EQ(inner.frame.size(), kIpv4Udp.size());
}

TEST(IpInIp, Ipv4AndIpv6InsideIp) {
  static const Frame v4_in_v6 = testing::EthernetFrame(0x86dd, testing::Ipv6Packet(4, kIpv4Udp));
  static const Frame v6_in_v4 = testing::EthernetFrame(
      0x0800, testing::Ipv4Packet(41, testing::IpOf(testing::Ipv6SynFrame())));
  for (const Frame* f : {&v4_in_v6, &v6_in_v4}) {
    DecodedPacket outer, decoded;
    DecodePacket(kLinkTypeEthernet, View(*f), &outer);
    TunnelPayload inner;
    ASSERT_TRUE(FindTunnelPayload(outer, &inner));
    DecodePacket(inner.link_type, inner.frame, &decoded);
    EXPECT_TRUE(decoded.ok());
    EXPECT_NE(decoded.l4_kind, L4Kind::kNone);
  }
}

TEST(Gre, FragmentedOuterPacketIsNotFollowed) {
  Frame ip = testing::Ipv4Packet(47, Concat({Hex("0000 0800"), kIpv4Udp}));
  ip[6] = 0x20;  // more fragments
  const Frame frame = testing::EthernetFrame(0x0800, ip);
  DecodedPacket outer;
  DecodePacket(kLinkTypeEthernet, View(frame), &outer);
  TunnelPayload inner;
  EXPECT_FALSE(FindGreTunnelPayload(outer, &inner));
}

}  // namespace
}  // namespace mcpcap
