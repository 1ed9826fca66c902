#include "backend/tcp/segment_analysis.h"

#include <algorithm>
#include <array>

#include "backend/dissect/packet.h"
#include "backend/tcp/seq_math.h"

namespace mcpcap {
namespace {

constexpr std::array<std::string_view, kTcpEventKinds> kNames = {
    "retransmission",
    "fast_retransmission",
    "spurious_retransmission",
    "out_of_order",
    "lost_segment",
    "ack_lost_segment",
    "duplicate_ack",
    "zero_window",
    "zero_window_probe",
    "zero_window_probe_ack",
    "window_full",
    "window_update",
    "keep_alive",
    "keep_alive_ack",
    "reused_ports",
};

constexpr uint16_t kSynFinRst = kTcpSyn | kTcpFin | kTcpRst;
constexpr uint64_t kFastRetransmitWindow = 20'000'000;    // 20 ms after the last dup ACK
constexpr uint64_t kDefaultOutOfOrderWindow = 3'000'000;  // 3 ms without a handshake RTT

// Wireshark's verify_tcp_window_scaling: a SYN without the option means no scaling either way.
void UpdateWindowScale(const TcpSegment& seg, TcpSeqState& fwd, TcpSeqState& rev) {
  if (seg.has_window_scale)
    fwd.win_scale = static_cast<int8_t>(std::min<int>(seg.window_scale, 14));
  if (fwd.win_scale == kScaleUnknown) {
    fwd.win_scale = kScaleNone;
    rev.win_scale = kScaleNone;
  } else if ((seg.flags & kTcpAck) != 0 && rev.win_scale == kScaleNone) {
    fwd.win_scale = kScaleNone;  // SYN-ACK scales, SYN did not: nobody scales
  }
}

// The receive window `side` last advertised, in bytes, in 32-bit arithmetic as Wireshark does.
uint32_t ScaledWindow(const TcpSeqState& side) {
  const int shift = side.first_ack_pending || side.win_scale < 0 ? 0 : side.win_scale;
  return side.window << shift;
}

// Time since `since`; like Wireshark's unsigned difference, a clock going backwards gives a huge
// value (never "recent").
uint64_t Elapsed(CaptureNanos now, CaptureNanos since) {
  return static_cast<uint64_t>(now) - static_cast<uint64_t>(since);
}

// Before the analysis (dissect_tcp's port-reuse check, backend/flow/tcp_port_reuse.h): a
// repeated SYN brings the expected sequence back to the end of the contiguous data; a SYN-ACK
// with a new ISN is flagged.
uint32_t BeforeAnalysis(const TcpSegment& seg, TcpSeqState& fwd) {
  if (seg.syn_effect == TcpSynEffect::kRepeated) fwd.nextseq = fwd.maxseqtobeacked;
  return seg.syn_effect == TcpSynEffect::kNewServerIsn ? uint32_t{kEvReusedPorts} : 0u;
}

// Retransmission, fast retransmission, spurious retransmission or out-of-order: a segment that
// occupies sequence space (data, SYN or FIN). Returns the one kind, or 0.
uint32_t RetransmissionKind(const TcpSegment& seg, const TcpSeqState& fwd, const TcpSeqState& rev,
                            const TcpRttState& rtt) {
  const uint32_t seq = seg.seq, seglen = seg.seglen;
  const bool syn_fin = (seg.flags & (kTcpSyn | kTcpFin)) != 0;
  bool not_advanced = fwd.nextseq != 0 && SeqLt(seq, fwd.nextseq);
  // Data right after a zero-window probe's byte really adds something.
  if (seglen > 1 && fwd.nextseq - 1 == seq) not_advanced = false;
  // The receiver had already acknowledged all of it (checked even when it advances).
  if (seglen > 0 && rev.lastack != 0 && SeqLe(seq + seglen, rev.lastack)) {
    return kEvSpuriousRetransmission;
  }
  if (not_advanced && rev.dupacknum >= 2 && rev.lastack == seq &&
      Elapsed(seg.time, rev.lastack_time) < kFastRetransmitWindow) {
    return kEvFastRetransmission;
  }
  const uint64_t threshold =
      rtt.first_rtt != 0 ? static_cast<uint64_t>(rtt.first_rtt) : kDefaultOutOfOrderWindow;
  if (not_advanced && Elapsed(seg.time, fwd.nextseq_time) < threshold &&
      fwd.nextseq != seq + seglen + (syn_fin ? 1 : 0)) {
    return kEvOutOfOrder;
  }
  return not_advanced ? uint32_t{kEvRetransmission} : 0u;
}

// After the analysis (the rest of dissect_tcp): handshake RTT, window scaling from the SYN's
// options, and whether this side still waits for its first pure ACK.
void AfterAnalysis(const TcpSegment& seg, TcpSeqState& fwd, TcpSeqState& rev, TcpRttState& rtt) {
  const uint16_t syn_ack = seg.flags & (kTcpSyn | kTcpAck);
  if (syn_ack == kTcpSyn) rtt.last_syn_time = seg.time;
  if ((seg.flags & kTcpSyn) != 0) fwd.first_ack_pending = true;
  if (syn_ack == kTcpAck) {
    if (rtt.last_syn_time != 0 && rtt.first_rtt == 0) rtt.first_rtt = seg.time - rtt.last_syn_time;
    fwd.first_ack_pending = false;
  }
  if ((seg.flags & kTcpSyn) != 0) UpdateWindowScale(seg, fwd, rev);
}

}  // namespace

std::string_view TcpEventName(int i) {
  return i >= 0 && i < kTcpEventKinds ? kNames[static_cast<size_t>(i)] : std::string_view("?");
}

uint32_t AnalyzeSegment(const TcpSegment& seg, TcpSeqState& fwd, TcpSeqState& rev,
                        TcpRttState& rtt) {
  const uint32_t seq = seg.seq;
  const uint32_t ack = seg.ack;
  const uint32_t seglen = seg.seglen;
  const uint16_t flags = seg.flags;
  const uint32_t window = seg.window;
  const bool no_sfr = (flags & kSynFinRst) == 0;
  uint32_t ev = BeforeAnalysis(seg, fwd);

  // Zero-window probe: one byte at the next expected sequence into a closed window. It says
  // nothing else about the segment.
  if (seglen == 1 && seq == fwd.nextseq && rev.window == 0) {
    ev |= kEvZeroWindowProbe;
  } else {
    if (window == 0 && no_sfr) ev |= kEvZeroWindow;
    // A hole: this segment starts beyond what we expected next.
    if (fwd.nextseq != 0 && SeqGt(seq, fwd.nextseq) && (flags & kTcpRst) == 0) {
      ev |= kEvLostSegment;
    }
    if (seglen <= 1 && seq == fwd.nextseq - 1 && no_sfr) ev |= kEvKeepAlive;
    const bool same_place = seglen == 0 && seq == fwd.nextseq && ack == fwd.lastack && no_sfr;
    if (same_place && window != 0 && window != fwd.window) ev |= kEvWindowUpdate;
    if (seglen > 0 && rev.win_scale != kScaleUnknown && no_sfr &&
        seq + seglen == rev.lastack + ScaledWindow(rev)) {
      ev |= kEvWindowFull;
    }
    const bool repeats_ack = same_place && window == fwd.window;
    if (repeats_ack && window != 0 && (rev.last_flags & kEvKeepAlive) != 0) {
      ev |= kEvKeepAliveAck;
    } else if (repeats_ack && window == 0 && (rev.last_flags & kEvZeroWindowProbe) != 0) {
      ev |= kEvZeroWindowProbeAck;
    } else if (repeats_ack && window != 0) {
      fwd.dupacknum = fwd.dupacknum == kDupAckNeutral ? 1 : fwd.dupacknum + 1;
      ev |= kEvDuplicateAck;
    }
  }
  // finished_fwd: a new ACK number ends a run of duplicates.
  if (ack != fwd.lastack) fwd.dupacknum = 0;

  // The other side never sent what this ACK acknowledges (as far as the capture shows). Flagged
  // once per hole: later ACKs of the same unseen data only neutralise the peer's dup-ACK count.
  if (rev.maxseqtobeacked != 0 && SeqGt(ack, rev.maxseqtobeacked) && (flags & kTcpAck) != 0) {
    if (SeqLt(rev.maxseqtobeacked, rev.nextseq)) {
      rev.maxseqtobeacked = rev.nextseq;
      ev |= kEvAckedUnseen;
    } else {
      if (rev.dupacknum == 0) ev |= kEvAckedUnseen;
      rev.dupacknum = kDupAckNeutral;
    }
  }

  // A keep-alive is never a retransmission of any kind.
  if ((seglen > 0 || (flags & (kTcpSyn | kTcpFin)) != 0) && (ev & kEvKeepAlive) == 0) {
    ev |= RetransmissionKind(seg, fwd, rev, rtt);
  }

  // Advance the expected sequence (a zero-window probe's byte does not count). Like Wireshark,
  // any segment can set it, so a pure ACK gives a mid-stream direction its first nextseq.
  uint32_t nextseq = seq + seglen;
  if ((flags & (kTcpSyn | kTcpFin)) != 0) ++nextseq;
  if ((ev & kEvZeroWindowProbe) == 0) {
    if (SeqGt(nextseq, fwd.nextseq) || fwd.nextseq == 0) {
      fwd.nextseq = nextseq;
      fwd.nextseq_time = seg.time;
    }
    if (seq == fwd.maxseqtobeacked || fwd.maxseqtobeacked == 0) {
      fwd.maxseqtobeacked = fwd.nextseq;
    }
  }

  fwd.window = window;
  fwd.lastack = ack;
  fwd.lastack_time = seg.time;
  fwd.last_flags = ev;
  AfterAnalysis(seg, fwd, rev, rtt);
  return ev;
}

}  // namespace mcpcap
