// IPv4 and IPv6 headers, extension-header chains and fragments.
#include <gtest/gtest.h>

#include "backend/dissect/decoder.h"
#include "tests/dissect/test_frames.h"

namespace mcpcap {
namespace {

using testing::Concat;
using testing::Frame;
using testing::Hex;
using testing::View;

DecodedPacket DecodeRaw(Frame ip) {
  DecodedPacket p;
  DecodePacket(kLinkTypeRaw, View(testing::KeepAlive(std::move(ip))), &p);
  return p;
}

TEST(Ipv4, Fields) {
  DecodedPacket p;
  Frame f = testing::Ipv4UdpFrame();
  DecodePacket(kLinkTypeEthernet, View(f), &p);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p.l3_kind, L3Kind::kIpv4);
  EXPECT_EQ(p.ip.version, 4);
  EXPECT_EQ(p.ip.src.ToString(), "127.0.0.1");
  EXPECT_EQ(p.ip.dst.ToString(), "127.0.0.1");
  EXPECT_EQ(p.ip.ttl, 64);
  EXPECT_EQ(p.ip.id, 0xa1ae);
  EXPECT_TRUE(p.ip.dont_fragment);
  EXPECT_FALSE(p.ip.more_fragments);
  EXPECT_FALSE(p.ip.is_fragment);
  EXPECT_EQ(p.ip.total_length, 32);
  EXPECT_EQ(p.ip.header_length, 20);
  EXPECT_EQ(p.ip.protocol, 17);
  EXPECT_EQ(p.ip.payload.size(), 12u);
}

TEST(Ipv4, EthernetPaddingIsNotPayload) {
  Frame f = Concat({testing::Ipv4UdpFrame(), Frame(20, 0xee)});
  DecodedPacket p;
  DecodePacket(kLinkTypeEthernet, View(f), &p);
  EXPECT_TRUE(p.ok());
  EXPECT_EQ(p.ip.payload.size(), 12u);
  ASSERT_EQ(p.payload.size(), 4u);
  EXPECT_EQ(p.payload[0], 'd');
}

TEST(Ipv4, BadVersion) {
  Frame ip = testing::IpOf(testing::Ipv4UdpFrame());
  ip[0] = 0x55;  // (version 6 is decoded as IPv6, as Wireshark does)
  Frame f = testing::EthernetFrame(0x0800, ip);
  DecodedPacket p;
  DecodePacket(kLinkTypeEthernet, View(f), &p);
  EXPECT_TRUE(p.anomalies.Has(Anomaly::kIpv4BadVersion));
  EXPECT_EQ(p.l3_kind, L3Kind::kNone);
  EXPECT_EQ(p.l4_kind, L4Kind::kNone);
}

TEST(Ipv4, BadHeaderLength) {
  Frame ip = testing::IpOf(testing::Ipv4UdpFrame());
  for (uint8_t ihl = 0; ihl < 5; ++ihl) {
    ip[0] = static_cast<uint8_t>(0x40 | ihl);
    DecodedPacket p = DecodeRaw(ip);
    EXPECT_TRUE(p.anomalies.Has(Anomaly::kIpv4BadHeaderLength)) << int{ihl};
    EXPECT_EQ(p.l3_kind, L3Kind::kNone);
  }
  // IHL 15 (60 bytes) but total length 32: the header cannot fit.
  ip[0] = 0x4f;
  DecodedPacket p = DecodeRaw(ip);
  EXPECT_TRUE(p.anomalies.Has(Anomaly::kIpv4BadTotalLength));
  EXPECT_EQ(p.l4_kind, L4Kind::kNone);
}

TEST(Ipv4, OptionsAreSkipped) {
  // IHL 6 with a 4-byte option (router alert), then UDP.
  Frame ip = testing::Ipv4Packet(17, Concat({Hex("9404 0000"), Hex("0035 0035 0009 0000 ff")}));
  ip[0] = 0x46;
  DecodedPacket p = DecodeRaw(ip);
  EXPECT_TRUE(p.ok());
  EXPECT_EQ(p.ip.header_length, 24);
  EXPECT_EQ(p.l4_kind, L4Kind::kUdp);
  EXPECT_EQ(p.src_port, 53);
  EXPECT_EQ(p.payload.size(), 1u);
}

TEST(Ipv4, TotalLengthExceedsCapture) {
  Frame ip = testing::IpOf(testing::Ipv4UdpFrame());
  ip[3] = 0x40;  // claims 64 bytes, 32 captured
  DecodedPacket p = DecodeRaw(ip);
  EXPECT_TRUE(p.anomalies.Has(Anomaly::kIpv4TotalLengthExceedsCapture));
  // The header itself is sound: the layers above are decoded from what is there.
  EXPECT_EQ(p.l3_kind, L3Kind::kIpv4);
  EXPECT_EQ(p.ip.payload.size(), 12u);
  EXPECT_EQ(p.l4_kind, L4Kind::kUdp);
}

TEST(Ipv4, ZeroTotalLengthMeansOffload) {
  Frame ip = testing::IpOf(testing::Ipv4UdpFrame());
  ip[2] = ip[3] = 0;
  DecodedPacket p = DecodeRaw(ip);
  EXPECT_TRUE(p.ok());
  EXPECT_EQ(p.l4_kind, L4Kind::kUdp);
  EXPECT_EQ(p.payload.size(), 4u);
}

TEST(Ipv4, FragmentsAreNotDecodedAboveIp) {
  Frame first = testing::Ipv4Packet(6, Frame(24, 0));
  first[6] = 0x20;  // MF, offset 0
  DecodedPacket p = DecodeRaw(first);
  EXPECT_TRUE(p.ok());
  EXPECT_TRUE(p.ip.more_fragments);
  EXPECT_TRUE(p.ip.is_fragment);
  EXPECT_EQ(p.ip.fragment_offset, 0);
  EXPECT_EQ(p.l4_kind, L4Kind::kNone);
  EXPECT_EQ(p.ip.payload.size(), 24u);

  Frame later = testing::Ipv4Packet(6, Frame(24, 0));
  later[6] = 0x00;
  later[7] = 0xb9;  // offset 185 * 8 = 1480, last fragment
  p = DecodeRaw(later);
  EXPECT_FALSE(p.ip.more_fragments);
  EXPECT_TRUE(p.ip.is_fragment);
  EXPECT_EQ(p.ip.fragment_offset, 1480);
  EXPECT_EQ(p.l4_kind, L4Kind::kNone);
}

TEST(Ipv4, EveryTruncationOfAValidPacket) {
  Frame ip = testing::IpOf(testing::Ipv4UdpFrame());
  for (size_t n = 0; n < ip.size(); ++n) {
    DecodedPacket p;
    DecodePacket(kLinkTypeIpv4, View(ip).first(n), static_cast<uint32_t>(ip.size()), &p);
    EXPECT_TRUE(p.anomalies.Has(Anomaly::kSnaplenTruncated));
    if (n < 20) {
      EXPECT_TRUE(p.anomalies.Has(Anomaly::kIpv4Truncated)) << n;
      EXPECT_EQ(p.l3_kind, L3Kind::kNone);
    } else if (n < 28) {
      EXPECT_TRUE(p.anomalies.Has(Anomaly::kUdpTruncated)) << n;
      EXPECT_EQ(p.l3_kind, L3Kind::kIpv4);
      EXPECT_EQ(p.l4_kind, L4Kind::kNone);
    } else {
      EXPECT_EQ(p.l4_kind, L4Kind::kUdp) << n;
      EXPECT_EQ(p.payload.size(), n - 28);
    }
  }
}

TEST(Ipv6, Fields) {
  Frame f = testing::Ipv6SynFrame();
  DecodedPacket p;
  DecodePacket(kLinkTypeEthernet, View(f), &p);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p.l3_kind, L3Kind::kIpv6);
  EXPECT_EQ(p.ip.version, 6);
  EXPECT_EQ(p.ip.src.ToString(), "::1");
  EXPECT_EQ(p.ip.dst.ToString(), "::1");
  EXPECT_EQ(p.ip.ttl, 64);
  EXPECT_EQ(p.ip.flow_label, 0x85758u);
  EXPECT_EQ(p.ip.total_length, 80);
  EXPECT_EQ(p.ip.header_length, 40);
  EXPECT_EQ(p.ip.protocol, 6);
  EXPECT_EQ(p.ip.extension_header_count, 0);
}

// Hop-by-hop (8 bytes, PadN) -> destination options (16 bytes) -> routing (8) -> UDP.
TEST(Ipv6, ExtensionHeaderChain) {
  Frame udp = Hex("1234 0035 000a 0000 abcd");
  Frame chain = Concat({Hex("3c00 0104 0000 0000"),                      // HBH, next dst opts
                        Hex("2b01 0102 0000 0000 0000 0000 0000 0000"),  // dst opts, next routing
                        Hex("1100 0000 0000 0000"),                      // routing, next UDP
                        udp});
  DecodedPacket p = DecodeRaw(testing::Ipv6Packet(0, chain));
  EXPECT_TRUE(p.ok());
  EXPECT_EQ(p.ip.extension_header_count, 3);
  EXPECT_EQ(p.ip.header_length, 40 + 32);
  EXPECT_EQ(p.ip.protocol, 17);
  EXPECT_EQ(p.l4_kind, L4Kind::kUdp);
  EXPECT_EQ(p.dst_port, 53);
  EXPECT_EQ(p.payload.size(), 2u);
}

TEST(Ipv6, AuthenticationHeaderLengthIsInFourByteWords) {
  // AH with payload length 4: (4 + 2) * 4 = 24 bytes, then TCP.
  Frame ah = Concat({Hex("0604 0000 0000 0100 0000 0001"), Frame(12, 0xaa)});
  DecodedPacket p =
      DecodeRaw(testing::Ipv6Packet(51, Concat({ah, testing::TcpHeader(5, 0x02, {})})));
  EXPECT_TRUE(p.ok());
  EXPECT_EQ(p.ip.header_length, 64);
  EXPECT_EQ(p.l4_kind, L4Kind::kTcp);
}

TEST(Ipv6, EspAndNoNextHeaderStop) {
  DecodedPacket p = DecodeRaw(testing::Ipv6Packet(50, Frame(32, 0x11)));
  EXPECT_TRUE(p.ok());
  EXPECT_EQ(p.ip.protocol, 50);
  EXPECT_EQ(p.l4_kind, L4Kind::kNone);
  EXPECT_EQ(p.ip.payload.size(), 32u);
  p = DecodeRaw(testing::Ipv6Packet(0, Hex("3b00 0104 0000 0000")));
  EXPECT_TRUE(p.ok());
  EXPECT_EQ(p.ip.protocol, 59);
  EXPECT_EQ(p.l4_kind, L4Kind::kNone);
}

TEST(Ipv6, FragmentHeader) {
  // Fragment header: next UDP, offset 0, M=1, id 0xdeadbeef.
  Frame first = testing::Ipv6Packet(44, Concat({Hex("1100 0001 dead beef"), Frame(16, 0)}));
  DecodedPacket p = DecodeRaw(first);
  EXPECT_TRUE(p.ok());
  EXPECT_TRUE(p.ip.has_fragment_header);
  EXPECT_TRUE(p.ip.more_fragments);
  EXPECT_TRUE(p.ip.is_fragment);
  EXPECT_EQ(p.ip.id, 0xdeadbeefu);
  EXPECT_EQ(p.ip.protocol, 17);
  EXPECT_EQ(p.l4_kind, L4Kind::kNone);
  EXPECT_EQ(p.ip.payload.size(), 16u);
  // Offset 1448 (181 * 8), last fragment.
  Frame last = testing::Ipv6Packet(44, Concat({Hex("1100 05a8 dead beef"), Frame(16, 0)}));
  p = DecodeRaw(last);
  EXPECT_EQ(p.ip.fragment_offset, 1448);
  EXPECT_FALSE(p.ip.more_fragments);
  EXPECT_TRUE(p.ip.is_fragment);
  // An atomic fragment (offset 0, M=0) is a whole packet.
  Frame atomic =
      testing::Ipv6Packet(44, Concat({Hex("1100 0000 0000 0001"), Hex("1234 0035 0008 0000")}));
  p = DecodeRaw(atomic);
  EXPECT_FALSE(p.ip.is_fragment);
  EXPECT_EQ(p.l4_kind, L4Kind::kUdp);
}

TEST(Ipv6, ExtensionHeaderRunsPastTheEnd) {
  // Destination options claiming 8 * (1 + 10) bytes with 8 present.
  DecodedPacket p = DecodeRaw(testing::Ipv6Packet(60, Hex("110a 0000 0000 0000")));
  EXPECT_TRUE(p.anomalies.Has(Anomaly::kIpv6ExtensionHeaderTruncated));
  EXPECT_EQ(p.l3_kind, L3Kind::kIpv6);
  EXPECT_EQ(p.l4_kind, L4Kind::kNone);
  // A header with no room for its first two bytes.
  p = DecodeRaw(testing::Ipv6Packet(0, Hex("11")));
  EXPECT_TRUE(p.anomalies.Has(Anomaly::kIpv6ExtensionHeaderTruncated));
  // The chain must end within the payload length even when more bytes were captured.
  Frame ip = testing::Ipv6Packet(60, Hex("1100 0000 0000 0000 1234 0035 0008 0000"));
  ip[5] = 4;
  p = DecodeRaw(ip);
  EXPECT_TRUE(p.anomalies.Has(Anomaly::kIpv6ExtensionHeaderTruncated));
}

TEST(Ipv6, ChainThatPointsAtItselfEnds) {
  // Every destination-options header names another one: the walk must stop.
  Frame chain;
  for (int i = 0; i < 40; ++i) chain = Concat({chain, Hex("3c00 0000 0000 0000")});
  DecodedPacket p = DecodeRaw(testing::Ipv6Packet(60, chain));
  EXPECT_TRUE(p.anomalies.Has(Anomaly::kIpv6ExtensionChainTooLong));
  EXPECT_EQ(p.l4_kind, L4Kind::kNone);
  // A shorter self-referencing chain runs out of bytes instead.
  p = DecodeRaw(
      testing::Ipv6Packet(60, Concat({Hex("3c00 0000 0000 0000"), Hex("3c00 0000 0000 0000")})));
  EXPECT_TRUE(p.anomalies.Has(Anomaly::kIpv6ExtensionHeaderTruncated));
}

TEST(Ipv6, BadVersionAndTruncation) {
  Frame ip = testing::IpOf(testing::Ipv6SynFrame());
  Frame bad = ip;
  bad[0] = 0x40;
  DecodedPacket p;
  DecodePacket(kLinkTypeIpv6, View(bad), &p);
  EXPECT_TRUE(p.anomalies.Has(Anomaly::kIpv6BadVersion));
  for (size_t n = 0; n < 40; ++n) {
    DecodePacket(kLinkTypeIpv6, View(ip).first(n), &p);
    EXPECT_TRUE(p.anomalies.Has(Anomaly::kIpv6Truncated)) << n;
    EXPECT_EQ(p.l3_kind, L3Kind::kNone);
  }
}

}  // namespace
}  // namespace mcpcap
