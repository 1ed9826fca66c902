// One TCP connection followed as tshark 4.0's follow tap does (packet-tcp.c,
// follow_tcp_tap_listener and check_follow_fragments), so that the bytes of each direction equal
// `tshark -z follow,tcp,raw,N`: segments in sequence order, each byte once (the first copy wins),
// out-of-order segments held until the hole before them fills or the peer acknowledges past it
// (then the hole is a gap), bytes the snap length cut off skipped silently, segments still
// waiting at the end left out. Sequence numbers compare as tshark's relative ones do.
//
// Unlike tshark, what waits behind holes is bounded (FollowLimits): past the bound the oldest hole
// is skipped as a gap, as if acknowledged.
#ifndef MCPCAP_BACKEND_ANALYSIS_STREAMS_TCP_FOLLOW_H_
#define MCPCAP_BACKEND_ANALYSIS_STREAMS_TCP_FOLLOW_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "backend/analysis/streams/follow_sink.h"
#include "backend/base/byte_reader.h"
#include "backend/flow/capture_time.h"

namespace mcpcap {

struct FollowLimits {
  size_t max_waiting_bytes = size_t{4} << 20;  // out-of-order bytes held, per direction
  size_t max_waiting_segments = 4096;          // per direction
};

// One TCP segment of the followed connection.
struct FollowSegment {
  int node = 0;  // 0: sent by the side that sent the stream's first packet
  uint32_t seq = 0;
  uint32_t ack = 0;
  uint16_t flags = 0;   // TcpFlag bits
  uint32_t seglen = 0;  // payload length on the wire
  Bytes payload;        // the captured part of it
  uint64_t frame_number = 0;
  CaptureNanos time = 0;
};

class TcpFollow {
 public:
  explicit TcpFollow(FollowSink* sink, FollowLimits limits = {}) : sink_(sink), limits_(limits) {}
  TcpFollow(const TcpFollow&) = delete;
  TcpFollow& operator=(const TcpFollow&) = delete;

  void OnSegment(const FollowSegment& segment);
  // The end of the capture: counts what still waits behind holes as undelivered.
  void Finish();

  const FollowTotals& totals(int node) const { return side_[node].totals; }
  // Holes skipped because the waiting bytes passed the limits (tshark would have waited).
  uint64_t forced_gaps() const { return forced_gaps_; }

 private:
  struct Waiting {  // an out-of-order segment (tshark's "fragment")
    uint32_t seq = 0;
    std::vector<uint8_t> data;
    uint64_t frame_number = 0;
    CaptureNanos time = 0;
  };
  struct Side {
    bool seen = false;
    uint32_t base = 0;  // tshark's base_seq: relative sequence numbers count from it
    uint32_t next = 0;  // next expected sequence number
    uint64_t bytes_written = 0;
    std::vector<Waiting> waiting;  // in arrival order, as tshark's list
    size_t waiting_bytes = 0;
    FollowTotals totals;
  };

  // tshark's check_follow_fragments: applies one waiting segment of `node` that now fits, or
  // (use_ack) skips the hole before the lowest one when the peer acknowledged past it.
  bool ApplyWaiting(int node, uint32_t acknowledged, bool use_ack);
  void Emit(int node, Bytes data, uint64_t frame_number, CaptureNanos time);
  void Hold(int node, uint32_t seq, Bytes data, uint64_t frame_number, CaptureNanos time);

  FollowSink* sink_;
  FollowLimits limits_;
  Side side_[2];
  uint64_t forced_gaps_ = 0;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_STREAMS_TCP_FOLLOW_H_
