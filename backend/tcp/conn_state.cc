#include "backend/tcp/conn_state.h"

#include <cctype>

#include "backend/dissect/packet.h"

namespace mcpcap {
namespace {

enum HistBit : uint32_t {
  kHistSyn = 1,
  kHistFin = 2,
  kHistRst = 4,
  kHistAck = 8,
  kHistData = 16,
  kHistFinRst = 32,
  kHistMulti = 64,
};

bool Inactive(ZeekEndpoint s) {
  return s == ZeekEndpoint::kInactive || s == ZeekEndpoint::kPartial;
}

// Zeek's history pattern /^\^?S[^HAFGIQ]*R.*/ for RSTOS0.
bool SynThenRstOnly(const std::string& h) {
  size_t i = !h.empty() && h[0] == '^' ? 1 : 0;
  if (i >= h.size() || h[i] != 'S') return false;
  for (++i; i < h.size(); ++i) {
    const char c = h[i];
    if (c == 'R') return true;
    if (c == 'H' || c == 'A' || c == 'F' || c == 'G' || c == 'I' || c == 'Q') return false;
  }
  return false;
}

}  // namespace

void ZeekConnState::Add(bool is_orig, char upper) {
  if (history_.size() >= kMaxHistory) return;
  history_.push_back(is_orig ? upper : static_cast<char>(std::tolower(upper)));
}

bool ZeekConnState::Check(bool is_orig, uint32_t bit, char upper) {
  Side& s = is_orig ? o_ : r_;
  if ((s.seen & bit) != 0) return true;
  s.seen |= bit;
  Add(is_orig, upper);
  return false;
}

// Letters that repeat each time their count reaches 1, 10, 100, ...
void ZeekConnState::Scaled(bool is_orig, char upper, uint32_t& count, uint32_t& next) {
  if (++count != next) return;
  Add(is_orig, upper);
  next = next > UINT32_MAX / 10 ? UINT32_MAX : next * 10;
}

void ZeekConnState::MarkFlipped() {
  if (history_.size() < kMaxHistory) history_.push_back('^');
}

void ZeekConnState::UpdateHistory(bool is_orig, uint16_t flags, uint32_t seq, uint32_t seglen) {
  Side& s = is_orig ? o_ : r_;
  const bool syn = (flags & kTcpSyn) != 0, fin = (flags & kTcpFin) != 0;
  const bool rst = (flags & kTcpRst) != 0;
  const int bits = syn + fin + rst;
  if (bits > 1) {
    if (fin && rst)
      Check(is_orig, kHistFinRst, 'I');
    else
      Check(is_orig, kHistMulti, 'Q');
    return;
  }
  if (bits == 0) {
    if (seglen > 0)
      Check(is_orig, kHistData, 'D');
    else if ((flags & kTcpAck) != 0)
      Check(is_orig, kHistAck, 'A');
    return;
  }
  // A SYN, FIN or RST is recorded again only when it is a new one (another sequence number).
  if (syn) {
    const char code = (flags & kTcpAck) != 0 ? 'H' : 'S';
    if (Check(is_orig, kHistSyn, code) && (!s.has_last_syn || seq != s.last_syn)) {
      Add(is_orig, code);
    }
    s.last_syn = seq;
    s.has_last_syn = true;
  }
  if (fin) {
    const uint32_t end = seq + seglen;  // a FIN's sequence comes after its data
    if (Check(is_orig, kHistFin, 'F') && (!s.has_last_fin || end != s.last_fin)) Add(is_orig, 'F');
    s.last_fin = end;
    s.has_last_fin = true;
  }
  if (rst) {
    if (Check(is_orig, kHistRst, 'R') && (!s.has_last_rst || seq != s.last_rst)) Add(is_orig, 'R');
    s.last_rst = seq;
    s.has_last_rst = true;
  }
}

// Zeek's TCP_Analyzer endpoint transitions, reduced to what conn_state reads.
void ZeekConnState::UpdateState(bool is_orig, uint16_t flags, uint32_t seglen) {
  ZeekEndpoint& me = is_orig ? orig_ : resp_;
  ZeekEndpoint& peer = is_orig ? resp_ : orig_;
  const bool syn = (flags & kTcpSyn) != 0, ack = (flags & kTcpAck) != 0;
  const bool fin = (flags & kTcpFin) != 0, rst = (flags & kTcpRst) != 0;
  if (me == ZeekEndpoint::kInactive) {
    if (syn) {
      if (is_orig) {
        me = ack ? ZeekEndpoint::kSynAckSent : ZeekEndpoint::kSynSent;
      } else {
        if (peer == ZeekEndpoint::kSynSent) peer = ZeekEndpoint::kEstablished;
        me = ZeekEndpoint::kEstablished;
      }
    }
    if (fin) me = ZeekEndpoint::kClosed;
    if (rst) me = ZeekEndpoint::kReset;
    if (me == ZeekEndpoint::kInactive) {
      if (!is_orig && seglen == 0 && orig_ == ZeekEndpoint::kSynSent) {
        // An ACK of the SYN before the SYN-ACK: not a partial connection.
      } else if (ack && peer == ZeekEndpoint::kEstablished) {
        me = ZeekEndpoint::kEstablished;  // the SYN was missed but the SYN-ACK was seen
      } else {
        me = ZeekEndpoint::kPartial;
      }
    }
    return;
  }
  if (me == ZeekEndpoint::kReset) return;
  if (rst) {
    me = ZeekEndpoint::kReset;
    return;
  }
  if (fin) {
    me = ZeekEndpoint::kClosed;
    return;
  }
  if (me == ZeekEndpoint::kSynAckSent && ack && !syn && peer == ZeekEndpoint::kEstablished) {
    me = ZeekEndpoint::kEstablished;
  }
}

void ZeekConnState::OnPacket(bool is_orig, uint16_t flags, uint32_t seq, uint32_t seglen,
                             uint32_t window, bool retransmitted, bool gap) {
  UpdateHistory(is_orig, flags, seq, seglen);
  Side& s = is_orig ? o_ : r_;
  if (retransmitted) Scaled(is_orig, 'T', s.count_t, s.next_t);
  if (gap) Scaled(is_orig, 'G', s.count_g, s.next_g);
  // Zero windows are boring with or after a RST, or after the peer's FIN (Zeek's UpdateWindow).
  const ZeekEndpoint me = is_orig ? orig_ : resp_;
  const ZeekEndpoint peer = is_orig ? resp_ : orig_;
  if (window == 0 && (flags & kTcpRst) == 0 && peer != ZeekEndpoint::kClosed &&
      me != ZeekEndpoint::kReset) {
    Scaled(is_orig, 'W', s.count_w, s.next_w);
  }
  s.bytes += seglen;
  UpdateState(is_orig, flags, seglen);
}

const char* ZeekConnState::State() const {
  const ZeekEndpoint os = orig_, rs = resp_;
  if (rs == ZeekEndpoint::kReset) {
    if (os == ZeekEndpoint::kSynSent || os == ZeekEndpoint::kSynAckSent ||
        (os == ZeekEndpoint::kReset && o_.bytes == 0 && r_.bytes == 0)) {
      return "REJ";
    }
    return Inactive(os) ? "RSTRH" : "RSTR";
  }
  if (os == ZeekEndpoint::kReset) {
    if (Inactive(rs)) return SynThenRstOnly(history_) ? "RSTOS0" : "OTH";
    return "RSTO";
  }
  if (rs == ZeekEndpoint::kClosed && os == ZeekEndpoint::kClosed) return "SF";
  if (os == ZeekEndpoint::kClosed) return Inactive(rs) ? "SH" : "S2";
  if (rs == ZeekEndpoint::kClosed) return Inactive(os) ? "SHR" : "S3";
  if (os == ZeekEndpoint::kSynSent && rs == ZeekEndpoint::kInactive) return "S0";
  if (os == ZeekEndpoint::kEstablished && rs == ZeekEndpoint::kEstablished) return "S1";
  return "OTH";
}

}  // namespace mcpcap
