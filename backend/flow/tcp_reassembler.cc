#include "backend/flow/tcp_reassembler.h"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <utility>

#include "backend/dissect/packet.h"

namespace mcpcap {

absl::string_view TcpStreamEndName(TcpStreamEnd reason) {
  switch (reason) {
    case TcpStreamEnd::kFin:
      return "fin";
    case TcpStreamEnd::kRst:
      return "rst";
    case TcpStreamEnd::kEndOfCapture:
      return "end_of_capture";
    case TcpStreamEnd::kEvicted:
      return "evicted";
    case TcpStreamEnd::kPortReused:
      return "port_reused";
  }
  return "unknown";
}

TcpReassembler::TcpReassembler(TcpStreamSink* sink, TcpReassemblyLimits limits)
    : sink_(sink), limits_(limits) {}

int64_t TcpReassembler::OffsetOf(uint32_t seq) const {
  // Sequence numbers are compared modulo 2^32 around where the stream is now (RFC 1982 style),
  // which carries the offset across wrap-around.
  const uint32_t relative = seq - base_seq_;
  const auto delta = static_cast<int32_t>(relative - static_cast<uint32_t>(next_offset_));
  return static_cast<int64_t>(next_offset_) + delta;
}

void TcpReassembler::OnSegment(uint32_t seq, uint16_t flags, Bytes payload, uint64_t frame_number,
                               CaptureNanos time, FlowAnomalySet* anomalies) {
  FlowAnomalySet local;
  if (anomalies == nullptr) anomalies = &local;
  if (ended_) {
    if (!payload.empty()) ++stats_.segments_after_end;
    return;
  }
  const bool syn = (flags & kTcpSyn) != 0;
  const bool fin = (flags & kTcpFin) != 0;
  const bool rst = (flags & kTcpRst) != 0;
  const uint32_t data_seq = syn ? seq + 1 : seq;  // a SYN occupies one sequence number
  if (!started_) {
    if (!syn && payload.empty() && !fin && !rst) return;  // a bare ACK does not start a stream
    started_ = true;
    base_seq_ = data_seq;
  }
  if (rst) {
    Flush(TcpStreamEnd::kRst);  // a RST's payload is diagnostic text, not stream data
    return;
  }

  int64_t start = OffsetOf(data_seq);
  if (fin) SetFin(start + static_cast<int64_t>(payload.size()));
  Bytes data = payload;
  // Keep-alive probes resend the last byte (or none) to elicit an ACK: not a retransmission.
  if (data.size() == 1 && !fin && start + 1 == static_cast<int64_t>(next_offset_)) data = Bytes();
  if (start < 0) {
    const size_t cut = static_cast<size_t>(std::min<uint64_t>(data.size(), uint64_t(-start)));
    stats_.bytes_before_start += cut;
    data.remove_prefix(cut);
    start = 0;
  }
  auto offset = static_cast<uint64_t>(start);
  if (has_fin_) {  // nothing follows the FIN
    data = offset >= fin_offset_
               ? Bytes()
               : data.first(std::min<uint64_t>(data.size(), fin_offset_ - offset));
  }
  if (!data.empty() && offset < next_offset_) {  // some or all of it was delivered already
    const size_t resent =
        static_cast<size_t>(std::min<uint64_t>(data.size(), next_offset_ - offset));
    stats_.retransmitted_bytes += resent;
    if (DiffersFromHistory(offset, data.first(resent))) {
      ++stats_.overlap_conflicts;
      anomalies->Add(FlowAnomaly::kTcpOverlapConflict);
    }
    data.remove_prefix(resent);
    offset = next_offset_;
  }
  if (!data.empty()) {
    bool conflict = false;
    if (offset == next_offset_) {
      // The hot path: in order, delivered straight from the packet without a copy.
      const uint64_t end = offset + data.size();
      const uint64_t direct_end = buffer_.empty() ? end : std::min(end, buffer_.begin()->first);
      const Bytes direct = data.first(static_cast<size_t>(direct_end - offset));
      if (direct_end < end) {
        conflict = Buffer(direct_end, data.subspan(direct.size()), frame_number, time);
      }
      Deliver(direct, frame_number, time);
      DrainContiguous();
    } else {
      ++stats_.out_of_order_segments;
      conflict = Buffer(offset, data, frame_number, time);
    }
    // Over the limits: give up on the oldest hole rather than grow.
    while (!ended_ && (buffered_bytes_ > limits_.max_buffered_bytes ||
                       buffer_.size() > limits_.max_buffered_segments)) {
      ++stats_.buffer_overflows;
      anomalies->Add(FlowAnomaly::kTcpBufferOverflow);
      SkipToFirstBuffered();
    }
    if (conflict) {
      ++stats_.overlap_conflicts;
      anomalies->Add(FlowAnomaly::kTcpOverlapConflict);
    }
  }
  MaybeEndAtFin();
}

void TcpReassembler::SetFin(int64_t fin_offset) {
  // The first FIN wins; one behind bytes already delivered is inconsistent and ignored.
  if (has_fin_ || fin_offset < static_cast<int64_t>(next_offset_)) return;
  has_fin_ = true;
  fin_offset_ = static_cast<uint64_t>(fin_offset);
  // Drop buffered bytes past the FIN.
  auto it = buffer_.lower_bound(fin_offset_);
  if (it != buffer_.begin()) {
    auto prev = std::prev(it);
    const uint64_t prev_end = prev->first + prev->second.data.size();
    if (prev_end > fin_offset_) {
      buffered_bytes_ -= prev_end - fin_offset_;
      prev->second.data.resize(fin_offset_ - prev->first);
    }
  }
  while (it != buffer_.end()) {
    buffered_bytes_ -= it->second.data.size();
    it = buffer_.erase(it);
  }
}

bool TcpReassembler::DiffersFromHistory(uint64_t offset, Bytes data) const {
  const uint64_t history_start = next_offset_ - history_.size();
  const uint64_t begin = std::max(offset, history_start);
  const uint64_t end = offset + data.size();
  if (begin >= end) return false;  // too old to check
  return std::memcmp(history_.data() + (begin - history_start), data.data() + (begin - offset),
                     static_cast<size_t>(end - begin)) != 0;
}

bool TcpReassembler::Buffer(uint64_t offset, Bytes data, uint64_t frame_number, CaptureNanos time) {
  bool conflict = false;
  const uint64_t end = offset + data.size();
  uint64_t cursor = offset;
  // The first piece that may overlap: the one before `offset` if it reaches past it.
  auto it = buffer_.upper_bound(cursor);
  if (it != buffer_.begin()) {
    auto prev = std::prev(it);
    if (prev->first + prev->second.data.size() > cursor) it = prev;
  }
  auto insert = [&](uint64_t b, uint64_t e) {
    Piece piece;
    piece.data.assign(data.begin() + (b - offset), data.begin() + (e - offset));
    piece.frame_number = frame_number;
    piece.time = time;
    buffered_bytes_ += piece.data.size();
    buffer_.emplace_hint(it, b, std::move(piece));
  };
  while (cursor < end) {
    if (it == buffer_.end() || it->first >= end) {
      insert(cursor, end);
      break;
    }
    if (it->first > cursor) {
      insert(cursor, it->first);
      cursor = it->first;
    }
    const uint64_t piece_end = it->first + it->second.data.size();
    const uint64_t overlap_end = std::min(end, piece_end);
    if (overlap_end > cursor) {  // first data wins: keep the buffered copy, compare
      stats_.retransmitted_bytes += overlap_end - cursor;
      if (std::memcmp(it->second.data.data() + (cursor - it->first),
                      data.data() + (cursor - offset),
                      static_cast<size_t>(overlap_end - cursor)) != 0) {
        conflict = true;
      }
      cursor = overlap_end;
    }
    ++it;
  }
  return conflict;
}

void TcpReassembler::Deliver(Bytes data, uint64_t frame_number, CaptureNanos time) {
  if (data.empty()) return;
  next_offset_ += data.size();
  stats_.delivered_bytes += data.size();
  const size_t keep = limits_.retransmit_check_bytes;
  if (keep > 0) {
    if (data.size() >= keep) {
      history_.assign(data.end() - keep, data.end());
    } else {
      history_.insert(history_.end(), data.begin(), data.end());
      // Trim in batches: amortised O(1) per byte, at most twice the window in memory.
      if (history_.size() > 2 * keep) history_.erase(history_.begin(), history_.end() - keep);
    }
  }
  sink_->OnData(data, frame_number, time);
}

void TcpReassembler::Gap(uint64_t missing) {
  if (missing == 0) return;
  next_offset_ += missing;
  stats_.gap_bytes += missing;
  ++stats_.gaps;
  history_.clear();  // history_ must end at next_offset_
  sink_->OnGap(missing);
}

void TcpReassembler::DrainContiguous() {
  while (!buffer_.empty() && buffer_.begin()->first <= next_offset_) {
    auto it = buffer_.begin();
    const uint64_t at = it->first;
    Piece piece = std::move(it->second);
    buffer_.erase(it);
    buffered_bytes_ -= piece.data.size();
    const uint64_t piece_end = at + piece.data.size();
    if (piece_end <= next_offset_) continue;
    Bytes bytes(piece.data.data(), piece.data.size());
    Deliver(bytes.subspan(static_cast<size_t>(next_offset_ - at)), piece.frame_number, piece.time);
  }
  MaybeEndAtFin();
}

void TcpReassembler::SkipToFirstBuffered() {
  if (buffer_.empty()) return;
  const uint64_t first = buffer_.begin()->first;
  if (first > next_offset_) Gap(first - next_offset_);
  DrainContiguous();
}

void TcpReassembler::SkipTo(uint32_t ack) {
  if (!started_ || ended_) return;
  int64_t target = OffsetOf(ack);
  // An ACK of the FIN covers one more sequence number than the data.
  if (has_fin_ && target > static_cast<int64_t>(fin_offset_)) {
    target = static_cast<int64_t>(fin_offset_);
  }
  if (target <= static_cast<int64_t>(next_offset_)) return;
  const auto target_offset = static_cast<uint64_t>(target);
  while (!ended_ && !buffer_.empty() && buffer_.begin()->first < target_offset) {
    SkipToFirstBuffered();
  }
  if (!ended_ && next_offset_ < target_offset) Gap(target_offset - next_offset_);
  MaybeEndAtFin();
}

void TcpReassembler::Flush(TcpStreamEnd reason) {
  if (ended_) return;
  while (!ended_ && !buffer_.empty()) SkipToFirstBuffered();
  if (ended_) return;
  if (has_fin_) {
    // The FIN tells the stream's length: the bytes missing before it are a gap, then it ends.
    Gap(fin_offset_ - next_offset_);
    End(TcpStreamEnd::kFin);
    return;
  }
  End(reason);
}

void TcpReassembler::MaybeEndAtFin() {
  if (has_fin_ && !ended_ && next_offset_ >= fin_offset_) End(TcpStreamEnd::kFin);
}

void TcpReassembler::End(TcpStreamEnd reason) {
  ended_ = true;
  buffer_.clear();
  buffered_bytes_ = 0;
  history_ = std::vector<uint8_t>();
  sink_->OnEnd(reason);
}

}  // namespace mcpcap
