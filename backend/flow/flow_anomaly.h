// Named problems found while reassembling (Zeek calls them "weirds"). They describe the traffic,
// not a failure of ours: callers count them and report them with the frame they belong to.
#ifndef MCPCAP_BACKEND_FLOW_FLOW_ANOMALY_H_
#define MCPCAP_BACKEND_FLOW_FLOW_ANOMALY_H_

#include <cstdint>

#include "absl/strings/string_view.h"

namespace mcpcap {

// Values are bit positions in FlowAnomalySet: append only, keep under 32.
enum class FlowAnomaly : uint8_t {
  kFragmentOverlap,          // a fragment overlaps data already received (duplicates included)
  kFragmentOverlapConflict,  // ...and the overlapping bytes differ: a classic evasion signal
  kFragmentTooLarge,         // the datagram would exceed 65535 bytes ("ping of death")
  kFragmentTooMany,          // more fragments than the per-datagram limit
  kFragmentTruncated,        // the capture kept only part of the fragment: it cannot be used
  kFragmentBadEnd,           // data past the end set by the last fragment, or two different ends
  kTcpOverlapConflict,       // retransmitted or overlapping TCP bytes differ from the first copy
  kTcpBufferOverflow,        // out-of-order data exceeded the buffer: the stream skipped a hole
  kCount,
};
static_assert(static_cast<int>(FlowAnomaly::kCount) <= 32, "FlowAnomalySet is one uint32_t");

// snake_case name, stable for APIs and logs (e.g. "fragment_overlap_conflict").
absl::string_view FlowAnomalyName(FlowAnomaly a);

class FlowAnomalySet {
 public:
  void Add(FlowAnomaly a) { bits_ |= Bit(a); }
  bool Has(FlowAnomaly a) const { return (bits_ & Bit(a)) != 0; }
  bool empty() const { return bits_ == 0; }
  uint32_t bits() const { return bits_; }
  template <typename Fn>
  void ForEach(Fn fn) const {
    for (uint32_t b = bits_; b != 0; b &= b - 1) fn(static_cast<FlowAnomaly>(__builtin_ctz(b)));
  }

 private:
  static uint32_t Bit(FlowAnomaly a) { return uint32_t{1} << static_cast<unsigned>(a); }
  uint32_t bits_ = 0;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_FLOW_FLOW_ANOMALY_H_
