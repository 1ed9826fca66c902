#include "backend/analysis/streams/tcp_follow.h"

#include <algorithm>
#include <utility>

#include "backend/dissect/packet.h"

namespace mcpcap {
namespace {

// tshark's sequence comparisons (modulo 2^32).
bool Lt(uint32_t a, uint32_t b) { return static_cast<int32_t>(a - b) < 0; }
bool Gt(uint32_t a, uint32_t b) { return static_cast<int32_t>(a - b) > 0; }

}  // namespace

void TcpFollow::Emit(int node, Bytes data, uint64_t frame_number, CaptureNanos time) {
  side_[node].totals.bytes += data.size();
  sink_->OnRecord(node, data, frame_number, time);
}

void TcpFollow::OnSegment(const FollowSegment& s) {
  Side& side = side_[s.node];
  Side& peer = side_[1 - s.node];
  const bool syn = (s.flags & kTcpSyn) != 0;
  if (!side.seen) {
    // The first packet sets the base: a SYN's own number, else one before (relative 1).
    side.seen = true;
    side.base = syn ? s.seq : s.seq - 1;
    side.next = side.base;
  }
  if (s.seglen > 0) ++side.totals.packets;

  // The peer's waiting segments this packet acknowledges: tshark compares the relative ack when
  // ACK is set, the raw field otherwise (against relative sequence numbers).
  if (!peer.waiting.empty()) {
    const uint32_t ack = (s.flags & kTcpAck) != 0 ? s.ack : s.ack + peer.base;
    while (ApplyWaiting(1 - s.node, ack, true)) {
    }
  }

  uint32_t sequence = s.seq + (syn ? 1 : 0);
  // tshark starts a direction at its first segment while nothing was written and the relative
  // next sequence number is still 0.
  if (side.bytes_written == 0 && side.next == side.base) side.next = sequence;

  uint32_t length = s.seglen;
  size_t data_offset = 0;
  size_t data_length = s.payload.size();
  if (Lt(sequence, side.next)) {
    const uint32_t end = sequence + length;
    if (Gt(end, side.next)) {
      // A retransmission with more data: only the bytes after what was seen count.
      data_offset = side.next - sequence;
      side.totals.retransmitted_bytes += std::min(data_offset, data_length);
      data_length = data_length <= data_offset ? 0 : data_length - data_offset;
      sequence = side.next;
      length = end - side.next;
    } else {
      side.totals.retransmitted_bytes += data_length;
    }
  }
  if (data_length == 0 || Lt(sequence, side.next)) return;

  const Bytes data = s.payload.subspan(data_offset, data_length);
  if (sequence == side.next) {
    side.next += length;
    side.bytes_written += data_length;
    Emit(s.node, data, s.frame_number, s.time);
    if (length > data_length) {
      side.totals.truncated_bytes += length - data_length;
      sink_->OnGap(s.node, length - data_length);
    }
    while (ApplyWaiting(s.node, 0, false)) {
    }
  } else {
    Hold(s.node, sequence, data, s.frame_number, s.time);
  }
}

void TcpFollow::Hold(int node, uint32_t seq, Bytes data, uint64_t frame_number, CaptureNanos time) {
  Waiting w;
  w.seq = seq;
  w.data.assign(data.begin(), data.end());
  w.frame_number = frame_number;
  w.time = time;
  Side& side = side_[node];
  side.waiting.push_back(std::move(w));
  side.waiting_bytes += data.size();
  // Past the bound, skip the lowest hole of this side as if the peer had acknowledged it.
  while (!side.waiting.empty() && (side.waiting_bytes > limits_.max_waiting_bytes ||
                                   side.waiting.size() > limits_.max_waiting_segments)) {
    const uint32_t lowest =
        std::min_element(side.waiting.begin(), side.waiting.end(),
                         [](const Waiting& a, const Waiting& b) { return Lt(a.seq, b.seq); })
            ->seq;
    ++forced_gaps_;
    while (ApplyWaiting(node, lowest + 1, true)) {
      if (side.waiting.empty()) break;
    }
  }
}

bool TcpFollow::ApplyWaiting(int node, uint32_t acknowledged, bool use_ack) {
  Side& side = side_[node];
  if (side.waiting.empty()) return false;
  uint32_t lowest = side.waiting.front().seq;
  for (size_t i = 0; i < side.waiting.size(); ++i) {
    Waiting& w = side.waiting[i];
    if (Gt(lowest, w.seq)) lowest = w.seq;
    const uint32_t len = static_cast<uint32_t>(w.data.size());
    const bool old = Lt(w.seq, side.next);
    if (!old && w.seq != side.next) continue;
    if (old) {
      const uint32_t end = w.seq + len;
      if (Gt(end, side.next)) {
        const uint32_t new_pos = side.next - w.seq;
        side.totals.retransmitted_bytes += new_pos;
        Emit(node, Bytes(w.data).subspan(new_pos), w.frame_number, w.time);
        side.next += len - new_pos;
      } else {
        side.totals.retransmitted_bytes += len;
      }
    } else {
      if (len > 0) Emit(node, Bytes(w.data), w.frame_number, w.time);
      side.next += len;
    }
    side.waiting_bytes -= w.data.size();
    side.waiting.erase(side.waiting.begin() + static_cast<std::ptrdiff_t>(i));
    return true;
  }
  if (use_ack && Gt(acknowledged, lowest)) {
    // Bytes the peer saw but the capture did not: tshark writes "[N bytes missing ...]".
    const uint32_t missing = lowest - side.next;
    side.totals.gap_bytes += missing;
    sink_->OnGap(node, missing);
    side.next = lowest;
    return true;
  }
  return false;
}

void TcpFollow::Finish() {
  for (Side& side : side_) {
    // The union of what still waits, beyond the next expected byte.
    std::vector<std::pair<uint64_t, uint64_t>> ranges;
    for (const Waiting& w : side.waiting) {
      const uint64_t from = static_cast<uint32_t>(w.seq - side.next);
      ranges.emplace_back(from, from + w.data.size());
    }
    std::sort(ranges.begin(), ranges.end());
    uint64_t covered_to = 0;
    for (const auto& [from, to] : ranges) {
      const uint64_t start = std::max(from, covered_to);
      if (to > start) side.totals.undelivered_bytes += to - start;
      covered_to = std::max(covered_to, to);
    }
  }
}

}  // namespace mcpcap
