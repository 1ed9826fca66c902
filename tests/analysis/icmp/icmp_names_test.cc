#include "backend/dissect/icmp_names.h"

#include "gtest/gtest.h"

namespace mcpcap {
namespace {

TEST(IcmpNames, OriginalTypeNamesKept) {
  EXPECT_EQ(IcmpTypeName(0), "Echo Reply");
  EXPECT_EQ(IcmpTypeName(8), "Echo Request");
  EXPECT_EQ(IcmpTypeName(3), "Destination Unreachable");
  EXPECT_EQ(IcmpTypeName(11), "Time Exceeded");
  EXPECT_EQ(IcmpTypeName(13), "Timestamp Request");
  EXPECT_EQ(IcmpTypeName(42), "Extended Echo Request");
  EXPECT_EQ(IcmpTypeName(7), "Unknown Type (7)");
  EXPECT_EQ(IcmpTypeName(200), "Unknown Type (200)");
}

TEST(IcmpNames, AllIpv4TypesNamed) {
  for (int t : {0, 3, 4, 5, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 30, 40, 42, 43}) {
    EXPECT_EQ(IcmpTypeName(static_cast<uint8_t>(t)).find("Unknown"), std::string::npos) << t;
  }
  EXPECT_EQ(IcmpTypeName(9), "Router Advertisement");
  EXPECT_EQ(IcmpTypeName(10), "Router Solicitation");
  EXPECT_EQ(IcmpTypeName(17), "Address Mask Request");
  EXPECT_EQ(IcmpTypeName(18), "Address Mask Reply");
  EXPECT_EQ(IcmpTypeName(25), "Reserved (for Robustness Experiment)");
}

TEST(IcmpNames, Ipv4Codes) {
  for (int c = 0; c <= 15; ++c) {
    EXPECT_EQ(IcmpCodeName(3, static_cast<uint8_t>(c)).find("Unknown Code"), std::string::npos)
        << c;
  }
  EXPECT_EQ(IcmpCodeName(3, 3), "Port Unreachable");
  EXPECT_EQ(IcmpCodeName(3, 13), "Communication Administratively Prohibited");
  EXPECT_EQ(IcmpCodeName(3, 16), "Unknown Code (16)");
  EXPECT_EQ(IcmpCodeName(5, 1), "Redirect for Host");
  EXPECT_EQ(IcmpCodeName(11, 0), "TTL Exceeded in Transit");
  EXPECT_EQ(IcmpCodeName(11, 1), "Fragment Reassembly Time Exceeded");
  EXPECT_EQ(IcmpCodeName(12, 2), "Bad Length");
  EXPECT_EQ(IcmpCodeName(9, 16), "Does Not Route Common Traffic");
  EXPECT_EQ(IcmpCodeName(8, 0), "Code 0");
}

TEST(IcmpNames, Ipv6TypesAndCodes) {
  EXPECT_EQ(Icmpv6TypeName(128), "Echo Request");
  EXPECT_EQ(Icmpv6TypeName(129), "Echo Reply");
  EXPECT_EQ(Icmpv6TypeName(2), "Packet Too Big");
  EXPECT_EQ(Icmpv6TypeName(130), "Multicast Listener Query");
  EXPECT_EQ(Icmpv6TypeName(143), "Multicast Listener Report v2");
  EXPECT_EQ(Icmpv6TypeName(133), "Router Solicitation");
  EXPECT_EQ(Icmpv6TypeName(134), "Router Advertisement");
  EXPECT_EQ(Icmpv6TypeName(135), "Neighbor Solicitation");
  EXPECT_EQ(Icmpv6TypeName(136), "Neighbor Advertisement");
  EXPECT_EQ(Icmpv6TypeName(137), "Redirect");
  EXPECT_EQ(Icmpv6TypeName(139), "Node Information Query");
  EXPECT_EQ(Icmpv6TypeName(140), "Node Information Response");
  EXPECT_EQ(Icmpv6TypeName(5), "Unknown Type (5)");
  EXPECT_EQ(Icmpv6CodeName(1, 4), "Port Unreachable");
  EXPECT_EQ(Icmpv6CodeName(1, 3), "Address Unreachable");
  EXPECT_EQ(Icmpv6CodeName(3, 0), "Hop Limit Exceeded in Transit");
  EXPECT_EQ(Icmpv6CodeName(4, 1), "Unrecognized Next Header Type Encountered");
  EXPECT_EQ(Icmpv6CodeName(139, 2), "Data Contains an IPv4 Address");
  EXPECT_EQ(Icmpv6CodeName(1, 99), "Unknown Code (99)");
}

TEST(IcmpNames, Classification) {
  EXPECT_EQ(ClassifyIcmp(4, 8), IcmpKind::kEchoRequest);
  EXPECT_EQ(ClassifyIcmp(6, 128), IcmpKind::kEchoRequest);
  EXPECT_EQ(ClassifyIcmp(6, 2), IcmpKind::kPacketTooBig);
  EXPECT_EQ(ClassifyIcmp(6, 137), IcmpKind::kRedirect);
  EXPECT_EQ(ClassifyIcmp(4, 5), IcmpKind::kRedirect);
  EXPECT_TRUE(IsPortUnreachable(4, 3, 3));
  EXPECT_TRUE(IsPortUnreachable(6, 1, 4));
  EXPECT_FALSE(IsPortUnreachable(6, 1, 3));
  EXPECT_TRUE(IsHopLimitExceeded(4, 11, 0));
  EXPECT_TRUE(IsHopLimitExceeded(6, 3, 0));
  EXPECT_FALSE(IsHopLimitExceeded(4, 11, 1));
  EXPECT_EQ(IpProtocolName(17), "UDP");
  EXPECT_EQ(IpProtocolName(250), "IP proto 250");
}

}  // namespace
}  // namespace mcpcap
