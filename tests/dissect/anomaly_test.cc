#include "backend/dissect/anomaly.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace mcpcap {
namespace {

TEST(Anomaly, NamesAreUniqueSnakeCase) {
  std::set<std::string> seen;
  for (int i = 0; i < static_cast<int>(Anomaly::kCount); ++i) {
    std::string name(AnomalyName(static_cast<Anomaly>(i)));
    EXPECT_NE(name, "unknown_anomaly") << i;
    EXPECT_TRUE(seen.insert(name).second) << name;
    for (char c : name) EXPECT_TRUE((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
  }
  EXPECT_EQ(AnomalyName(Anomaly::kTcpBadDataOffset), "tcp_bad_data_offset");
  EXPECT_EQ(AnomalyName(Anomaly::kIpv4TotalLengthExceedsCapture),
            "ipv4_total_length_exceeds_capture");
}

TEST(Anomaly, SetOperations) {
  AnomalySet s;
  EXPECT_TRUE(s.empty());
  s.Add(Anomaly::kUdpBadLength);
  s.Add(Anomaly::kSnaplenTruncated);
  s.Add(Anomaly::kUdpBadLength);
  EXPECT_FALSE(s.empty());
  EXPECT_TRUE(s.Has(Anomaly::kUdpBadLength));
  EXPECT_FALSE(s.Has(Anomaly::kTcpTruncated));
  std::string order;
  s.ForEach([&](Anomaly a) { order += std::string(AnomalyName(a)) + ","; });
  EXPECT_EQ(order, "snaplen_truncated,udp_bad_length,");
}

}  // namespace
}  // namespace mcpcap
