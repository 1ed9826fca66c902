#include "backend/flow/stream_index.h"

namespace mcpcap {

std::optional<uint64_t> StreamNumbering::Number(const DecodedPacket& packet) {
  if (packet.l3_kind != L3Kind::kIpv4 && packet.l3_kind != L3Kind::kIpv6) return std::nullopt;
  if (packet.ip.is_fragment) return std::nullopt;
  const DirectedFlowKey dk = FlowKeyOf(packet);
  if (packet.l4_kind == L4Kind::kUdp) {
    // Wireshark rejects a UDP length field below the header's 8 bytes before numbering.
    if (packet.udp.length < 8) return std::nullopt;
    auto it = udp_.find(dk.key);
    if (it != udp_.end()) return it->second;
    if (udp_.size() >= kMaxNumberedStreams) {
      ++unnumbered_;
      return std::nullopt;
    }
    udp_.emplace(dk.key, next_udp_);
    return next_udp_++;
  }
  if (packet.l4_kind != L4Kind::kTcp) return std::nullopt;
  const TcpInfo& tcp = packet.tcp;
  auto it = tcp_.find(dk.key);
  if (it == tcp_.end()) {
    if (tcp_.size() >= kMaxNumberedStreams) {
      ++unnumbered_;
      return std::nullopt;
    }
    it = tcp_.emplace(dk.key, TcpStream{next_tcp_++, TcpPortReuse()}).first;
  } else if (TcpPortReuse::MayStartNewConnection(tcp.flags) &&
             it->second.reuse.StartsNewConnection(dk.direction, tcp.flags, tcp.seq)) {
    it->second = TcpStream{next_tcp_++, TcpPortReuse()};
  }
  it->second.reuse.Learn(dk.direction, tcp.flags, tcp.seq, tcp.ack);
  return it->second.index;
}

}  // namespace mcpcap
