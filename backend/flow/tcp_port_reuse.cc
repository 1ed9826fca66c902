#include "backend/flow/tcp_port_reuse.h"

namespace mcpcap {

bool TcpPortReuse::StartsNewConnection(FlowDirection direction, uint16_t flags,
                                       uint32_t seq) const {
  const Side& side = sides_[Index(direction)];
  return MayStartNewConnection(flags) && side.known && seq != side.first_seq;
}

TcpSynEffect TcpPortReuse::Learn(FlowDirection direction, uint16_t flags, uint32_t seq,
                                 uint32_t ack) {
  Side& me = sides_[Index(direction)];
  Side& peer = sides_[1 - Index(direction)];
  TcpSynEffect effect = TcpSynEffect::kNone;
  const uint16_t syn_ack = flags & (kTcpSyn | kTcpAck);
  if (me.known && syn_ack == kTcpSyn && seq == me.first_seq) effect = TcpSynEffect::kRepeated;
  if (me.known && syn_ack == (kTcpSyn | kTcpAck) && seq != me.first_seq) {
    me.first_seq = seq;
    effect = TcpSynEffect::kNewServerIsn;
  }
  if (!me.known) {
    // Relative sequence numbers start at 1 even without the SYN (Wireshark's bug 1542 fix).
    me.first_seq = (flags & kTcpSyn) != 0 ? seq : seq - 1;
    me.known = true;
  }
  // A SYN's ACK field may hold anything: the first segment with the ACK flag tells the peer's.
  if (!peer.known && (flags & kTcpAck) != 0) {
    peer.first_seq = ack - 1;
    peer.known = true;
  }
  return effect;
}

}  // namespace mcpcap
