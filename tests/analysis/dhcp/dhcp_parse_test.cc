// The DHCPv4 and DHCPv6 parsers and option formatting: every option kind, every malformation.
#include <string>
#include <vector>

#include "backend/dissect/dhcp.h"
#include "backend/dissect/dhcp_options.h"
#include "backend/dissect/dhcpv6.h"
#include "gtest/gtest.h"
#include "tests/analysis/dhcp/dhcp_builder.h"

namespace mcpcap {
namespace {

using testing::Be16;
using testing::Be32;
using testing::Bootp;
using testing::BootpFields;
using testing::kEnd;
using testing::MsgType;
using testing::Opt;
using testing::V4;
using testing::V6;
using testing::V6Opt;

Bytes B(const std::string& s) {
  return Bytes(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

std::vector<std::string> Values(uint8_t code, const std::string& data, DhcpAnomaly* bad = nullptr) {
  std::vector<std::string> v;
  const DhcpAnomaly a = FormatDhcpOption(code, data, &v);
  if (bad != nullptr) *bad = a;
  return v;
}

TEST(DhcpParse, FixedFields) {
  BootpFields f;
  f.op = 2;
  f.flags = 0x8000;
  f.yiaddr = V4("192.168.1.100");
  f.giaddr = V4("10.0.0.1");
  f.sname = "server1";
  f.file = "pxelinux.0";
  const auto m = ParseDhcp(B(Bootp(f, MsgType(2) + kEnd)));
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->op, 2);
  EXPECT_EQ(m->xid, 0x12345678u);
  EXPECT_EQ(m->secs, 3);
  EXPECT_TRUE(m->broadcast());
  EXPECT_EQ(m->yiaddr.ToString(), "192.168.1.100");
  EXPECT_EQ(m->giaddr.ToString(), "10.0.0.1");
  EXPECT_EQ(m->ClientHardwareAddress(), "00:0c:29:12:34:56");
  EXPECT_EQ(m->sname, "server1");
  EXPECT_EQ(m->file, "pxelinux.0");
  EXPECT_EQ(m->message_type(), 2);
  EXPECT_EQ(m->anomalies, 0u);
}

TEST(DhcpParse, HardwareAddressFollowsHlen) {
  BootpFields f;
  f.htype = 6;  // IEEE 802
  f.hlen = 8;
  f.chaddr = std::string("\x01\x02\x03\x04\x05\x06\x07\x08", 8);
  auto m = ParseDhcp(B(Bootp(f, kEnd)));
  EXPECT_EQ(m->ClientHardwareAddress(), "01:02:03:04:05:06:07:08");
  EXPECT_EQ(m->anomalies, 0u);
  f.htype = 1;  // Ethernet must have 6
  m = ParseDhcp(B(Bootp(f, kEnd)));
  EXPECT_TRUE(m->Has(DhcpAnomaly::kBadHardwareLength));
  f.hlen = 200;
  m = ParseDhcp(B(Bootp(f, kEnd)));
  EXPECT_TRUE(m->Has(DhcpAnomaly::kBadHardwareLength));
  EXPECT_EQ(m->ClientHardwareAddress().size(), 16u * 3 - 1);
}

TEST(DhcpParse, PlainBootpHasNoOptions) {
  BootpFields f;
  f.magic = false;
  const auto m = ParseDhcp(B(Bootp(f, std::string(64, '\0'))));
  ASSERT_TRUE(m.has_value());
  EXPECT_FALSE(m->has_magic);
  EXPECT_TRUE(m->options.empty());
  EXPECT_EQ(m->message_type(), 0);
  EXPECT_EQ(DhcpMessageTypeName(5), "ACK");
  EXPECT_EQ(DhcpMessageTypeName(18), "TLS");
  EXPECT_EQ(DhcpMessageTypeName(19), "Unknown(19)");
}

TEST(DhcpParse, ShortPayloadIsTruncated) {
  // Cut inside the header but after the hardware address: a message, flagged.
  bool truncated = false;
  const auto m = ParseDhcp(B(std::string(235, '\0')), &truncated);
  ASSERT_TRUE(m.has_value());
  EXPECT_TRUE(m->Has(DhcpAnomaly::kTruncated));
  EXPECT_TRUE(truncated);
  // Cut inside the 6-byte hardware address (28 + 6 bytes needed): no message.
  truncated = false;
  EXPECT_FALSE(
      ParseDhcp(B(std::string("\x01\x01\x06", 3) + std::string(30, '\0')), &truncated).has_value());
  EXPECT_TRUE(truncated);
}

TEST(DhcpParse, OptionLengthPastEnd) {
  const auto m = ParseDhcp(B(Bootp({}, MsgType(1) + "\x0c\x10short")));
  EXPECT_TRUE(m->Has(DhcpAnomaly::kOptionTruncated));
  EXPECT_FALSE(m->Has(DhcpAnomaly::kMissingEnd));
  EXPECT_EQ(m->options.size(), 1u);  // the message type survives
}

TEST(DhcpParse, MissingEnd) {
  const auto m = ParseDhcp(B(Bootp({}, MsgType(1) + Opt(12, "host"))));
  EXPECT_TRUE(m->Has(DhcpAnomaly::kMissingEnd));
  EXPECT_EQ(m->options.size(), 2u);
}

TEST(DhcpParse, LongOptionsAreJoined) {
  const auto m = ParseDhcp(B(Bootp({}, Opt(6, V4("1.1.1.1")) + Opt(6, V4("8.8.8.8")) + kEnd)));
  ASSERT_EQ(m->options.size(), 1u);
  EXPECT_EQ(Values(6, m->Find(6)->data), (std::vector<std::string>{"1.1.1.1", "8.8.8.8"}));
}

TEST(DhcpParse, OverloadReadsFileThenSname) {
  BootpFields f;
  f.file = Opt(12, "fromfile") + kEnd;
  f.sname = Opt(15, "fromsname") + kEnd;
  const auto m = ParseDhcp(B(Bootp(f, MsgType(5) + Opt(52, "\x03") + kEnd)));
  ASSERT_NE(m->Find(12), nullptr);
  EXPECT_EQ(m->Find(12)->data, "fromfile");
  ASSERT_NE(m->Find(15), nullptr);
  EXPECT_EQ(m->Find(15)->data, "fromsname");
  EXPECT_TRUE(m->file.empty());
  EXPECT_TRUE(m->sname.empty());
  const auto bad = ParseDhcp(B(Bootp(f, Opt(52, "\x07") + kEnd)));
  EXPECT_TRUE(bad->Has(DhcpAnomaly::kBadOverload));
  EXPECT_EQ(bad->file,
            "\x0c\x08"
            "fromfile\xff");
}

TEST(DhcpParse, TooManyOptionsAreCapped) {
  std::string opts;
  for (int i = 1; i < 255; ++i) opts += Opt(static_cast<uint8_t>(i), "");
  opts += Opt(254, "x");  // repeat: joined, not counted
  const auto m = ParseDhcp(B(Bootp({}, opts + kEnd)));
  EXPECT_EQ(m->options.size(), 254u);
  EXPECT_FALSE(m->Has(DhcpAnomaly::kTooManyOptions));
}

TEST(DhcpOptions, AddressesAndIntegers) {
  EXPECT_EQ(Values(3, V4("10.0.0.1") + V4("10.0.0.2")),
            (std::vector<std::string>{"10.0.0.1", "10.0.0.2"}));
  EXPECT_EQ(Values(42, V4("10.0.0.3")), (std::vector<std::string>{"10.0.0.3"}));
  EXPECT_EQ(Values(1, V4("255.255.255.0")), (std::vector<std::string>{"255.255.255.0"}));
  EXPECT_EQ(Values(51, Be32(86400)), (std::vector<std::string>{"86400"}));
  EXPECT_EQ(Values(2, Be32(0xffffff9c)), (std::vector<std::string>{"-100"}));
  EXPECT_EQ(Values(57, Be16(1500)), (std::vector<std::string>{"1500"}));
  EXPECT_EQ(Values(53, "\x03"), (std::vector<std::string>{"REQUEST"}));
  EXPECT_EQ(Values(33, V4("10.1.0.0") + V4("10.0.0.1")),
            (std::vector<std::string>{"10.1.0.0 via 10.0.0.1"}));
  EXPECT_EQ(Values(93, Be16(0) + Be16(7)), (std::vector<std::string>{"0", "7"}));
  EXPECT_TRUE(Values(80, "").empty());
}

TEST(DhcpOptions, BadLengthsAreAnomalies) {
  DhcpAnomaly bad;
  EXPECT_TRUE(Values(1, "\x01\x02\x03", &bad).empty());
  EXPECT_EQ(bad, DhcpAnomaly::kOptionBadLength);
  Values(3, std::string(6, '\x01'), &bad);
  EXPECT_EQ(bad, DhcpAnomaly::kOptionBadLength);
  Values(51, "\x01\x02", &bad);
  EXPECT_EQ(bad, DhcpAnomaly::kOptionBadLength);
  Values(53, "", &bad);
  EXPECT_EQ(bad, DhcpAnomaly::kOptionBadLength);
  Values(80, "x", &bad);
  EXPECT_EQ(bad, DhcpAnomaly::kOptionBadLength);
  Values(61, "", &bad);
  EXPECT_EQ(bad, DhcpAnomaly::kOptionBadLength);
  Values(33, V4("1.2.3.4"), &bad);
  EXPECT_EQ(bad, DhcpAnomaly::kOptionBadLength);
  Values(81, "\x01", &bad);
  EXPECT_EQ(bad, DhcpAnomaly::kOptionBadLength);
}

TEST(DhcpOptions, TextAndIdentifiers) {
  EXPECT_EQ(Values(12, std::string("laptop-01\0", 10)), (std::vector<std::string>{"laptop-01"}));
  EXPECT_EQ(Values(60, "MSFT 5.0"), (std::vector<std::string>{"MSFT 5.0"}));
  EXPECT_EQ(Values(12, "a\x01\\"), (std::vector<std::string>{"a\\x01\\x5c"}));
  EXPECT_EQ(Values(61, std::string("\x01\x00\x0c\x29\x12\x34\x56", 7)),
            (std::vector<std::string>{"01:00:0c:29:12:34:56"}));
  EXPECT_EQ(Values(43, "\x01\x02"), (std::vector<std::string>{"01:02"}));
  EXPECT_EQ(Values(200, "\xab"), (std::vector<std::string>{"ab"}));
  EXPECT_EQ(DhcpOptionName(200), "option_200");
  EXPECT_EQ(DhcpOptionName(82), "relay_agent_information");
  EXPECT_EQ(Values(55, "\x01\x03\x06\xfa"),
            (std::vector<std::string>{"1 (subnet_mask)", "3 (router)", "6 (domain_name_server)",
                                      "250 (option_250)"}));
}

TEST(DhcpOptions, RelayAgentSubOptions) {
  const std::string data = std::string("\x01\x04", 2) + "eth0" +
                           std::string("\x02\x02\xaa\xbb", 4) + std::string("\x05\x04", 2) +
                           V4("10.9.0.0") + std::string("\x09\x01\x07", 3);
  EXPECT_EQ(Values(82, data),
            (std::vector<std::string>{"circuit_id=65:74:68:30", "remote_id=aa:bb",
                                      "link_selection=10.9.0.0", "suboption_9=07"}));
  DhcpAnomaly bad;
  Values(82, "\x01\x09x", &bad);
  EXPECT_EQ(bad, DhcpAnomaly::kOptionBadValue);
}

TEST(DhcpOptions, DomainSearchWithCompression) {
  // RFC 3397 example: eng.apple.com, marketing.apple.com (pointer to "apple.com").
  const std::string data = std::string(
                               "\x03"
                               "eng"
                               "\x05"
                               "apple"
                               "\x03"
                               "com"
                               "\x00",
                               15) +
                           std::string(
                               "\x09"
                               "marketing"
                               "\xc0\x04",
                               12);
  EXPECT_EQ(Values(119, data), (std::vector<std::string>{"eng.apple.com", "marketing.apple.com"}));
  DhcpAnomaly bad;
  Values(119, std::string("\xc0\x00", 2), &bad);  // pointer loop
  EXPECT_EQ(bad, DhcpAnomaly::kOptionBadValue);
  Values(119,
         std::string("\x05"
                     "ab",
                     3),
         &bad);  // label past the end
  EXPECT_EQ(bad, DhcpAnomaly::kOptionBadValue);
  Values(119,
         std::string("\x03"
                     "com",
                     4),
         &bad);  // no terminating zero
  EXPECT_EQ(bad, DhcpAnomaly::kOptionBadValue);
}

TEST(DhcpOptions, ClasslessStaticRoutes) {
  const std::string data = std::string("\x10\x0a\x0a", 3) + V4("10.98.0.1") +
                           std::string("\x00", 1) + V4("10.98.0.254") +
                           std::string("\x20\x01\x02\x03\x04", 5) + V4("10.98.0.2");
  EXPECT_EQ(Values(121, data),
            (std::vector<std::string>{"10.10.0.0/16 via 10.98.0.1", "0.0.0.0/0 via 10.98.0.254",
                                      "1.2.3.4/32 via 10.98.0.2"}));
  DhcpAnomaly bad;
  Values(121, std::string("\x21", 1) + std::string(8, '\x01'), &bad);
  EXPECT_EQ(bad, DhcpAnomaly::kOptionBadValue);
  Values(121, std::string("\x18\x0a\x0a\x0a\x01", 5), &bad);  // router cut
  EXPECT_EQ(bad, DhcpAnomaly::kOptionBadValue);
}

TEST(DhcpOptions, ClientFqdnAndSipServers) {
  EXPECT_EQ(Values(81, std::string("\x01\x00\x00", 3) + "host.example"),
            (std::vector<std::string>{"flags=0x01", "name=host.example"}));
  EXPECT_EQ(Values(81, std::string("\x05\x00\x00\x04"
                                   "host\x00",
                                   9)),
            (std::vector<std::string>{"flags=0x05", "name=host"}));
  EXPECT_EQ(Values(120, std::string("\x01", 1) + V4("10.0.0.5")),
            (std::vector<std::string>{"10.0.0.5"}));
  EXPECT_EQ(Values(120, std::string("\x00\x03sip\x00", 6)), (std::vector<std::string>{"sip"}));
}

TEST(Dhcpv6Parse, SolicitWithDuidAndIaNa) {
  const std::string duid =
      Be16(1) + Be16(1) + Be32(1000) + std::string("\x02\x00\x00\x00\x00\x01", 6);
  const std::string iaaddr = V6Opt(5, V6("fd00::17") + Be32(3600) + Be32(7200));
  const std::string msg = std::string("\x01\xab\xcd\xef", 4) + V6Opt(1, duid) +
                          V6Opt(3, Be32(7) + Be32(0) + Be32(0) + iaaddr) +
                          V6Opt(6, Be16(23) + Be16(24)) + V6Opt(8, Be16(5)) +
                          V6Opt(23, V6("fd00::1") + V6("fd00::2")) +
                          V6Opt(24, std::string("\x03lab\x07"
                                                "example\x00",
                                                13));
  const auto m = ParseDhcpv6(B(msg));
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->msg_type, 1);
  EXPECT_EQ(m->transaction_id, 0xabcdefu);
  EXPECT_EQ(m->client_duid, "DUID-LLT 00:01:00:01:00:00:03:e8:02:00:00:00:00:01");
  EXPECT_EQ(m->client_mac, "02:00:00:00:00:01");
  EXPECT_EQ(m->addresses, (std::vector<std::string>{"fd00::17"}));
  EXPECT_EQ(m->dns_servers, (std::vector<std::string>{"fd00::1", "fd00::2"}));
  EXPECT_EQ(m->domains, (std::vector<std::string>{"lab.example"}));
  EXPECT_FALSE(m->truncated);
  EXPECT_EQ(Dhcpv6MessageTypeName(1), "SOLICIT");
  EXPECT_EQ(Dhcpv6MessageTypeName(99), "Unknown(99)");
}

TEST(Dhcpv6Parse, RelayIsOpenedAndTruncationFlagged) {
  const std::string inner =
      std::string("\x03\x00\x00\x01", 4) + V6Opt(2, Be16(3) + Be16(1) + "abcdef");
  const std::string relay = std::string("\x0c\x00", 2) + V6("fd00::1") + V6("fe80::1") +
                            V6Opt(18, "port1") + V6Opt(9, inner);
  const auto m = ParseDhcpv6(B(relay));
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->msg_type, 3);
  EXPECT_EQ(m->relay_hops, 1);
  EXPECT_EQ(m->server_duid, "DUID-LL 00:03:00:01:61:62:63:64:65:66");
  const auto cut = ParseDhcpv6(B(std::string("\x01\x00\x00\x01\x00\x01\x00\x10xx", 10)));
  ASSERT_TRUE(cut.has_value());
  EXPECT_TRUE(cut->truncated);
  EXPECT_FALSE(ParseDhcpv6(B("\x01\x00")).has_value());
  const auto short_relay = ParseDhcpv6(B(std::string("\x0c\x00\x01\x02\x03", 5)));
  ASSERT_TRUE(short_relay.has_value());
  EXPECT_TRUE(short_relay->truncated);
}

}  // namespace
}  // namespace mcpcap
