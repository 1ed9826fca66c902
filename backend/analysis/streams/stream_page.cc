#include "backend/analysis/streams/stream_page.h"

#include <algorithm>

#include "backend/analysis/streams/payload_text.h"

namespace mcpcap {

void StreamPage::OnGap(int node, uint64_t missing_bytes) { pending_gap_[node] += missing_bytes; }

void StreamPage::OnRecord(int node, Bytes data, uint64_t frame_number, CaptureNanos time) {
  const uint64_t start = position_;
  position_ += data.size();
  const uint64_t gap = pending_gap_[node];
  pending_gap_[node] = 0;
  const uint64_t from = std::max(start, offset_);
  const uint64_t to = std::min(position_, end_);
  if (from >= to) return;

  // Joins the previous chunk when it is this direction's and the bytes follow it without a hole.
  const bool starts_here = from == start;
  const bool joins = merge_ && !chunks_.empty() && chunks_.back().node == node &&
                     chunks_.back().offset + chunks_.back().data.size() == from &&
                     !(starts_here && gap > 0);
  if (!joins) {
    if (chars_ + kChunkOverheadChars > max_chars_ && !chunks_.empty()) {
      end_ = from;
      output_limited_ = true;
      return;
    }
    PageChunk chunk;
    chunk.node = node;
    chunk.frame_number = frame_number;
    chunk.time = time;
    chunk.offset = from;
    chunk.gap_bytes_before = starts_here ? gap : 0;
    chunks_.push_back(std::move(chunk));
    chars_ += kChunkOverheadChars;
  }
  PageChunk& chunk = chunks_.back();
  for (uint64_t i = from - start; i < to - start; ++i) {
    const size_t cost = JsonCharsOfByte(data[i], chunk.data.size(), encoding_);
    // At least one byte per page, so that paging always moves on.
    if (chars_ + cost > max_chars_ && !(chunks_.size() == 1 && chunk.data.empty())) {
      end_ = start + i;
      output_limited_ = true;
      break;
    }
    chunk.data.push_back(data[i]);
    chunk.json_chars += cost;
    chars_ += cost;
  }
  if (chunk.data.empty()) chunks_.pop_back();
}

std::optional<uint64_t> StreamPage::next_offset() const {
  if (end_ < position_) return std::max(end_, offset_);
  return std::nullopt;
}

}  // namespace mcpcap
