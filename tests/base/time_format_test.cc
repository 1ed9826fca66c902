#include "backend/base/time_format.h"

#include "gtest/gtest.h"

namespace mcpcap {
namespace {

TEST(TimeFormat, DigitsAndTheEpoch) {
  EXPECT_EQ(FormatUtcIso(1700000000, 10000000, 6), "2023-11-14T22:13:20.010000Z");
  EXPECT_EQ(FormatUtcIso(1700000000, 123456789, 9), "2023-11-14T22:13:20.123456789Z");
  EXPECT_EQ(FormatUtcIso(0, 0, 0), "1970-01-01T00:00:00Z");
}

TEST(TimeFormat, BeforeTheEpochTheFractionCountsForward) {
  EXPECT_EQ(FormatUtcIso(-500, 250000000, 6), "1969-12-31T23:51:40.250000Z");  // -499.75 s
}

// Classic pcap files may hold a microsecond field of a million or more.
TEST(TimeFormat, WholeSecondsInTheFractionCarry) {
  EXPECT_EQ(FormatUtcIso(1418145370, 1000000000, 6), "2014-12-09T17:16:11.000000Z");
  EXPECT_EQ(FormatUtcIso(1418145370, 2500000000u, 3), "2014-12-09T17:16:12.500Z");
}

}  // namespace
}  // namespace mcpcap
