#include "backend/base/proto_time.h"

#include <chrono>
#include <cmath>
#include <limits>

namespace mcpcap {
namespace {

constexpr int64_t kNanosPerSecond = 1'000'000'000;

// Seconds and a non-negative remainder for Timestamps; Durations keep the sign in both parts.
void SplitNanos(int64_t nanos, int64_t* sec, int32_t* rem, bool floor) {
  *sec = nanos / kNanosPerSecond;
  int64_t r = nanos % kNanosPerSecond;
  if (floor && r < 0) {
    r += kNanosPerSecond;
    --*sec;
  }
  *rem = static_cast<int32_t>(r);
}

}  // namespace

void SetTimestamp(int64_t sec, uint32_t nsec, google::protobuf::Timestamp* out) {
  out->set_seconds(sec + static_cast<int64_t>(nsec / kNanosPerSecond));
  out->set_nanos(static_cast<int32_t>(nsec % kNanosPerSecond));
}

void SetTimestampNanos(int64_t nanos, google::protobuf::Timestamp* out) {
  int64_t sec = 0;
  int32_t rem = 0;
  SplitNanos(nanos, &sec, &rem, /*floor=*/true);
  out->set_seconds(sec);
  out->set_nanos(rem);
}

void SetNow(google::protobuf::Timestamp* out) {
  const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  SetTimestampNanos(std::chrono::duration_cast<std::chrono::nanoseconds>(since_epoch).count(), out);
}

void SetDurationNanos(int64_t nanos, google::protobuf::Duration* out) {
  int64_t sec = 0;
  int32_t rem = 0;
  SplitNanos(nanos, &sec, &rem, /*floor=*/false);
  out->set_seconds(sec);
  out->set_nanos(rem);
}

void SetDurationMillis(double millis, google::protobuf::Duration* out) {
  const double nanos = std::round(millis * 1e6);
  // NaN and spans beyond int64 nanoseconds (292 years) are clamped rather than undefined.
  constexpr double kMax = static_cast<double>(std::numeric_limits<int64_t>::max() / 2);
  const double clamped = std::isnan(nanos) ? 0 : std::fmax(-kMax, std::fmin(kMax, nanos));
  SetDurationNanos(static_cast<int64_t>(clamped), out);
}

int64_t DurationNanos(const google::protobuf::Duration& d) {
  constexpr int64_t kMaxSec = std::numeric_limits<int64_t>::max() / kNanosPerSecond - 1;
  const int64_t sec = d.seconds() > kMaxSec    ? kMaxSec
                      : d.seconds() < -kMaxSec ? -kMaxSec
                                               : d.seconds();
  return sec * kNanosPerSecond + d.nanos();
}

double DurationMillis(const google::protobuf::Duration& d) {
  return static_cast<double>(d.seconds()) * 1e3 + static_cast<double>(d.nanos()) / 1e6;
}

}  // namespace mcpcap
