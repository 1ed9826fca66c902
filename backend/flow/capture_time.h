// Capture time: nanoseconds since the epoch as stamped in the capture. Every time-out in flow/ is
// measured on this clock, never the wall clock, so results do not depend on how fast we read.
#ifndef MCPCAP_BACKEND_FLOW_CAPTURE_TIME_H_
#define MCPCAP_BACKEND_FLOW_CAPTURE_TIME_H_

#include <cstdint>
#include <limits>

namespace mcpcap {

using CaptureNanos = int64_t;

inline constexpr CaptureNanos kNanosPerSecond = 1'000'000'000;

// From a record's (ts_sec, ts_nsec); saturates instead of overflowing on hostile timestamps.
inline CaptureNanos ToCaptureNanos(int64_t sec, uint32_t nsec) {
  constexpr int64_t kMaxSec = std::numeric_limits<int64_t>::max() / kNanosPerSecond - 1;
  if (sec > kMaxSec) sec = kMaxSec;
  if (sec < -kMaxSec) sec = -kMaxSec;
  return sec * kNanosPerSecond + static_cast<int64_t>(nsec % kNanosPerSecond);
}

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_FLOW_CAPTURE_TIME_H_
