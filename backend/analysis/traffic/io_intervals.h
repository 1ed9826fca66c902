// The interval arithmetic of tshark's -z io,stat: times relative to the first frame in whole
// microseconds, interval i holding [i * interval, (i + 1) * interval).
#ifndef MCPCAP_BACKEND_ANALYSIS_TRAFFIC_IO_INTERVALS_H_
#define MCPCAP_BACKEND_ANALYSIS_TRAFFIC_IO_INTERVALS_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"

namespace mcpcap {

// Intervals one result holds at most (a finer interval is refused).
inline constexpr uint64_t kMaxIoIntervals = 1'000'000;
// Intervals the default interval aims at over the capture's span.
inline constexpr uint64_t kTargetIoIntervals = 100;

// An interval asked in seconds, in microseconds: INVALID_ARGUMENT below 1 µs, negative or not
// finite. 0 means "choose" and is returned as 0.
absl::StatusOr<int64_t> IntervalMicros(double seconds);

// The default interval for a capture spanning `span_micros`: the smallest 1, 2 or 5 times a
// power of ten (in µs) giving at most about kTargetIoIntervals intervals; 1 s for an empty span.
int64_t DefaultIntervalMicros(int64_t span_micros);

// The index of the interval of a frame `relative_nanos` after the first (tshark truncates to
// whole microseconds); frames before the first one fall into interval 0.
uint64_t IntervalIndex(int64_t relative_nanos, int64_t interval_micros);

struct IoTally {
  uint64_t frames = 0;
  uint64_t bytes = 0;
};

// Frames tallied before the interval is known (the default interval needs the capture's span):
// at 1 µs resolution, coarsened tenfold whenever more than kMaxFineBuckets would be needed, so
// memory stays bounded and every default interval is still a whole number of buckets.
class FineIoTallies {
 public:
  static constexpr size_t kMaxFineBuckets = 100'000;

  void Add(int64_t relative_micros, uint64_t bytes);
  // The tallies per interval of `interval_micros` (a multiple of the resolution reached, as
  // DefaultIntervalMicros(span) is), up to the last frame's interval.
  std::vector<IoTally> Regroup(int64_t interval_micros) const;
  int64_t last_micros() const { return last_micros_; }
  bool empty() const { return buckets_.empty(); }

 private:
  int64_t resolution_ = 1;
  int64_t last_micros_ = 0;
  std::vector<IoTally> buckets_;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_TRAFFIC_IO_INTERVALS_H_
