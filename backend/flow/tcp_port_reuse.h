// Port reuse: when a TCP segment starts a new connection on a 5-tuple already seen. One rule for
// every analysis that follows TCP connections, Wireshark's (dissect_tcp in
// epan/dissectors/packet-tcp.c, 4.0), so that our connections are tshark's tcp.stream values:
// a SYN without ACK whose sequence number differs from its side's first one starts a new
// connection. A SYN at the same sequence number is the same SYN sent again; a SYN-ACK at a new one
// moves its side's start within the same connection (Wireshark flags both SYNs with
// tcp.analysis.reused_ports).
//
// A side's first sequence number is Wireshark's base_seq: a SYN's own, else one before the first
// segment it sent, or else one before what the other side first acknowledged.
//
//   TcpPortReuse& reuse = connection.reuse;           // one per connection
//   if (reuse.StartsNewConnection(dir, flags, seq)) { /* end it; start a new one, new reuse */ }
//   reuse.Learn(dir, flags, seq, ack);                // then, for every segment of it
#ifndef MCPCAP_BACKEND_FLOW_TCP_PORT_REUSE_H_
#define MCPCAP_BACKEND_FLOW_TCP_PORT_REUSE_H_

#include <array>
#include <cstdint>

#include "backend/dissect/packet.h"
#include "backend/flow/flow_key.h"

namespace mcpcap {

// What a segment's SYN did to its side's first sequence number (Learn's answer).
enum class TcpSynEffect : uint8_t {
  kNone,          // no SYN, or the side's first segment
  kRepeated,      // a SYN without ACK at the side's first sequence number: sent again
  kNewServerIsn,  // a SYN-ACK at another sequence number: the side now starts there
};

class TcpPortReuse {
 public:
  // Only a SYN without ACK can start a new connection: callers may skip the lookup otherwise.
  static bool MayStartNewConnection(uint16_t flags) {
    return (flags & (kTcpSyn | kTcpAck)) == kTcpSyn;
  }

  // True when the segment, sent in `direction` (relative to the flow key), starts a new
  // connection on this 5-tuple: the caller ends the connection this object belongs to and
  // starts a new one, with a new TcpPortReuse, for this segment.
  bool StartsNewConnection(FlowDirection direction, uint16_t flags, uint32_t seq) const;

  // Learns from a segment of this connection (every one, once StartsNewConnection said no).
  TcpSynEffect Learn(FlowDirection direction, uint16_t flags, uint32_t seq, uint32_t ack);

 private:
  struct Side {
    uint32_t first_seq = 0;  // Wireshark's base_seq
    bool known = false;
  };
  static size_t Index(FlowDirection d) { return d == FlowDirection::kAToB ? 0 : 1; }

  std::array<Side, 2> sides_{};  // by FlowDirection of the sender
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_FLOW_TCP_PORT_REUSE_H_
