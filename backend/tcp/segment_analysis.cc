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
constexpr CaptureNanos kFastRetransmitWindow = 20'000'000;    // 20 ms after the last dup ACK
constexpr CaptureNanos kDefaultOutOfOrderWindow = 3'000'000;  // 3 ms without a handshake RTT

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

// The receive window `side` last advertised, in bytes.
uint64_t ScaledWindow(const TcpSeqState& side) {
  const int shift = side.window_from_syn || side.win_scale < 0 ? 0 : side.win_scale;
  return static_cast<uint64_t>(side.window) << shift;
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
  const bool has_ack = (flags & kTcpAck) != 0;
  const bool no_sfr = (flags & kSynFinRst) == 0;
  uint32_t ev = 0;

  // Handshake RTT, the out-of-order threshold (ts_mru_syn / ts_first_rtt).
  if ((flags & kTcpSyn) != 0 && !has_ack) {
    rtt.last_syn_time = seg.time;
    rtt.saw_syn = true;
  } else if (has_ack && (flags & kTcpSyn) == 0 && rtt.saw_syn && rtt.first_rtt == 0) {
    rtt.first_rtt = std::max<CaptureNanos>(1, seg.time - rtt.last_syn_time);
  }
  if ((flags & kTcpSyn) != 0) UpdateWindowScale(seg, fwd, rev);

  if (!fwd.base_seq_set) {
    fwd.base_seq = (flags & kTcpSyn) != 0 ? seq : seq - 1;
    fwd.base_seq_set = true;
  }
  if (!rev.base_seq_set && has_ack) {
    rev.base_seq = ack - 1;
    rev.base_seq_set = true;
  }

  bool skip_to_fwd_end = false;
  // Zero-window probe: one byte at the next expected sequence into a closed window. It says
  // nothing else about the segment.
  if (seglen == 1 && seq == fwd.nextseq && rev.window == 0) {
    ev |= kEvZeroWindowProbe;
    skip_to_fwd_end = true;
  }
  if (!skip_to_fwd_end) {
    if (window == 0 && no_sfr) ev |= kEvZeroWindow;
    // A hole: this segment starts beyond what we expected next.
    if (fwd.nextseq != 0 && SeqGt(seq, fwd.nextseq) && (flags & kTcpRst) == 0) {
      ev |= kEvLostSegment;
    }
    if (seglen <= 1 && seq == fwd.nextseq - 1 && no_sfr) ev |= kEvKeepAlive;
    if (seglen == 0 && window != 0 && window != fwd.window && seq == fwd.nextseq &&
        ack == fwd.lastack && no_sfr) {
      ev |= kEvWindowUpdate;
    }
    if (seglen > 0 && rev.win_scale != kScaleUnknown && no_sfr &&
        static_cast<uint32_t>(seq + seglen) ==
            static_cast<uint32_t>(rev.lastack + ScaledWindow(rev))) {
      ev |= kEvWindowFull;
    }
    const bool repeats_ack = seglen == 0 && window == fwd.window && seq == fwd.nextseq && no_sfr;
    if (repeats_ack && window != 0 && ack == fwd.lastack && (rev.last_flags & kEvKeepAlive) != 0) {
      ev |= kEvKeepAliveAck;
      skip_to_fwd_end = true;
    } else if (repeats_ack && window == 0 && (ack == fwd.lastack || ack == fwd.lastack + 1) &&
               (rev.last_flags & kEvZeroWindowProbe) != 0) {
      ev |= kEvZeroWindowProbeAck;
      skip_to_fwd_end = true;
    } else if (repeats_ack && window != 0 && ack == fwd.lastack) {
      ++fwd.dupacknum;
      ev |= kEvDuplicateAck;
    }
  }
  // finished_fwd: anything but a duplicate ACK ends a run of them.
  if ((ev & kEvDuplicateAck) == 0) fwd.dupacknum = 0;

  // The other side never sent what this ACK acknowledges (as far as the capture shows).
  if (rev.maxseqtobeacked != 0 && SeqGt(ack, rev.maxseqtobeacked) && has_ack) {
    ev |= kEvAckedUnseen;
    rev.maxseqtobeacked = rev.nextseq;
  }

  // Retransmission, fast retransmission, spurious retransmission or out-of-order: a segment that
  // occupies sequence space but does not advance it. A keep-alive is none of these.
  if ((seglen > 0 || (flags & (kTcpSyn | kTcpFin)) != 0) && (ev & kEvKeepAlive) == 0) {
    bool not_advanced = fwd.nextseq != 0 && SeqLt(seq, fwd.nextseq);
    // Data right after a zero-window probe's byte really adds something.
    if (seglen > 1 && fwd.nextseq - 1 == seq) not_advanced = false;
    if (not_advanced) {
      if (seglen > 0 && rev.lastack != 0 && SeqLe(seq + seglen, rev.lastack)) {
        ev |= kEvSpuriousRetransmission;  // the receiver had already acknowledged all of it
      } else if (rev.dupacknum >= 2 && rev.lastack == seq &&
                 seg.time - rev.lastack_time < kFastRetransmitWindow) {
        ev |= kEvFastRetransmission;
      } else {
        const CaptureNanos threshold =
            rtt.first_rtt != 0 ? rtt.first_rtt : kDefaultOutOfOrderWindow;
        if (seg.time - fwd.nextseq_time < threshold && fwd.nextseq != seq + seglen) {
          ev |= kEvOutOfOrder;
        } else {
          ev |= kEvRetransmission;
        }
      }
    }
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
  fwd.window_from_syn = (flags & kTcpSyn) != 0;
  if (has_ack) {
    fwd.lastack = ack;
    fwd.lastack_time = seg.time;
  }
  fwd.last_flags = ev;
  return ev;
}

}  // namespace mcpcap
