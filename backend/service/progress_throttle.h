// Decides which progress snapshots are worth sending: at most one per interval, and only once
// the work advanced by 1% of the total (when the total is known; 64 MiB at most, so that a
// terabyte capture still reports every few seconds), whichever is rarer. A client sees a few
// updates a second on a long analysis and none of the noise of a short one.
#ifndef MCPCAP_BACKEND_SERVICE_PROGRESS_THROTTLE_H_
#define MCPCAP_BACKEND_SERVICE_PROGRESS_THROTTLE_H_

#include <algorithm>
#include <chrono>
#include <cstdint>

namespace mcpcap {

class ProgressThrottle {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr uint64_t kMaxStep = uint64_t{64} << 20;

  ProgressThrottle(std::chrono::milliseconds interval, Clock::time_point start)
      : interval_(interval), last_time_(start) {}

  // True when a snapshot of `done` of `total` (0 = unknown) at `now` should be sent; it then
  // becomes the reference for the next one. A `done` smaller than the last one starts a new
  // stage (e.g. reading after downloading).
  bool Due(uint64_t done, uint64_t total, Clock::time_point now) {
    if (done < last_done_) last_done_ = 0;
    if (done == last_done_) return false;  // nothing new to say
    if (now - last_time_ < interval_) return false;
    if (total != 0 && done - last_done_ < std::min(total / 100, kMaxStep)) return false;
    last_time_ = now;
    last_done_ = done;
    return true;
  }

 private:
  std::chrono::milliseconds interval_;
  Clock::time_point last_time_;
  uint64_t last_done_ = 0;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_SERVICE_PROGRESS_THROTTLE_H_
