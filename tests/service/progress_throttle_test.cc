// The pace of progress reports, on a clock the test sets: at most one per interval, only after
// 1% more of a known total (64 MiB at most), nothing when nothing advanced, and a new stage after
// a reset.
#include "backend/service/progress_throttle.h"

#include "gtest/gtest.h"

namespace mcpcap {
namespace {

using std::chrono::milliseconds;
const ProgressThrottle::Clock::time_point kStart{};

TEST(ProgressThrottle, AtMostOnePerInterval) {
  ProgressThrottle throttle(milliseconds(250), kStart);
  EXPECT_FALSE(throttle.Due(10, 0, kStart + milliseconds(100)));
  EXPECT_TRUE(throttle.Due(20, 0, kStart + milliseconds(250)));
  EXPECT_FALSE(throttle.Due(30, 0, kStart + milliseconds(499)));
  EXPECT_TRUE(throttle.Due(40, 0, kStart + milliseconds(500)));
  // Four seconds of steady work: sixteen reports, one per 250 ms.
  int sent = 0;
  for (int ms = 501; ms <= 4500; ++ms) sent += throttle.Due(40 + ms, 0, kStart + milliseconds(ms));
  EXPECT_EQ(sent, 16);
}

TEST(ProgressThrottle, OnlyAfterOnePercentOfAKnownTotal) {
  ProgressThrottle throttle(milliseconds(0), kStart);
  EXPECT_FALSE(throttle.Due(9, 1000, kStart + milliseconds(1)));
  EXPECT_TRUE(throttle.Due(10, 1000, kStart + milliseconds(2)));
  EXPECT_FALSE(throttle.Due(19, 1000, kStart + milliseconds(3)));
  EXPECT_TRUE(throttle.Due(1000, 1000, kStart + milliseconds(4)));
}

TEST(ProgressThrottle, NothingNewIsNotSentAndASmallerValueStartsAStage) {
  ProgressThrottle throttle(milliseconds(0), kStart);
  EXPECT_TRUE(throttle.Due(500, 0, kStart + milliseconds(1)));
  EXPECT_FALSE(throttle.Due(500, 0, kStart + milliseconds(2)));
  // Reading starts after a download: the count starts again from zero.
  EXPECT_TRUE(throttle.Due(5, 0, kStart + milliseconds(3)));
}

TEST(ProgressThrottle, AHugeTotalStillReportsEvery64MiB) {
  ProgressThrottle throttle(milliseconds(0), kStart);
  const uint64_t total = uint64_t{4} << 40;
  EXPECT_FALSE(throttle.Due(ProgressThrottle::kMaxStep - 1, total, kStart + milliseconds(1)));
  EXPECT_TRUE(throttle.Due(ProgressThrottle::kMaxStep, total, kStart + milliseconds(2)));
}

}  // namespace
}  // namespace mcpcap
