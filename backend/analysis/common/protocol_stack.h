// The protocols of a frame as tshark names them (frame.protocols, e.g. "eth:ethertype:ip:udp:dns")
// and the top one as tshark's Protocol column spells it (e.g. "DNS"): one rule shared by
// list_packets, search_packets, get_packet_details and get_protocol_hierarchy, so the tools agree.
#ifndef MCPCAP_BACKEND_ANALYSIS_COMMON_PROTOCOL_STACK_H_
#define MCPCAP_BACKEND_ANALYSIS_COMMON_PROTOCOL_STACK_H_

#include <array>
#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"
#include "backend/analysis/common/frame_scan.h"
#include "backend/analysis/common/tcp_pdu_tracker.h"

namespace mcpcap {

// Layers named at most; deeper stacks are cut (hostile nesting).
inline constexpr size_t kMaxProtocolLayers = 24;

struct ProtocolStack {
  std::array<absl::string_view, kMaxProtocolLayers> names{};  // static strings, outermost first
  size_t size = 0;

  void Push(absl::string_view name) {
    if (size < names.size()) names[size++] = name;
  }
  // frame.protocols: the names joined with ':'.
  std::string Joined() const;
  // The innermost protocol, "" for an empty stack.
  absl::string_view top() const { return size == 0 ? absl::string_view() : names[size - 1]; }
};

// What naming a frame as tshark does needs from the frames before it (TCP retransmissions,
// PDUs spanning segments, streams recognised by content). One per scan, fed every frame in
// file order (matched or not).
class ProtocolContext {
 public:
  TcpPduTracker& tcp() { return tcp_; }

 private:
  TcpPduTracker tcp_;
};

// The protocols of `frame`, as tshark's frame.protocols lists them, from this frame alone: TCP
// payload is named as if it started a PDU and was not seen before.
ProtocolStack DescribeProtocols(const Frame& frame);
// The same, as tshark names it after the frames `context` was fed (pass every frame in order).
ProtocolStack DescribeProtocols(const Frame& frame, ProtocolContext* context);

// tshark's Protocol column for `frame` (e.g. "TCP", "DNS", "TLSv1.2", "ARP").
std::string ProtocolColumn(const Frame& frame, const ProtocolStack& stack);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_COMMON_PROTOCOL_STACK_H_
