#include "backend/dissect/ip_address.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include "absl/container/flat_hash_set.h"

namespace mcpcap {
namespace {

IpAddress V6(const char* text) {
  uint8_t b[16];
  EXPECT_EQ(inet_pton(AF_INET6, text, b), 1) << text;
  return IpAddress::V6(b);
}

TEST(IpAddress, DottedQuad) {
  const uint8_t a[4] = {192, 0, 2, 255};
  EXPECT_EQ(IpAddress::V4(a).ToString(), "192.0.2.255");
  const uint8_t z[4] = {0, 0, 0, 0};
  EXPECT_EQ(IpAddress::V4(z).ToString(), "0.0.0.0");
  const uint8_t t[4] = {10, 100, 9, 1};
  EXPECT_EQ(IpAddress::V4(t).ToString(), "10.100.9.1");
}

TEST(IpAddress, Rfc5952) {
  struct Case {
    const char* in;
    const char* out;
  };
  for (const Case& c : {
           Case{"::", "::"},
           Case{"::1", "::1"},
           Case{"1::", "1::"},
           Case{"2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1"},
           Case{"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"},     // first of equal runs
           Case{"2001:0:0:1:0:0:0:1", "2001:0:0:1::1"},           // longest run
           Case{"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"},  // a single 0 stays
           Case{"fe80::0a00:27ff:fe4e:66a1", "fe80::a00:27ff:fe4e:66a1"},
           Case{"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
                "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"},
           Case{"::ffff:192.0.2.1", "::ffff:192.0.2.1"},  // IPv4-mapped
           Case{"1:2:3:4:5:6:7:0", "1:2:3:4:5:6:7:0"},
           Case{"1:0:0:0:0:0:0:8", "1::8"},
       }) {
    EXPECT_EQ(V6(c.in).ToString(), c.out) << c.in;
  }
}

TEST(IpAddress, ValueSemantics) {
  const uint8_t a[4] = {10, 0, 0, 1};
  const uint8_t b[4] = {10, 0, 0, 2};
  EXPECT_EQ(IpAddress::V4(a), IpAddress::V4(a));
  EXPECT_NE(IpAddress::V4(a), IpAddress::V4(b));
  EXPECT_LT(IpAddress::V4(a), IpAddress::V4(b));
  EXPECT_LT(IpAddress::V4(b), V6("::"));
  EXPECT_TRUE(IpAddress().empty());
  EXPECT_EQ(IpAddress().ToString(), "");
  absl::flat_hash_set<IpAddress> set = {IpAddress::V4(a), IpAddress::V4(a), V6("::1")};
  EXPECT_EQ(set.size(), 2u);
}

TEST(IpAddress, ToCharsFitsTheLongestForm) {
  char buf[IpAddress::kMaxTextLength];
  size_t n = V6("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff").ToChars(buf);
  EXPECT_EQ(n, 39u);
  n = V6("::ffff:255.255.255.255").ToChars(buf);
  EXPECT_STREQ(buf, "::ffff:255.255.255.255");
  EXPECT_EQ(n, 22u);
}

}  // namespace
}  // namespace mcpcap
