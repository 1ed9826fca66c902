// The 5-tuple identity of a flow, in a canonical form that is the same for both directions, plus
// the direction of one packet relative to it. Hashing covers every field and the map compares the
// full key, so two flows never merge because their hashes collide.
#ifndef MCPCAP_BACKEND_FLOW_FLOW_KEY_H_
#define MCPCAP_BACKEND_FLOW_FLOW_KEY_H_

#include <cstdint>
#include <tuple>
#include <utility>

#include "backend/dissect/ip_address.h"
#include "backend/dissect/packet.h"

namespace mcpcap {

// Canonical: endpoint a is the smaller (address, port) pair, so A->B and B->A share a key.
struct FlowKey {
  IpAddress a;
  IpAddress b;
  uint16_t port_a = 0;
  uint16_t port_b = 0;
  uint8_t protocol = 0;  // IP protocol number (6 TCP, 17 UDP, ...)

  friend bool operator==(const FlowKey& x, const FlowKey& y) {
    return x.protocol == y.protocol && x.port_a == y.port_a && x.port_b == y.port_b && x.a == y.a &&
           x.b == y.b;
  }
  friend bool operator!=(const FlowKey& x, const FlowKey& y) { return !(x == y); }
  // A total order, for deterministic output.
  friend bool operator<(const FlowKey& x, const FlowKey& y) {
    return std::tie(x.a, x.port_a, x.b, x.port_b, x.protocol) <
           std::tie(y.a, y.port_a, y.b, y.port_b, y.protocol);
  }
  template <typename H>
  friend H AbslHashValue(H h, const FlowKey& k) {
    return H::combine(std::move(h), k.a, k.b, k.port_a, k.port_b, k.protocol);
  }
};

// Which way a packet went relative to its canonical key.
enum class FlowDirection : uint8_t {
  kAToB,  // source is endpoint a
  kBToA,  // source is endpoint b
};

inline FlowDirection Reverse(FlowDirection d) {
  return d == FlowDirection::kAToB ? FlowDirection::kBToA : FlowDirection::kAToB;
}

struct DirectedFlowKey {
  FlowKey key;
  FlowDirection direction = FlowDirection::kAToB;
};

// Canonical key of a packet from (src, src_port) to (dst, dst_port). A packet to itself (same
// address and port) is kAToB.
inline DirectedFlowKey MakeFlowKey(const IpAddress& src, uint16_t src_port, const IpAddress& dst,
                                   uint16_t dst_port, uint8_t protocol) {
  DirectedFlowKey out;
  out.key.protocol = protocol;
  const bool src_first = !(std::tie(dst, dst_port) < std::tie(src, src_port));
  if (src_first) {
    out.key.a = src;
    out.key.port_a = src_port;
    out.key.b = dst;
    out.key.port_b = dst_port;
    out.direction = FlowDirection::kAToB;
  } else {
    out.key.a = dst;
    out.key.port_a = dst_port;
    out.key.b = src;
    out.key.port_b = src_port;
    out.direction = FlowDirection::kBToA;
  }
  return out;
}

// Key of a decoded IP packet: ports for TCP and UDP, zero otherwise. The protocol is ip.protocol.
inline DirectedFlowKey FlowKeyOf(const DecodedPacket& pkt) {
  const bool has_ports = pkt.l4_kind == L4Kind::kTcp || pkt.l4_kind == L4Kind::kUdp;
  return MakeFlowKey(pkt.ip.src, has_ports ? pkt.src_port : 0, pkt.ip.dst,
                     has_ports ? pkt.dst_port : 0, pkt.ip.protocol);
}

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_FLOW_FLOW_KEY_H_
