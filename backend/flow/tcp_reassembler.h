// Reassembly of one direction of a TCP connection into ordered bytes with explicit gaps, for the
// stream parsers above (Zeek's model): each byte is delivered once, in order; what never arrived
// is reported as a gap of known size, never invented. Framing is the parsers' business.
//
//   TcpReassembler up(&client_parser), down(&server_parser);  // one per direction
//   for each TCP segment of the connection (pkt decoded, dir known):
//     auto& r = dir == FlowDirection::kAToB ? up : down;
//     r.OnSegment(pkt.tcp.seq, pkt.tcp.flags, pkt.payload, frame, now);
//     // The peer acknowledged bytes we never saw (capture loss): skip them as a gap.
//     if (pkt.tcp.flags & kTcpAck) other(r).SkipTo(pkt.tcp.ack);
//   end of capture or flow evicted: up.Flush(); down.Flush();
//
// Sequence numbers are tracked as 64-bit offsets from the first data byte, so streams of more than
// 4 GiB and sequence wrap-around work. Overlaps keep the first data seen (as Wireshark and Zeek
// do); resent bytes that differ from the first copy are counted as overlap conflicts.
#ifndef MCPCAP_BACKEND_FLOW_TCP_REASSEMBLER_H_
#define MCPCAP_BACKEND_FLOW_TCP_REASSEMBLER_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "backend/base/byte_reader.h"
#include "backend/flow/capture_time.h"
#include "backend/flow/flow_anomaly.h"

namespace mcpcap {

enum class TcpStreamEnd : uint8_t {
  kFin,           // all bytes up to the FIN were delivered (or skipped as gaps)
  kRst,           // reset: buffered data was delivered with gaps first
  kEndOfCapture,  // Flush() at the end of the capture
  kEvicted,       // Flush(kEvicted): the caller dropped the flow (limits, idle time-out)
  kPortReused,    // Flush(kPortReused): a new connection took its 5-tuple (tcp_port_reuse.h)
};

absl::string_view TcpStreamEndName(TcpStreamEnd reason);  // "fin", "rst", ...

// Receives one direction's bytes. Calls come from inside the reassembler's methods; a sink must
// not call back into the reassembler that feeds it.
class TcpStreamSink {
 public:
  virtual ~TcpStreamSink() = default;
  // Contiguous bytes following the previous delivery, and the frame and time that carried them.
  // `data` is valid only during the call.
  virtual void OnData(Bytes data, uint64_t frame_number, CaptureNanos time) = 0;
  // The stream skips `missing_bytes` bytes that were never seen; the next OnData follows them.
  virtual void OnGap(uint64_t missing_bytes) = 0;
  // Called once; nothing follows it.
  virtual void OnEnd(TcpStreamEnd reason) = 0;
};

struct TcpReassemblyLimits {
  size_t max_buffered_bytes = 1u << 20;  // out-of-order bytes waiting for a hole to fill
  size_t max_buffered_segments = 1024;   // pieces waiting, so tiny segments cannot waste memory
  // Most recent delivered bytes kept to check retransmissions for differing data (0: no check).
  size_t retransmit_check_bytes = 4096;
};

struct TcpStreamStats {
  uint64_t delivered_bytes = 0;
  uint64_t gap_bytes = 0;
  uint64_t gaps = 0;
  uint64_t retransmitted_bytes = 0;    // bytes received again (delivered or buffered already)
  uint64_t overlap_conflicts = 0;      // segments whose resent bytes differ from the first copy
  uint64_t out_of_order_segments = 0;  // segments that arrived ahead of a hole
  uint64_t buffer_overflows = 0;       // holes skipped because the buffer limits were reached
  uint64_t bytes_before_start = 0;     // bytes before the first byte of the stream: dropped
  uint64_t segments_after_end = 0;     // data segments after FIN/RST: ignored

  // fn(absl::string_view name, uint64_t value) for each counter, stable snake_case names.
  template <typename Fn>
  void ForEachCounter(Fn fn) const {
    fn("tcp_delivered_bytes", delivered_bytes);
    fn("tcp_gap_bytes", gap_bytes);
    fn("tcp_gaps", gaps);
    fn("tcp_retransmitted_bytes", retransmitted_bytes);
    fn("tcp_overlap_conflict", overlap_conflicts);
    fn("tcp_out_of_order_segments", out_of_order_segments);
    fn("tcp_buffer_overflow", buffer_overflows);
    fn("tcp_bytes_before_start", bytes_before_start);
    fn("tcp_segments_after_end", segments_after_end);
  }
};

class TcpReassembler {
 public:
  explicit TcpReassembler(TcpStreamSink* sink, TcpReassemblyLimits limits = {});
  TcpReassembler(const TcpReassembler&) = delete;
  TcpReassembler& operator=(const TcpReassembler&) = delete;

  // One segment of this direction: its sequence number, TCP flags (TcpFlag bits), payload, and
  // where it was captured. A SYN sets the stream start to ISN + 1; without one the stream starts
  // at the first segment with data. Anomalies found are added to *anomalies when given.
  void OnSegment(uint32_t seq, uint16_t flags, Bytes payload, uint64_t frame_number,
                 CaptureNanos time, FlowAnomalySet* anomalies = nullptr);

  // The other side acknowledged everything before `ack`: bytes up to it that never arrived are
  // delivered as a gap (buffered data below `ack` is delivered first). Ignored before the stream
  // has started or when `ack` is not ahead.
  void SkipTo(uint32_t ack);

  // Delivers everything buffered, with gaps over the holes, then ends the stream (OnEnd with
  // kFin when the FIN was reached, else `reason`). Later calls do nothing.
  void Flush(TcpStreamEnd reason = TcpStreamEnd::kEndOfCapture);

  bool started() const { return started_; }
  bool ended() const { return ended_; }
  // Offset of the next byte to deliver, counted from the first byte of the stream.
  uint64_t next_offset() const { return next_offset_; }
  size_t buffered_bytes() const { return buffered_bytes_; }
  size_t buffered_segments() const { return buffer_.size(); }
  // Bytes the reassembler holds, its own object included: the waiting pieces with their map
  // nodes, and the retransmission history.
  size_t MemoryBytes() const {
    constexpr size_t kNodeBytes = sizeof(std::pair<const uint64_t, Piece>) + 4 * sizeof(void*);
    return sizeof(*this) + buffered_bytes_ + buffer_.size() * kNodeBytes + history_.capacity();
  }
  const TcpStreamStats& stats() const { return stats_; }

 private:
  struct Piece {  // out-of-order bytes waiting at some offset
    std::vector<uint8_t> data;
    uint64_t frame_number = 0;
    CaptureNanos time = 0;
  };

  // The 64-bit offset nearest next_offset_ whose low 32 bits match seq (before the start < 0).
  int64_t OffsetOf(uint32_t seq) const;
  // Compares bytes resent at [offset, offset + data.size()), all before next_offset_, with the
  // delivered bytes still in history_; true when some differ.
  bool DiffersFromHistory(uint64_t offset, Bytes data) const;
  // Stores the bytes of [offset, ...) not buffered yet (first data wins); true when bytes already
  // buffered differ from the new copy.
  bool Buffer(uint64_t offset, Bytes data, uint64_t frame_number, CaptureNanos time);
  void SetFin(int64_t fin_offset);
  void Deliver(Bytes data, uint64_t frame_number, CaptureNanos time);
  void Gap(uint64_t missing);
  // Delivers buffered pieces that are now contiguous (trimming what was already delivered).
  void DrainContiguous();
  // Skips the hole before the first buffered piece and delivers from there.
  void SkipToFirstBuffered();
  void MaybeEndAtFin();
  void End(TcpStreamEnd reason);

  TcpStreamSink* sink_;
  TcpReassemblyLimits limits_;
  TcpStreamStats stats_;
  bool started_ = false;
  bool ended_ = false;
  bool has_fin_ = false;
  uint32_t base_seq_ = 0;             // sequence number of offset 0
  uint64_t next_offset_ = 0;          // next byte to deliver
  uint64_t fin_offset_ = 0;           // offset of the FIN (= length of the stream) when has_fin_
  std::map<uint64_t, Piece> buffer_;  // disjoint pieces, all at or after next_offset_
  size_t buffered_bytes_ = 0;
  std::vector<uint8_t> history_;  // the latest delivered bytes, ending at next_offset_
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_FLOW_TCP_REASSEMBLER_H_
