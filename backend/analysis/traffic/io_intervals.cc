#include "backend/analysis/traffic/io_intervals.h"

#include <cmath>
#include <utility>

#include "absl/status/status.h"

namespace mcpcap {

absl::StatusOr<int64_t> IntervalMicros(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) {
    return absl::InvalidArgumentError("interval_seconds must be a positive number of seconds");
  }
  if (seconds == 0) return 0;
  // Beyond ~292,000 years the microseconds overflow; no capture spans that.
  if (seconds > 9e12) return absl::InvalidArgumentError("interval_seconds is too large");
  const int64_t micros = std::llround(seconds * 1e6);
  if (micros < 1) {
    return absl::InvalidArgumentError("interval_seconds must be at least 0.000001 (1 µs)");
  }
  return micros;
}

int64_t DefaultIntervalMicros(int64_t span_micros) {
  if (span_micros <= 0) return 1'000'000;
  for (int64_t power = 1;; power *= 10) {
    for (int64_t step : {1, 2, 5}) {
      const int64_t interval = step * power;
      if (span_micros / interval < static_cast<int64_t>(kTargetIoIntervals)) return interval;
    }
  }
}

uint64_t IntervalIndex(int64_t relative_nanos, int64_t interval_micros) {
  if (relative_nanos <= 0) return 0;
  return static_cast<uint64_t>(relative_nanos / 1000 / interval_micros);
}

void FineIoTallies::Add(int64_t relative_micros, uint64_t bytes) {
  if (relative_micros < 0) relative_micros = 0;
  if (relative_micros > last_micros_) last_micros_ = relative_micros;
  while (relative_micros / resolution_ >= static_cast<int64_t>(kMaxFineBuckets)) {
    std::vector<IoTally> coarse((buckets_.size() + 9) / 10);
    for (size_t i = 0; i < buckets_.size(); ++i) {
      coarse[i / 10].frames += buckets_[i].frames;
      coarse[i / 10].bytes += buckets_[i].bytes;
    }
    buckets_ = std::move(coarse);
    resolution_ *= 10;
  }
  const size_t index = static_cast<size_t>(relative_micros / resolution_);
  if (index >= buckets_.size()) buckets_.resize(index + 1);
  buckets_[index].frames += 1;
  buckets_[index].bytes += bytes;
}

std::vector<IoTally> FineIoTallies::Regroup(int64_t interval_micros) const {
  std::vector<IoTally> tallies;
  if (buckets_.empty()) return tallies;
  tallies.resize(static_cast<size_t>(last_micros_ / interval_micros) + 1);
  for (size_t i = 0; i < buckets_.size(); ++i) {
    const int64_t start = static_cast<int64_t>(i) * resolution_;
    IoTally& t = tallies[static_cast<size_t>(start / interval_micros)];
    t.frames += buckets_[i].frames;
    t.bytes += buckets_[i].bytes;
  }
  return tallies;
}

}  // namespace mcpcap
