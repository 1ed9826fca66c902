// Runs many sessions at once as a discrete-event simulation: sessions start as a Poisson process
// and each packet goes out at its session's planned time, so the stream of timestamped Ethernet
// frames looks like a capture on a busy office uplink. Deterministic for a seed.
#ifndef MCPCAP_TOOLS_GENCAP_TRAFFIC_MIX_H_
#define MCPCAP_TOOLS_GENCAP_TRAFFIC_MIX_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "tools/gencap/frame_builder.h"
#include "tools/gencap/rng.h"
#include "tools/gencap/session.h"

namespace mcpcap::gencap {

struct Frame {
  int64_t ts_ns = 0;  // UTC nanoseconds since the epoch
  const uint8_t* data = nullptr;
  size_t size = 0;
};

class TrafficMix {
 public:
  // About 16 packets per session on average: 4000 sessions/s make ~60k packets/s.
  explicit TrafficMix(uint64_t seed, double sessions_per_second = 4000);

  // The next frame in time order; its bytes stay valid until the next call. False only if a
  // planned frame did not fit (a bug in a planner).
  bool Next(Frame* frame);

 private:
  struct Event {
    int64_t time_ns;
    uint64_t order;  // ties go to the earlier scheduled: the same order on every platform
    uint32_t slot;
  };
  struct Later {
    bool operator()(const Event& a, const Event& b) const {
      return a.time_ns != b.time_ns ? a.time_ns > b.time_ns : a.order > b.order;
    }
  };

  void StartSession(int64_t at_ns);
  void Schedule(int64_t at_ns, uint32_t slot);
  void FillPayload(const Session& s, const Step& step, ByteWriter& w) const;

  Rng rng_;
  double mean_arrival_ns_;
  int64_t next_arrival_ns_;
  uint64_t order_ = 0;
  std::vector<Session> slots_;  // sessions in progress, and finished ones kept for reuse
  std::vector<uint32_t> free_slots_;
  std::vector<Event> events_;  // min-heap on time: each live session's next packet
  FrameBuilder builder_;
  std::vector<uint8_t> text_pool_;
  std::vector<uint8_t> binary_pool_;
};

}  // namespace mcpcap::gencap

#endif  // MCPCAP_TOOLS_GENCAP_TRAFFIC_MIX_H_
