// TCP (header, flags, options), UDP and ICMP/ICMPv6.
#include <gtest/gtest.h>

#include "backend/dissect/decoder.h"
#include "tests/dissect/test_frames.h"

namespace mcpcap {
namespace {

using testing::Concat;
using testing::Frame;
using testing::Hex;
using testing::View;

DecodedPacket DecodeEthernet(Frame f) {
  DecodedPacket p;
  DecodePacket(kLinkTypeEthernet, View(testing::KeepAlive(std::move(f))), &p);
  return p;
}

DecodedPacket DecodeTcpWith(uint8_t data_offset_words, uint8_t flags, const Frame& rest) {
  DecodedPacket p;
  const Frame& ip = testing::KeepAlive(
      testing::Ipv4Packet(6, testing::TcpHeader(data_offset_words, flags, rest)));
  DecodePacket(kLinkTypeRaw, View(ip), &p);
  return p;
}

TEST(Tcp, SynWithOptions) {
  DecodedPacket p = DecodeEthernet(testing::Ipv6SynFrame());
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p.l4_kind, L4Kind::kTcp);
  EXPECT_EQ(p.src_port, 48342);
  EXPECT_EQ(p.dst_port, 5555);
  EXPECT_EQ(p.tcp.seq, 361009342u);
  EXPECT_EQ(p.tcp.ack, 0u);
  EXPECT_EQ(p.tcp.flags, kTcpSyn);
  EXPECT_EQ(p.tcp.window, 65476);
  EXPECT_EQ(p.tcp.header_length, 40);
  const TcpOptions& o = p.tcp.options;
  EXPECT_TRUE(o.has_mss);
  EXPECT_EQ(o.mss, 65476);
  EXPECT_TRUE(o.sack_permitted);
  EXPECT_TRUE(o.has_timestamps);
  EXPECT_EQ(o.ts_val, 1573944969u);
  EXPECT_EQ(o.ts_ecr, 0u);
  EXPECT_TRUE(o.has_window_scale);
  EXPECT_EQ(o.window_scale, 10);
  EXPECT_EQ(o.sack_block_count, 0);
  EXPECT_TRUE(p.payload.empty());
}

TEST(Tcp, DataSegment) {
  DecodedPacket p = DecodeEthernet(testing::Ipv6DataFrame());
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p.tcp.flags, kTcpPsh | kTcpAck);
  EXPECT_EQ(p.tcp.ack, 3717668201u);
  EXPECT_EQ(p.tcp.header_length, 32);
  EXPECT_FALSE(p.tcp.options.has_mss);
  EXPECT_TRUE(p.tcp.options.has_timestamps);
  EXPECT_EQ(p.tcp.options.ts_ecr, 3736812621u);
  ASSERT_EQ(p.payload.size(), 5u);
  EXPECT_EQ(std::string(p.payload.begin(), p.payload.end()), "hello");
}

TEST(Tcp, AllNineFlags) {
  DecodedPacket p;
  Frame ip = testing::Ipv4Packet(6, testing::TcpHeader(5, 0xff, {}));
  ip[20 + 12] |= 0x01;  // NS lives in the data-offset byte
  DecodePacket(kLinkTypeRaw, View(ip), &p);
  EXPECT_EQ(p.tcp.flags,
            kTcpFin | kTcpSyn | kTcpRst | kTcpPsh | kTcpAck | kTcpUrg | kTcpEce | kTcpCwr | kTcpNs);
  p = DecodeTcpWith(5, kTcpEce | kTcpCwr, {});
  EXPECT_EQ(p.tcp.flags, kTcpEce | kTcpCwr);
  EXPECT_EQ(p.tcp.header_length, 20);
}

TEST(Tcp, SackBlocks) {
  // NOP NOP SACK(len 34) with 4 blocks: 44 bytes of options -> too long for 40; use 3 blocks.
  Frame opts = Hex("0101 051a 0000 0064 0000 00c8 0000 012c 0000 0190 0000 01f4 0000 0258");
  DecodedPacket p = DecodeTcpWith(static_cast<uint8_t>(5 + opts.size() / 4), kTcpAck, opts);
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p.tcp.options.sack_block_count, 3);
  EXPECT_EQ(p.tcp.options.sack[0].left, 100u);
  EXPECT_EQ(p.tcp.options.sack[0].right, 200u);
  EXPECT_EQ(p.tcp.options.sack[2].right, 600u);
  // Four blocks fill 34 bytes, plus two NOPs: 36 bytes.
  Frame four = Concat({Hex("0101 0522"), Frame(32, 0x01)});
  p = DecodeTcpWith(static_cast<uint8_t>(5 + four.size() / 4), kTcpAck, four);
  EXPECT_TRUE(p.ok());
  EXPECT_EQ(p.tcp.options.sack_block_count, 4);
  EXPECT_EQ(p.tcp.options.sack[3].right, 0x01010101u);
}

TEST(Tcp, BadDataOffset) {
  for (uint8_t words = 0; words < 5; ++words) {
    DecodedPacket p = DecodeTcpWith(words, kTcpAck, Frame(8, 0));
    EXPECT_TRUE(p.anomalies.Has(Anomaly::kTcpBadDataOffset)) << int{words};
    EXPECT_EQ(p.l4_kind, L4Kind::kNone);
    EXPECT_EQ(p.l3_kind, L3Kind::kIpv4);
  }
  // 15 words = 60 bytes, but the IP payload is 28.
  DecodedPacket p = DecodeTcpWith(15, kTcpAck, Frame(8, 0));
  EXPECT_TRUE(p.anomalies.Has(Anomaly::kTcpBadDataOffset));
  EXPECT_EQ(p.l4_kind, L4Kind::kNone);
}

TEST(Tcp, OptionLengthZeroOrOne) {
  for (const char* opts : {"0200 0000", "0801 0000", "fe00 0000"}) {
    DecodedPacket p = DecodeTcpWith(6, kTcpSyn, Hex(opts));
    EXPECT_TRUE(p.anomalies.Has(Anomaly::kTcpOptionBadLength)) << opts;
    // The header is sound: TCP and its payload stay decoded.
    EXPECT_EQ(p.l4_kind, L4Kind::kTcp) << opts;
  }
}

TEST(Tcp, OptionPastEnd) {
  // MSS claims 4 bytes with 2 left in the header; a lone kind byte with no length.
  for (const char* opts : {"0101 0204", "0101 0102"}) {
    DecodedPacket p = DecodeTcpWith(6, kTcpSyn, Concat({Hex(opts), Hex("ffff ffff")}));
    EXPECT_TRUE(p.anomalies.Has(Anomaly::kTcpOptionTruncated)) << opts;
    EXPECT_FALSE(p.tcp.options.has_mss);
    EXPECT_EQ(p.payload.size(), 4u);  // the bytes after the header are payload, not options
  }
}

TEST(Tcp, WrongLengthForKnownOption) {
  // MSS with length 3.
  DecodedPacket p = DecodeTcpWith(6, kTcpSyn, Hex("0203 0500"));
  EXPECT_TRUE(p.anomalies.Has(Anomaly::kTcpOptionBadLength));
  EXPECT_FALSE(p.tcp.options.has_mss);
  // Unknown kinds are skipped by their length; EOL ends the list.
  p = DecodeTcpWith(7, kTcpSyn, Hex("1e04 0000 0000 0000"));
  EXPECT_TRUE(p.ok());
  p = DecodeTcpWith(7, kTcpSyn, Hex("0000 ffff ffff ffff"));
  EXPECT_TRUE(p.ok());
}

TEST(Tcp, EveryTruncationOfAnIpv6Frame) {
  const Frame f = testing::Ipv6DataFrame();  // 14 + 40 + 32 + 5
  for (size_t n = 0; n <= f.size(); ++n) {
    DecodedPacket p;
    DecodePacket(kLinkTypeEthernet, View(f).first(n), static_cast<uint32_t>(f.size()), &p);
    EXPECT_EQ(p.anomalies.Has(Anomaly::kSnaplenTruncated), n < f.size()) << n;
    if (n < 14) {
      EXPECT_TRUE(p.anomalies.Has(Anomaly::kEthernetTruncated)) << n;
      EXPECT_EQ(p.l3_kind, L3Kind::kNone);
    } else if (n < 54) {
      EXPECT_TRUE(p.anomalies.Has(Anomaly::kIpv6Truncated)) << n;
      EXPECT_EQ(p.l3_kind, L3Kind::kNone);
    } else if (n < 86) {
      EXPECT_TRUE(p.anomalies.Has(Anomaly::kTcpTruncated)) << n;
      EXPECT_EQ(p.l3_kind, L3Kind::kIpv6);
      EXPECT_EQ(p.l4_kind, L4Kind::kNone);
    } else {
      EXPECT_EQ(p.l4_kind, L4Kind::kTcp) << n;
      EXPECT_EQ(p.payload.size(), n - 86);
      EXPECT_TRUE(p.tcp.options.has_timestamps);
    }
  }
}

TEST(Tcp, ShortSegment) {
  // IP says 12 bytes of TCP: not a header, whatever was captured.
  Frame ip = testing::Ipv4Packet(6, Frame(12, 0));
  DecodedPacket p;
  DecodePacket(kLinkTypeRaw, View(ip), &p);
  EXPECT_TRUE(p.anomalies.Has(Anomaly::kTcpTruncated));
  EXPECT_EQ(p.l4_kind, L4Kind::kNone);
}

TEST(Udp, Fields) {
  DecodedPacket p = DecodeEthernet(testing::Ipv4UdpFrame());
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p.l4_kind, L4Kind::kUdp);
  EXPECT_EQ(p.src_port, 34729);
  EXPECT_EQ(p.dst_port, 5556);
  EXPECT_EQ(p.udp.length, 12);
  EXPECT_EQ(std::string(p.payload.begin(), p.payload.end()), "dns?");
}

TEST(Udp, BadLength) {
  for (const char* hdr : {"0035 0035 0007 0000", "0035 0035 0020 0000"}) {
    Frame ip = testing::Ipv4Packet(17, Concat({Hex(hdr), Frame(4, 0)}));
    DecodedPacket p;
    DecodePacket(kLinkTypeRaw, View(ip), &p);
    EXPECT_TRUE(p.anomalies.Has(Anomaly::kUdpBadLength)) << hdr;
    EXPECT_EQ(p.l4_kind, L4Kind::kNone);
  }
  // Shorter than the IP payload: the UDP length bounds the payload.
  Frame ip = testing::Ipv4Packet(17, Concat({Hex("0035 0035 000a 0000"), Frame(6, 7)}));
  DecodedPacket p;
  DecodePacket(kLinkTypeRaw, View(ip), &p);
  EXPECT_TRUE(p.ok());
  EXPECT_EQ(p.payload.size(), 2u);
  Frame short_udp = testing::Ipv4Packet(17, Hex("0035 0035 0008"));
  DecodePacket(kLinkTypeRaw, View(short_udp), &p);
  EXPECT_TRUE(p.anomalies.Has(Anomaly::kUdpTruncated));
}

TEST(Icmp, EchoRequest) {
  DecodedPacket p = DecodeEthernet(testing::IcmpEchoFrame());
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p.l4_kind, L4Kind::kIcmp);
  EXPECT_EQ(p.icmp.type, 8);
  EXPECT_EQ(p.icmp.code, 0);
  EXPECT_TRUE(p.icmp.is_echo);
  EXPECT_FALSE(p.icmp.is_error);
  EXPECT_EQ(p.icmp.id, 11967);
  EXPECT_EQ(p.icmp.seq, 1);
  EXPECT_EQ(p.payload.size(), 56u);
}

TEST(Icmp, ErrorQuotesThePacket) {
  DecodedPacket p = DecodeEthernet(testing::IcmpUnreachableFrame());
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p.icmp.type, 3);
  EXPECT_EQ(p.icmp.code, 3);
  EXPECT_TRUE(p.icmp.is_error);
  EXPECT_FALSE(p.icmp.is_echo);
  ASSERT_EQ(p.icmp.quoted.size(), 32u);
  // The quoted packet decodes as raw IP.
  DecodedPacket inner;
  DecodePacket(kLinkTypeRaw, p.icmp.quoted, &inner);
  EXPECT_TRUE(inner.ok());
  EXPECT_EQ(inner.l4_kind, L4Kind::kUdp);
  EXPECT_EQ(inner.dst_port, 5556);
}

TEST(Icmp, Truncated) {
  Frame echo = testing::IpOf(testing::IcmpEchoFrame());
  for (size_t n = 20; n < 28; ++n) {
    Frame ip(echo.begin(), echo.begin() + static_cast<long>(n));
    ip[2] = 0;
    ip[3] = static_cast<uint8_t>(n);
    DecodedPacket p;
    DecodePacket(kLinkTypeRaw, View(ip), &p);
    EXPECT_TRUE(p.anomalies.Has(Anomaly::kIcmpTruncated)) << n;
    // Like tshark, an ICMP message from 6 bytes on: its type and code, flagged cut short.
    if (n - 20 < 6) {
      EXPECT_EQ(p.l4_kind, L4Kind::kNone) << n;
    } else {
      EXPECT_EQ(p.l4_kind, L4Kind::kIcmp) << n;
      EXPECT_EQ(p.icmp.type, 8) << n;
      EXPECT_TRUE(p.icmp.header_truncated) << n;
      EXPECT_FALSE(p.icmp.is_echo) << n;
    }
  }
  // Other types need only type, code and checksum, but under 6 bytes tshark lists no message.
  Frame other = testing::Ipv4Packet(1, Hex("0d00 0000 0000"));
  DecodedPacket p;
  DecodePacket(kLinkTypeRaw, View(other), &p);
  EXPECT_TRUE(p.ok());
  EXPECT_EQ(p.icmp.type, 13);
  EXPECT_FALSE(p.icmp.header_truncated);
  Frame four = testing::Ipv4Packet(1, Hex("0d00 0000"));
  DecodedPacket q;
  DecodePacket(kLinkTypeRaw, View(four), &q);
  EXPECT_EQ(q.l4_kind, L4Kind::kNone);
}

TEST(Icmpv6, EchoAndError) {
  Frame echo = testing::Ipv6Packet(58, Hex("8000 0000 1234 0007 6162"));
  DecodedPacket p;
  DecodePacket(kLinkTypeRaw, View(echo), &p);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p.l4_kind, L4Kind::kIcmpv6);
  EXPECT_TRUE(p.icmp.is_echo);
  EXPECT_EQ(p.icmp.id, 0x1234);
  EXPECT_EQ(p.icmp.seq, 7);
  EXPECT_EQ(p.payload.size(), 2u);

  Frame quoted = testing::Ipv6Packet(17, Hex("0035 0035 0008 0000"));
  Frame err = testing::Ipv6Packet(58, Concat({Hex("0104 0000 0000 0000"), quoted}));
  DecodePacket(kLinkTypeRaw, View(err), &p);
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p.icmp.is_error);
  EXPECT_EQ(p.icmp.code, 4);
  EXPECT_EQ(p.icmp.quoted.size(), quoted.size());

  Frame short_echo = testing::Ipv6Packet(58, Hex("8000 0000 12"));
  DecodePacket(kLinkTypeRaw, View(short_echo), &p);
  EXPECT_TRUE(p.anomalies.Has(Anomaly::kIcmpv6Truncated));
}

TEST(Transport, OtherProtocolsKeepThePayload) {
  Frame gre = testing::Ipv4Packet(47, Frame(10, 0x42));
  DecodedPacket p;
  DecodePacket(kLinkTypeRaw, View(gre), &p);
  EXPECT_TRUE(p.ok());
  EXPECT_EQ(p.l4_kind, L4Kind::kOther);
  EXPECT_EQ(p.ip.protocol, 47);
  EXPECT_EQ(p.payload.size(), 10u);
}

TEST(Transport, DecodeTransportOverReassembledBytes) {
  Frame tcp = testing::TcpHeader(5, kTcpSyn, Hex("0102"));
  DecodedPacket p;
  DecodeTransport(6, View(tcp), &p);
  EXPECT_EQ(p.l4_kind, L4Kind::kTcp);
  EXPECT_EQ(p.src_port, 1000);
  EXPECT_EQ(p.payload.size(), 2u);
}

}  // namespace
}  // namespace mcpcap
