// The TCP connections an analysis reads as byte streams (DNS and SIP over TCP): a bounded table
// of connections on their 5-tuple, each direction reassembled (TcpReassembler) into a sink of
// the caller's type. A connection's streams end (Flush) when a SYN starts a new connection on its
// 5-tuple (Wireshark's port-reuse rule, tcp_port_reuse.h), when the table needs room for a newer
// one (least recently active first), and at Finish().
//
//   TcpStreams<MySink> streams(kMaxConnections,
//       [](const DecodedPacket& first) { return LooksLikeMine(first); },  // follow it at all?
//       [&](const DirectedFlowKey& key, std::array<MySink, 2>& sinks) { ... });  // A->B, B->A
//   for each TCP packet (whole: WholeTcpOrUdp): streams.OnSegment(pkt, frame, time);
//   streams.Finish();
#ifndef MCPCAP_BACKEND_FLOW_TCP_STREAMS_H_
#define MCPCAP_BACKEND_FLOW_TCP_STREAMS_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <utility>

#include "backend/dissect/packet.h"
#include "backend/flow/capture_time.h"
#include "backend/flow/flow_key.h"
#include "backend/flow/flow_table.h"
#include "backend/flow/tcp_port_reuse.h"
#include "backend/flow/tcp_reassembler.h"

namespace mcpcap {

template <typename Sink>
class TcpStreams {
 public:
  // Whether a segment without a connection starts one (nullptr: always); no state is kept for
  // the segments it turns down.
  using FollowFn = std::function<bool(const DecodedPacket& first)>;
  // Prepares a new connection's sinks, indexed by FlowDirection (0: A to B, 1: B to A).
  using InitFn = std::function<void(const DirectedFlowKey& key, std::array<Sink, 2>& sinks)>;

  TcpStreams(size_t max_connections, FollowFn follow, InitFn init)
      : follow_(std::move(follow)),
        init_(std::move(init)),
        connections_(max_connections,
                     [](const FlowKey&, Connection& c) { c.End(TcpStreamEnd::kEvicted); }) {}

  // One TCP segment over IP, whole (not an IP fragment), captured at `frame` and `time`.
  void OnSegment(const DecodedPacket& pkt, uint64_t frame, CaptureNanos time) {
    const DirectedFlowKey dk = FlowKeyOf(pkt);
    const TcpInfo& tcp = pkt.tcp;
    Connection* c = connections_.Find(dk.key);
    if (c != nullptr && c->reuse.StartsNewConnection(dk.direction, tcp.flags, tcp.seq)) {
      c->End(TcpStreamEnd::kPortReused);
      connections_.Erase(dk.key);
      c = nullptr;
    }
    if (c == nullptr) {
      if (follow_ != nullptr && !follow_(pkt)) return;
      c = &connections_.FindOrCreate(dk.key, time);
      init_(dk, c->sinks);
      for (size_t d = 0; d < 2; ++d) c->streams[d] = std::make_unique<TcpReassembler>(&c->sinks[d]);
    } else {
      connections_.FindOrCreate(dk.key, time);  // marks it recently active
    }
    c->reuse.Learn(dk.direction, tcp.flags, tcp.seq, tcp.ack);
    const size_t d = dk.direction == FlowDirection::kAToB ? 0 : 1;
    c->streams[d]->OnSegment(tcp.seq, tcp.flags, pkt.payload, frame, time);
    // The peer acknowledged bytes we never saw (capture loss): a gap, not a wait.
    if ((tcp.flags & kTcpAck) != 0) c->streams[1 - d]->SkipTo(tcp.ack);
  }

  // End of capture: flushes every stream (its sink sees the last data, then OnEnd).
  void Finish() { connections_.Drain(); }

 private:
  struct Connection {
    std::array<Sink, 2> sinks;  // before the streams, which point at them
    std::array<std::unique_ptr<TcpReassembler>, 2> streams;
    TcpPortReuse reuse;
    void End(TcpStreamEnd reason) {
      for (auto& s : streams) s->Flush(reason);
    }
  };

  FollowFn follow_;
  InitFn init_;
  FlowTable<Connection> connections_;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_FLOW_TCP_STREAMS_H_
