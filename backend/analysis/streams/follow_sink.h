// What a stream follower tells its reader: the payload records of both directions in the order
// tshark -z follow prints them, and the holes it marks. Directions are tshark's nodes: node 0 sent
// the first packet of the stream, node 1 is the other side.
#ifndef MCPCAP_BACKEND_ANALYSIS_STREAMS_FOLLOW_SINK_H_
#define MCPCAP_BACKEND_ANALYSIS_STREAMS_FOLLOW_SINK_H_

#include <cstdint>

#include "backend/base/byte_reader.h"
#include "backend/flow/capture_time.h"

namespace mcpcap {

class FollowSink {
 public:
  virtual ~FollowSink() = default;
  // Bytes of `node` following its previous record (or the hole just reported); `data` is valid
  // only during the call.
  virtual void OnRecord(int node, Bytes data, uint64_t frame_number, CaptureNanos time) = 0;
  // `node` skips `missing_bytes` the capture never held: a hole the peer acknowledged, or the
  // bytes the snap length cut off the record just delivered.
  virtual void OnGap(int node, uint64_t missing_bytes) = 0;
};

// One direction's totals.
struct FollowTotals {
  uint64_t bytes = 0;                // delivered in order (tshark's count, without its gap marks)
  uint64_t packets = 0;              // packets carrying payload
  uint64_t gap_bytes = 0;            // holes the peer acknowledged
  uint64_t retransmitted_bytes = 0;  // captured bytes dropped as seen already
  uint64_t truncated_bytes = 0;      // bytes of in-order segments the snap length cut off
  uint64_t undelivered_bytes = 0;    // bytes waiting behind a hole at the end: left out
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_STREAMS_FOLLOW_SINK_H_
