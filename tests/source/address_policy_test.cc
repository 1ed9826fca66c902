// The SSRF guard's classification, by tables of addresses.
#include "backend/source/address_policy.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mcpcap {
namespace {

using ::testing::HasSubstr;

struct Case {
  const char* address;
  AddressKind kind;
};

AddressKind Kind(const char* text) {
  auto ip = NetAddress::Parse(text);
  EXPECT_TRUE(ip.has_value()) << text;
  return ip ? ClassifyAddress(*ip) : AddressKind::kReserved;
}

TEST(AddressPolicy, ClassifiesIpv4) {
  const Case cases[] = {
      {"8.8.8.8", AddressKind::kPublic},
      {"93.184.216.34", AddressKind::kPublic},
      {"172.32.0.1", AddressKind::kPublic},   // just past 172.16/12
      {"100.128.0.1", AddressKind::kPublic},  // just past 100.64/10
      {"127.0.0.1", AddressKind::kLoopback},
      {"127.255.255.254", AddressKind::kLoopback},
      {"10.0.0.1", AddressKind::kPrivate},
      {"172.16.0.1", AddressKind::kPrivate},
      {"172.31.255.255", AddressKind::kPrivate},
      {"192.168.1.1", AddressKind::kPrivate},
      {"100.64.0.1", AddressKind::kPrivate},
      {"100.127.255.255", AddressKind::kPrivate},
      {"198.18.0.1", AddressKind::kPrivate},
      {"169.254.1.1", AddressKind::kLinkLocal},
      {"169.254.169.254", AddressKind::kMetadata},
      {"169.254.170.2", AddressKind::kMetadata},
      {"100.100.100.200", AddressKind::kMetadata},
      {"168.63.129.16", AddressKind::kMetadata},
      {"0.0.0.0", AddressKind::kUnspecified},
      {"0.1.2.3", AddressKind::kUnspecified},
      {"224.0.0.1", AddressKind::kMulticast},
      {"239.255.255.250", AddressKind::kMulticast},
      {"255.255.255.255", AddressKind::kBroadcast},
      {"240.0.0.1", AddressKind::kReserved},
      {"192.0.0.8", AddressKind::kReserved},
      {"192.0.2.1", AddressKind::kDocumentation},
      {"198.51.100.7", AddressKind::kDocumentation},
      {"203.0.113.9", AddressKind::kDocumentation},
  };
  for (const Case& c : cases) EXPECT_EQ(Kind(c.address), c.kind) << c.address;
}

TEST(AddressPolicy, ClassifiesIpv6AndEmbeddedIpv4) {
  const Case cases[] = {
      {"2606:4700:4700::1111", AddressKind::kPublic},
      {"2a00:1450:4001:80b::200e", AddressKind::kPublic},
      {"::1", AddressKind::kLoopback},
      {"::", AddressKind::kUnspecified},
      {"fe80::1", AddressKind::kLinkLocal},
      {"fc00::1", AddressKind::kPrivate},
      {"fd12:3456::1", AddressKind::kPrivate},
      {"fec0::1", AddressKind::kPrivate},
      {"fd00:ec2::254", AddressKind::kMetadata},
      {"ff02::1", AddressKind::kMulticast},
      {"2001:db8::1", AddressKind::kDocumentation},
      {"3fff::1", AddressKind::kDocumentation},
      {"2001::1", AddressKind::kReserved},  // Teredo
      {"100::1", AddressKind::kReserved},
      {"::ffff:127.0.0.1", AddressKind::kLoopback},  // IPv4-mapped
      {"::ffff:169.254.169.254", AddressKind::kMetadata},
      {"::ffff:10.1.2.3", AddressKind::kPrivate},
      {"::ffff:8.8.8.8", AddressKind::kPublic},
      {"::127.0.0.1", AddressKind::kReserved},      // IPv4-compatible, deprecated
      {"64:ff9b::7f00:1", AddressKind::kLoopback},  // NAT64 of 127.0.0.1
      {"64:ff9b::a9fe:a9fe", AddressKind::kMetadata},
      {"64:ff9b::808:808", AddressKind::kPublic},
      {"64:ff9b:1::1", AddressKind::kPrivate},
      {"2002:7f00:1::", AddressKind::kLoopback},  // 6to4 of 127.0.0.1
      {"2002:a9fe:a9fe::1", AddressKind::kMetadata},
      {"2002:0808:0808::1", AddressKind::kPublic},
  };
  for (const Case& c : cases) EXPECT_EQ(Kind(c.address), c.kind) << c.address;
}

TEST(AddressPolicy, PrivateNeedsTheFlagAndSomeKindsNeverPass) {
  AddressPolicy strict;
  AddressPolicy lenient;
  lenient.allow_private = true;
  for (const char* a : {"8.8.8.8", "2606:4700:4700::1111"}) {
    EXPECT_TRUE(strict.Allows(*NetAddress::Parse(a))) << a;
  }
  for (const char* a : {"127.0.0.1", "::1", "10.0.0.1", "100.64.0.1", "169.254.1.1", "fe80::1",
                        "fd12::1", "::ffff:192.168.0.1"}) {
    EXPECT_FALSE(strict.Allows(*NetAddress::Parse(a))) << a;
    EXPECT_TRUE(lenient.Allows(*NetAddress::Parse(a))) << a;
  }
  for (const char* a : {"169.254.169.254", "fd00:ec2::254", "0.0.0.0", "::", "224.0.0.1",
                        "255.255.255.255", "240.0.0.1", "192.0.2.1", "2001::1"}) {
    EXPECT_FALSE(strict.Allows(*NetAddress::Parse(a))) << a;
    EXPECT_FALSE(lenient.Allows(*NetAddress::Parse(a))) << a;
  }
}

TEST(AddressPolicy, ExceptionsAndMessages) {
  AddressPolicy policy;
  policy.exceptions.push_back(*NetAddress::Parse("127.0.0.1"));
  EXPECT_TRUE(policy.Allows(*NetAddress::Parse("127.0.0.1")));
  EXPECT_FALSE(policy.Allows(*NetAddress::Parse("127.0.0.2")));
  absl::Status loopback = policy.Check(*NetAddress::Parse("127.0.0.2"), "http://x/a.pcap");
  EXPECT_EQ(loopback.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(loopback.message(), HasSubstr("'http://x/a.pcap'"));
  EXPECT_THAT(loopback.message(), HasSubstr("127.0.0.2, a loopback address"));
  EXPECT_THAT(loopback.message(), HasSubstr("--allow-private-urls"));
  absl::Status metadata = policy.Check(*NetAddress::Parse("169.254.169.254"), "u");
  EXPECT_THAT(metadata.message(), HasSubstr("never"));
}

TEST(AddressPolicy, ParsesAndPrintsBothFamilies) {
  EXPECT_FALSE(NetAddress::Parse("example.com").has_value());
  EXPECT_FALSE(NetAddress::Parse("1.2.3").has_value());
  EXPECT_EQ(NetAddress::Parse("10.0.0.1")->ToString(), "10.0.0.1");
  EXPECT_EQ(NetAddress::Parse("FE80::1")->ToString(), "fe80::1");
  EXPECT_TRUE(NetAddress::Parse("10.0.0.1")->is_v4);
  EXPECT_FALSE(NetAddress::Parse("::ffff:10.0.0.1")->is_v4);
}

}  // namespace
}  // namespace mcpcap
