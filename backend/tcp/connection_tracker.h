// The TCP connection tracker shared by the four TCP analyses: a bounded table of connections
// keyed on the full 5-tuple (IPv4 and IPv6). Each segment is analysed with Wireshark's rules
// (segment_analysis.h) and Zeek's state machine (conn_state.h); observers see every segment,
// every zero-window stall and every connection when it leaves the table. A connection leaves
// when a new SYN reuses its ports (backend/flow/tcp_port_reuse.h), when the table is full (least
// recently active first), or at Finish(), so memory is bounded by max_connections whatever the
// capture holds.
#ifndef MCPCAP_BACKEND_TCP_CONNECTION_TRACKER_H_
#define MCPCAP_BACKEND_TCP_CONNECTION_TRACKER_H_

#include <cstddef>
#include <cstdint>
#include <optional>

#include "backend/dissect/packet.h"
#include "backend/flow/flow_table.h"
#include "backend/tcp/connection.h"

namespace mcpcap {

// What made a sender retransmit, judged from what preceded the retransmission.
enum class TcpRetransmitTrigger : uint8_t {
  kNone,   // not a retransmission
  kAck,    // right after an ACK from the receiver: fast retransmit, SACK or NewReno recovery
  kTimer,  // the receiver had been silent longer than that: retransmission timer (RTO) or
           // tail-loss probe
};

// A SYN-ACK first seen this soon after the capture's first segment had its SYN sent before the
// capture began (a SYN is answered within a round trip; SYN-ACKs are repeated after 1 and 3 s).
inline constexpr CaptureNanos kMidHandshakeWindow = 3'000'000'000;

// One analysed segment, as observers see it.
struct TcpSegmentView {
  uint64_t frame = 0;
  CaptureNanos time = 0;
  uint32_t frame_length = 0;  // on the wire
  uint32_t seglen = 0;
  uint16_t flags = 0;
  bool from_client = false;
  uint32_t events = 0;  // TcpEvent bits
  TcpRetransmitTrigger trigger = TcpRetransmitTrigger::kNone;
  // For a retransmission: how long the receiver had been silent (since the sender's own
  // previous segment when the receiver never sent anything).
  CaptureNanos wait = 0;
};

class TcpObserver {
 public:
  virtual ~TcpObserver() = default;
  virtual void OnSegment(const TcpConnectionRecord& /*conn*/, const TcpSegmentView& /*seg*/) {}
  virtual void OnStall(const TcpConnectionRecord& /*conn*/, const TcpZeroWindowStall& /*s*/) {}
  // The connection is complete (final counters); it is destroyed right after.
  virtual void OnFinished(const TcpConnectionRecord& /*conn*/) {}
};

class TcpConnectionTracker {
 public:
  static constexpr size_t kDefaultMaxConnections = 1 << 17;

  explicit TcpConnectionTracker(TcpObserver* observer,
                                size_t max_connections = kDefaultMaxConnections);
  TcpConnectionTracker(const TcpConnectionTracker&) = delete;
  TcpConnectionTracker& operator=(const TcpConnectionTracker&) = delete;

  // Feeds one decoded frame; frames that are not TCP over IP are ignored (false). `frame_start`
  // is the first byte of the frame `pkt` was decoded from (its spans point into it): with it, a
  // frame shorter on the wire than its IP length gives the segment only what the wire carried,
  // as in Wireshark. `stream_index` is the segment's tcp.stream (StreamNumbering, over the whole
  // file), kept by the connection it starts.
  bool Process(uint64_t frame, int64_t ts_sec, uint32_t ts_nsec, uint32_t frame_length,
               const DecodedPacket& pkt, const uint8_t* frame_start = nullptr,
               std::optional<uint64_t> stream_index = std::nullopt);
  // Hands every connection still in the table to the observer, oldest first.
  void Finish();
  // The time of the capture's first frame (any protocol), for telling a capture that began
  // mid-handshake; without it, the first TCP segment's time is taken.
  void SetCaptureStart(CaptureNanos time) {
    if (!has_start_) start_ = time;
    has_start_ = true;
  }

  uint64_t connections() const { return next_id_; }
  uint64_t segments() const { return segments_; }
  size_t peak_table_size() const { return peak_; }
  uint64_t evicted_for_room() const { return table_.evicted_for_room(); }
  size_t max_connections() const { return table_.max_flows(); }

 private:
  TcpConnectionRecord& Start(const DirectedFlowKey& dk, const DecodedPacket& pkt, uint64_t frame,
                             CaptureNanos time, int64_t ts_sec, uint32_t ts_nsec);
  void Retire(TcpConnectionRecord& conn);
  void TrackStalls(TcpConnectionRecord& conn, bool from_client, const TcpSegmentView& seg);

  TcpObserver* observer_;
  FlowTable<TcpConnectionRecord> table_;
  uint64_t next_id_ = 0;
  uint64_t segments_ = 0;
  size_t peak_ = 0;
  bool has_start_ = false;
  CaptureNanos start_ = 0;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_TCP_CONNECTION_TRACKER_H_
