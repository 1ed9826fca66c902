#include "backend/dissect/link_layer.h"

#include <gtest/gtest.h>

#include "backend/dissect/decoder.h"
#include "backend/dissect/mpls.h"
#include "tests/dissect/test_frames.h"

namespace mcpcap {
namespace {

using testing::Concat;
using testing::Frame;
using testing::Hex;
using testing::View;

const Frame kIpv4Udp = testing::IpOf(testing::Ipv4UdpFrame());
const Frame kIpv6Syn = testing::IpOf(testing::Ipv6SynFrame());

TEST(LinkLayer, EthernetMacsAndEthertype) {
  Frame f = testing::EthernetFrame(0x0800, kIpv4Udp);
  DecodedPacket p;
  DecodePacket(kLinkTypeEthernet, View(f), &p);
  EXPECT_TRUE(p.ok());
  EXPECT_EQ(p.link_kind, LinkKind::kEthernet);
  EXPECT_TRUE(p.has_src_mac);
  EXPECT_TRUE(p.has_dst_mac);
  EXPECT_EQ(p.dst_mac.bytes[0], 0x02);
  EXPECT_EQ(p.dst_mac.bytes[5], 0x02);
  EXPECT_EQ(p.src_mac.bytes[5], 0x01);
  EXPECT_EQ(p.ethertype, 0x0800);
  EXPECT_EQ(p.l3_kind, L3Kind::kIpv4);
  EXPECT_EQ(p.l4_kind, L4Kind::kUdp);
}

TEST(LinkLayer, EthernetEveryTruncation) {
  Frame f = testing::Ipv4UdpFrame();
  for (size_t n = 0; n < 14; ++n) {
    DecodedPacket p;
    DecodePacket(kLinkTypeEthernet, View(f).first(n), &p);
    EXPECT_TRUE(p.anomalies.Has(Anomaly::kEthernetTruncated)) << n;
    EXPECT_EQ(p.l3_kind, L3Kind::kNone);
  }
}

TEST(LinkLayer, EthernetUnknownEthertypeAndArp) {
  DecodedPacket p;
  Frame other = testing::EthernetFrame(0x88cc, Hex("0102 0304"));  // LLDP
  DecodePacket(kLinkTypeEthernet, View(other), &p);
  EXPECT_TRUE(p.ok());
  EXPECT_EQ(p.l3_kind, L3Kind::kOther);
  EXPECT_EQ(p.ethertype, 0x88cc);

  Frame arp = testing::EthernetFrame(
      0x0806, Hex("0001 0800 0604 0001 0200 0000 0001 0a00 0001 0000 0000 0000 0a00 0002"));
  DecodePacket(kLinkTypeEthernet, View(arp), &p);
  EXPECT_TRUE(p.ok());
  EXPECT_EQ(p.l3_kind, L3Kind::kArp);

  Frame short_arp = testing::EthernetFrame(0x0806, Hex("0001 0800"));
  DecodePacket(kLinkTypeEthernet, View(short_arp), &p);
  EXPECT_TRUE(p.anomalies.Has(Anomaly::kArpTruncated));
  EXPECT_EQ(p.l3_kind, L3Kind::kNone);
}

TEST(LinkLayer, SingleVlanTag) {
  Frame f = testing::EthernetFrame(0x8100, Concat({Hex("a064 0800"), kIpv4Udp}));
  DecodedPacket p;
  DecodePacket(kLinkTypeEthernet, View(f), &p);
  EXPECT_TRUE(p.ok());
  ASSERT_EQ(p.vlan_count, 1);
  EXPECT_EQ(p.vlans[0].tpid, 0x8100);
  EXPECT_EQ(p.vlans[0].vid(), 100);
  EXPECT_EQ(p.vlans[0].pcp(), 5);
  EXPECT_FALSE(p.vlans[0].dei());
  EXPECT_EQ(p.ethertype, 0x0800);
  EXPECT_EQ(p.l4_kind, L4Kind::kUdp);
  EXPECT_EQ(p.dst_port, 5556);
}

TEST(LinkLayer, QinQStacks) {
  for (uint16_t outer : {0x88a8, 0x9100, 0x8100}) {
    Frame f = testing::EthernetFrame(outer, Concat({Hex("100a 8100 2014 86dd"), kIpv6Syn}));
    DecodedPacket p;
    DecodePacket(kLinkTypeEthernet, View(f), &p);
    EXPECT_TRUE(p.ok()) << outer;
    ASSERT_EQ(p.vlan_count, 2);
    EXPECT_EQ(p.vlans[0].tpid, outer);
    EXPECT_EQ(p.vlans[0].vid(), 10);
    EXPECT_TRUE(p.vlans[0].dei());
    EXPECT_EQ(p.vlans[1].tpid, 0x8100);
    EXPECT_EQ(p.vlans[1].vid(), 20);
    EXPECT_EQ(p.l4_kind, L4Kind::kTcp);
  }
}

TEST(LinkLayer, ThreeAndFourStackedTagsDecode) {
  // 802.1ad + 802.1Q + 802.1Q, and the 0x9100 / 0x9200 QinQ variants, down to the transport.
  for (uint16_t outer : {0x88a8, 0x9100, 0x9200}) {
    Frame f =
        testing::EthernetFrame(outer, Concat({Hex("000a 8100 0014 8100 001e 0800"), kIpv4Udp}));
    DecodedPacket p;
    DecodePacket(kLinkTypeEthernet, View(f), &p);
    EXPECT_TRUE(p.ok());
    ASSERT_EQ(p.vlan_count, 3);
    EXPECT_EQ(p.vlans[0].tpid, outer);
    EXPECT_EQ(p.vlans[2].vid(), 30);
    EXPECT_EQ(p.l4_kind, L4Kind::kUdp);
  }
  Frame four = testing::EthernetFrame(
      0x88a8, Concat({Hex("0001 8100 0002 8100 0003 8100 0004 86dd"), kIpv6Syn}));
  DecodedPacket p;
  DecodePacket(kLinkTypeEthernet, View(four), &p);
  EXPECT_EQ(p.vlan_count, 4);
  EXPECT_EQ(p.l4_kind, L4Kind::kTcp);
}

TEST(LinkLayer, TagsPastTheBoundAreAnAnomaly) {
  Frame tags;
  for (int i = 0; i < kMaxVlanTags; ++i) tags = Concat({tags, Hex("0001 8100")});
  Frame f = testing::EthernetFrame(0x8100, Concat({tags, Hex("0001 0800"), kIpv4Udp}));
  DecodedPacket p;
  DecodePacket(kLinkTypeEthernet, View(f), &p);
  EXPECT_TRUE(p.anomalies.Has(Anomaly::kVlanTooManyTags));
  EXPECT_EQ(p.vlan_count, kMaxVlanTags);
  EXPECT_EQ(p.l3_kind, L3Kind::kNone);
}

TEST(LinkLayer, TruncatedVlanTag) {
  Frame f = testing::EthernetFrame(0x8100, Concat({Hex("000a 8100 0014 08")}));
  for (size_t n = 14; n < f.size(); ++n) {
    DecodedPacket p;
    DecodePacket(kLinkTypeEthernet, View(f).first(n), &p);
    EXPECT_TRUE(p.anomalies.Has(Anomaly::kVlanTruncated)) << n;
    EXPECT_EQ(p.l3_kind, L3Kind::kNone);
  }
}

TEST(LinkLayer, NullLoopbackBothByteOrders) {
  struct Case {
    const char* family;
    L3Kind kind;
  };
  for (const Case& c : {Case{"02000000", L3Kind::kIpv4}, Case{"00000002", L3Kind::kIpv4},
                        Case{"18000000", L3Kind::kIpv6}, Case{"0000001c", L3Kind::kIpv6},
                        Case{"1e000000", L3Kind::kIpv6}, Case{"00000018", L3Kind::kIpv6}}) {
    const Frame& ip = c.kind == L3Kind::kIpv4 ? kIpv4Udp : kIpv6Syn;
    Frame f = Concat({Hex(c.family), ip});
    DecodedPacket p;
    DecodePacket(kLinkTypeNull, View(f), &p);
    EXPECT_TRUE(p.ok()) << c.family;
    EXPECT_EQ(p.link_kind, LinkKind::kNull);
    EXPECT_EQ(p.l3_kind, c.kind) << c.family;
    EXPECT_NE(p.l4_kind, L4Kind::kNone) << c.family;
  }
}

TEST(LinkLayer, NullUnknownFamilyAndTruncation) {
  Frame f = Concat({Hex("07000000"), kIpv4Udp});
  DecodedPacket p;
  DecodePacket(kLinkTypeNull, View(f), &p);
  EXPECT_TRUE(p.ok());
  EXPECT_EQ(p.l3_kind, L3Kind::kOther);
  for (size_t n = 0; n < 4; ++n) {
    DecodePacket(kLinkTypeNull, View(f).first(n), &p);
    EXPECT_TRUE(p.anomalies.Has(Anomaly::kNullTruncated));
  }
}

TEST(LinkLayer, OpenBsdLoopIsBigEndian) {
  Frame v6 = Concat({Hex("00000018"), kIpv6Syn});
  DecodedPacket p;
  DecodePacket(kLinkTypeLoop, View(v6), &p);
  EXPECT_EQ(p.l3_kind, L3Kind::kIpv6);
  // Little-endian AF_INET is not AF_INET in a big-endian field.
  Frame le = Concat({Hex("02000000"), kIpv4Udp});
  DecodePacket(kLinkTypeLoop, View(le), &p);
  EXPECT_EQ(p.l3_kind, L3Kind::kOther);
}

TEST(LinkLayer, RawIpVariants) {
  for (uint16_t lt : {kLinkTypeRaw, kLinkTypeRawAlt12, kLinkTypeRawAlt14}) {
    DecodedPacket p;
    DecodePacket(lt, View(kIpv4Udp), &p);
    EXPECT_EQ(p.l3_kind, L3Kind::kIpv4) << lt;
    EXPECT_EQ(p.link_kind, LinkKind::kRawIp);
    DecodePacket(lt, View(kIpv6Syn), &p);
    EXPECT_EQ(p.l3_kind, L3Kind::kIpv6) << lt;
    EXPECT_EQ(p.l4_kind, L4Kind::kTcp);
    Frame bad = kIpv4Udp;
    bad[0] = 0x55;
    DecodePacket(lt, View(bad), &p);
    EXPECT_TRUE(p.anomalies.Has(Anomaly::kRawIpBadVersion));
    DecodePacket(lt, Bytes(), &p);
    EXPECT_TRUE(p.anomalies.Has(Anomaly::kRawIpTruncated));
  }
  DecodedPacket p;
  DecodePacket(kLinkTypeIpv4, View(kIpv4Udp), &p);
  EXPECT_EQ(p.l3_kind, L3Kind::kIpv4);
  DecodePacket(kLinkTypeIpv6, View(kIpv6Syn), &p);
  EXPECT_EQ(p.l3_kind, L3Kind::kIpv6);
}

TEST(LinkLayer, RawIpVersionThatDisagreesWithTheLinkType) {
  // LINKTYPE_IPV4 holding IPv6 is decoded as IPv6 (Wireshark's IP dissector does the same),
  // LINKTYPE_IPV6 holding IPv4 is a bad version.
  DecodedPacket p;
  DecodePacket(kLinkTypeIpv4, View(kIpv6Syn), &p);
  EXPECT_TRUE(p.ok());
  EXPECT_EQ(p.l3_kind, L3Kind::kIpv6);
  EXPECT_EQ(p.l4_kind, L4Kind::kTcp);
  DecodePacket(kLinkTypeIpv6, View(kIpv6Syn).first(40), &p);
  EXPECT_EQ(p.l3_kind, L3Kind::kIpv6);
  Frame v4_padded = Concat({kIpv4Udp, Frame(40, 0)});
  DecodePacket(kLinkTypeIpv6, View(v4_padded), &p);
  EXPECT_TRUE(p.anomalies.Has(Anomaly::kIpv6BadVersion));
  EXPECT_EQ(p.l3_kind, L3Kind::kNone);
  // Neither 4 nor 6 where IPv4 was announced.
  Frame bad = kIpv4Udp;
  bad[0] = 0x55;
  DecodePacket(kLinkTypeIpv4, View(bad), &p);
  EXPECT_TRUE(p.anomalies.Has(Anomaly::kIpv4BadVersion));
}

TEST(LinkLayer, RawIpTruncatedHeaders) {
  // Every cut inside the network header is an anomaly and never reaches the transport.
  for (uint16_t lt : {kLinkTypeRaw, kLinkTypeRawAlt12, kLinkTypeRawAlt14, kLinkTypeIpv4}) {
    for (size_t n = 1; n < 20; ++n) {
      DecodedPacket p;
      DecodePacket(lt, View(kIpv4Udp).first(n), &p);
      EXPECT_TRUE(p.anomalies.Has(Anomaly::kIpv4Truncated)) << lt << " " << n;
      EXPECT_EQ(p.l4_kind, L4Kind::kNone);
    }
  }
  for (uint16_t lt : {kLinkTypeRaw, kLinkTypeIpv4, kLinkTypeIpv6}) {
    for (size_t n = 1; n < 40; ++n) {
      DecodedPacket p;
      DecodePacket(lt, View(kIpv6Syn).first(n), &p);
      EXPECT_TRUE(p.anomalies.Has(Anomaly::kIpv6Truncated)) << lt << " " << n;
      EXPECT_EQ(p.l4_kind, L4Kind::kNone);
    }
  }
}

// An NFLOG frame: header for `family`, a prefix TLV of odd length (padded), then the payload.
Frame Nflog(uint8_t family, const Frame& packet, bool big_endian) {
  auto u16 = [&](size_t v) {
    return big_endian ? Frame{static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v)}
                      : Frame{static_cast<uint8_t>(v), static_cast<uint8_t>(v >> 8)};
  };
  return Concat({Frame{family, 0, 0, 1}, u16(9), u16(10), Hex("6d63 7063 6170 0000"),
                 u16(4 + packet.size()), u16(9), packet});
}

TEST(LinkLayer, NflogWalksTlvsInEitherByteOrder) {
  for (bool big_endian : {false, true}) {
    DecodedPacket p;
    DecodePacket(kLinkTypeNflog, View(Nflog(2, kIpv4Udp, big_endian)), &p);
    EXPECT_TRUE(p.ok()) << big_endian;
    EXPECT_EQ(p.link_kind, LinkKind::kNflog);
    EXPECT_EQ(p.l4_kind, L4Kind::kUdp) << big_endian;
    DecodePacket(kLinkTypeNflog, View(Nflog(10, kIpv6Syn, big_endian)), &p);
    EXPECT_EQ(p.l3_kind, L3Kind::kIpv6) << big_endian;
    EXPECT_EQ(p.l4_kind, L4Kind::kTcp) << big_endian;
  }
}

TEST(LinkLayer, NflogUnknownFamilyTruncationAndMissingPayload) {
  DecodedPacket p;
  DecodePacket(kLinkTypeNflog, View(Nflog(7, kIpv4Udp, false)), &p);
  EXPECT_EQ(p.l3_kind, L3Kind::kOther);
  const Frame f = Nflog(2, kIpv4Udp, false);
  for (size_t n = 0; n < 4; ++n) {
    DecodePacket(kLinkTypeNflog, View(f).first(n), &p);
    EXPECT_TRUE(p.anomalies.Has(Anomaly::kNflogTruncated)) << n;
  }
  for (size_t n = 4; n < 20; ++n) {  // cut before the payload attribute's header ends
    DecodePacket(kLinkTypeNflog, View(f).first(n), &p);
    EXPECT_TRUE(p.anomalies.Has(Anomaly::kNflogNoPayload)) << n;
  }
  // A payload cut by the snapshot length gives what was captured.
  DecodePacket(kLinkTypeNflog, View(f).first(f.size() - 2), f.size(), &p);
  EXPECT_EQ(p.l4_kind, L4Kind::kUdp);
  // A zero length stops the walk instead of looping.
  DecodePacket(kLinkTypeNflog, View(Concat({Hex("0200 0001 0000 0900"), kIpv4Udp})), &p);
  EXPECT_TRUE(p.anomalies.Has(Anomaly::kNflogNoPayload));
}

TEST(LinkLayer, PppFramings) {
  struct Case {
    uint16_t link_type;
    Frame header;
    L3Kind kind;
  };
  const Case cases[] = {
      {kLinkTypePpp, Hex("ff03 0021"), L3Kind::kIpv4},
      {kLinkTypePpp, Hex("0021"), L3Kind::kIpv4},
      {kLinkTypePpp, Hex("21"), L3Kind::kIpv4},  // protocol field compression
      {kLinkTypePpp, Hex("ff03 57"), L3Kind::kIpv6},
      {kLinkTypePpp, Hex("ff03 c021"), L3Kind::kOther},  // LCP
      {kLinkTypePppHdlc, Hex("ff03 0057"), L3Kind::kIpv6},
      {kLinkTypePppHdlc, Hex("0f00 0800"), L3Kind::kIpv4},  // Cisco HDLC
      {kLinkTypeCiscoHdlc, Hex("8f00 86dd"), L3Kind::kIpv6},
      {kLinkTypePpp, Hex("ff03 0281 0001 41ff"), L3Kind::kIpv6},  // MPLS over PPP
  };
  for (const Case& c : cases) {
    const Frame f = Concat({c.header, c.kind == L3Kind::kIpv6 ? kIpv6Syn : kIpv4Udp});
    DecodedPacket p;
    DecodePacket(c.link_type, View(f), &p);
    EXPECT_TRUE(p.ok()) << c.link_type;
    EXPECT_EQ(p.link_kind, LinkKind::kPpp);
    EXPECT_EQ(p.l3_kind, c.kind) << c.link_type << " " << c.header.size();
    for (size_t n = 0; n < c.header.size() && c.kind != L3Kind::kOther; ++n) {
      DecodePacket(c.link_type, View(f).first(n), &p);
      EXPECT_NE(p.l3_kind, c.kind) << c.link_type << " " << n;
    }
  }
}

TEST(LinkLayer, MplsLabelStack) {
  // Two labels (the second at the bottom of the stack), inside a VLAN tag, then IPv4 / IPv6.
  Frame v4 =
      testing::EthernetFrame(0x8100, Concat({Hex("0064 8847 0001 40ff 0002 01ff"), kIpv4Udp}));
  DecodedPacket p;
  DecodePacket(kLinkTypeEthernet, View(v4), &p);
  EXPECT_TRUE(p.ok());
  EXPECT_EQ(p.l4_kind, L4Kind::kUdp);
  Frame v6 = testing::EthernetFrame(0x8847, Concat({Hex("0001 41ff"), kIpv6Syn}));
  DecodePacket(kLinkTypeEthernet, View(v6), &p);
  EXPECT_EQ(p.l4_kind, L4Kind::kTcp);
  // A pseudowire (first nibble 0) is not decoded further.
  Frame pw = testing::EthernetFrame(0x8847, Hex("0001 41ff 0000 0000"));
  DecodePacket(kLinkTypeEthernet, View(pw), &p);
  EXPECT_EQ(p.l3_kind, L3Kind::kOther);
  for (size_t n = 14; n < 18; ++n) {
    DecodePacket(kLinkTypeEthernet, View(v6).first(n), &p);
    EXPECT_TRUE(p.anomalies.Has(Anomaly::kMplsTruncated)) << n;
  }
  Frame deep;
  for (int i = 0; i < kMaxMplsLabels; ++i) deep = Concat({deep, Hex("0001 40ff")});
  Frame endless = testing::EthernetFrame(0x8847, Concat({deep, kIpv4Udp}));
  DecodePacket(kLinkTypeEthernet, View(endless), &p);
  EXPECT_TRUE(p.anomalies.Has(Anomaly::kMplsTooManyLabels));
}

TEST(LinkLayer, FddiWithSnap) {
  // Frame control, destination and source MACs, then LLC SNAP with Ethernet type IPv4.
  const Frame f = Concat({Hex("50 0200 0000 0002 0200 0000 0001 aaaa 03 000000 0800"), kIpv4Udp});
  DecodedPacket p;
  DecodePacket(kLinkTypeFddi, View(f), &p);
  EXPECT_TRUE(p.ok());
  EXPECT_EQ(p.link_kind, LinkKind::kFddi);
  EXPECT_EQ(p.l4_kind, L4Kind::kUdp);
  for (size_t n = 0; n < 21; ++n) {
    DecodePacket(kLinkTypeFddi, View(f).first(n), &p);
    EXPECT_NE(p.l3_kind, L3Kind::kIpv4) << n;
    if (n < 16) {
      EXPECT_TRUE(p.anomalies.Has(Anomaly::kFddiTruncated)) << n;
    }
  }
  // Plain LLC (no SNAP) names no network protocol.
  const Frame llc = Hex("50 0200 0000 0002 0200 0000 0001 4242 03 0000");
  DecodePacket(kLinkTypeFddi, View(llc), &p);
  EXPECT_EQ(p.l3_kind, L3Kind::kOther);
}

TEST(LinkLayer, IpOverInfiniband) {
  const Frame f = Concat({Frame(40, 0), Hex("86dd 0000"), kIpv6Syn});
  DecodedPacket p;
  DecodePacket(kLinkTypeIpoib, View(f), &p);
  EXPECT_TRUE(p.ok());
  EXPECT_EQ(p.link_kind, LinkKind::kIpoib);
  EXPECT_EQ(p.l4_kind, L4Kind::kTcp);
  DecodePacket(kLinkTypeIpoib, View(f).first(43), &p);
  EXPECT_TRUE(p.anomalies.Has(Anomaly::kIpoibTruncated));
}

TEST(LinkLayer, PppoeSessionInsideEthernet) {
  // Version/type 0x11, session data, session 0x0001, length; then PPP IPv4.
  Frame f = testing::EthernetFrame(0x8864, Concat({Hex("1100 0001 0000 0021"), kIpv4Udp}));
  DecodedPacket p;
  DecodePacket(kLinkTypeEthernet, View(f), &p);
  EXPECT_TRUE(p.ok());
  EXPECT_EQ(p.l4_kind, L4Kind::kUdp);
  DecodePacket(kLinkTypeEthernet, View(f).first(18), &p);
  EXPECT_TRUE(p.anomalies.Has(Anomaly::kPppTruncated));
}

TEST(LinkLayer, LinuxSll) {
  // Outgoing (4), ARPHRD_ETHER, 6-byte address 00:11:22:33:44:55, protocol IPv4.
  Frame f = Concat({Hex("0004 0001 0006 0011 2233 4455 0000 0800"), kIpv4Udp});
  DecodedPacket p;
  DecodePacket(kLinkTypeLinuxSll, View(f), &p);
  EXPECT_TRUE(p.ok());
  EXPECT_EQ(p.link_kind, LinkKind::kLinuxSll);
  EXPECT_EQ(p.sll_packet_type, 4);
  EXPECT_TRUE(p.has_src_mac);
  EXPECT_FALSE(p.has_dst_mac);
  EXPECT_EQ(p.src_mac.bytes[1], 0x11);
  EXPECT_EQ(p.src_mac.bytes[5], 0x55);
  EXPECT_EQ(p.l4_kind, L4Kind::kUdp);
  for (size_t n = 0; n < 16; ++n) {
    DecodePacket(kLinkTypeLinuxSll, View(f).first(n), &p);
    EXPECT_TRUE(p.anomalies.Has(Anomaly::kSllTruncated)) << n;
  }
  // A VLAN tag after the cooked header.
  Frame tagged = Concat({Hex("0000 0001 0006 0011 2233 4455 0000 8100 0005 86dd"), kIpv6Syn});
  DecodePacket(kLinkTypeLinuxSll, View(tagged), &p);
  EXPECT_TRUE(p.ok());
  EXPECT_EQ(p.vlan_count, 1);
  EXPECT_EQ(p.l4_kind, L4Kind::kTcp);
}

TEST(LinkLayer, LinuxSll2) {
  // Protocol IPv6, reserved, ifindex 2, ARPHRD_ETHER, packet type 0, address length 6.
  Frame f = Concat({Hex("86dd 0000 0000 0002 0001 0006 0a0b 0c0d 0e0f 0000"), kIpv6Syn});
  DecodedPacket p;
  DecodePacket(kLinkTypeLinuxSll2, View(f), &p);
  EXPECT_TRUE(p.ok());
  EXPECT_EQ(p.link_kind, LinkKind::kLinuxSll2);
  EXPECT_TRUE(p.has_src_mac);
  EXPECT_EQ(p.src_mac.bytes[0], 0x0a);
  EXPECT_EQ(p.l3_kind, L3Kind::kIpv6);
  EXPECT_EQ(p.l4_kind, L4Kind::kTcp);
  for (size_t n = 0; n < 20; ++n) {
    DecodePacket(kLinkTypeLinuxSll2, View(f).first(n), &p);
    EXPECT_TRUE(p.anomalies.Has(Anomaly::kSll2Truncated)) << n;
  }
  // Not an Ethernet address (ARPHRD_NONE, length 0): no MAC.
  Frame none = Concat({Hex("0800 0000 0000 0002 fffe 0000 0000 0000 0000 0000"), kIpv4Udp});
  DecodePacket(kLinkTypeLinuxSll2, View(none), &p);
  EXPECT_FALSE(p.has_src_mac);
  EXPECT_EQ(p.l4_kind, L4Kind::kUdp);
}

TEST(LinkLayer, UnsupportedLinkType) {
  Frame f = testing::Ipv4UdpFrame();
  DecodedPacket p;
  DecodePacket(127 /* radiotap */, View(f), &p);
  EXPECT_TRUE(p.anomalies.Has(Anomaly::kLinkTypeUnsupported));
  EXPECT_EQ(p.link_kind, LinkKind::kUnknown);
  EXPECT_EQ(p.l3_kind, L3Kind::kNone);
}

TEST(LinkLayer, SnaplenTruncatedNeedsWireLength) {
  Frame f = testing::Ipv6DataFrame();
  DecodedPacket p;
  DecodePacket(kLinkTypeEthernet, View(f), static_cast<uint32_t>(f.size()), &p);
  EXPECT_TRUE(p.ok());
  DecodePacket(kLinkTypeEthernet, View(f).first(f.size() - 3), static_cast<uint32_t>(f.size()), &p);
  EXPECT_TRUE(p.anomalies.Has(Anomaly::kSnaplenTruncated));
  // The IP length past the capture is explained by the snaplen: not reported on its own.
  EXPECT_FALSE(p.anomalies.Has(Anomaly::kIpv6PayloadLengthExceedsCapture));
  EXPECT_EQ(p.l4_kind, L4Kind::kTcp);
  EXPECT_EQ(p.payload.size(), 2u);
  // Without the wire length the same prefix is a bogus IP length.
  DecodePacket(kLinkTypeEthernet, View(f).first(f.size() - 3), &p);
  EXPECT_FALSE(p.anomalies.Has(Anomaly::kSnaplenTruncated));
  EXPECT_TRUE(p.anomalies.Has(Anomaly::kIpv6PayloadLengthExceedsCapture));
}

TEST(LinkLayer, DecoderResetsBetweenPackets) {
  DecodedPacket p;
  Frame tagged = testing::EthernetFrame(0x8100, Concat({Hex("0064 86dd"), kIpv6Syn}));
  DecodePacket(kLinkTypeEthernet, View(tagged), &p);
  ASSERT_EQ(p.tcp.options.has_mss, true);
  Frame f = testing::Ipv4UdpFrame();
  DecodePacket(kLinkTypeEthernet, View(f).first(5), &p);
  EXPECT_EQ(p.vlan_count, 0);
  EXPECT_FALSE(p.tcp.options.has_mss);
  EXPECT_EQ(p.l4_kind, L4Kind::kNone);
  EXPECT_TRUE(p.ip.src.empty());
}

}  // namespace
}  // namespace mcpcap
