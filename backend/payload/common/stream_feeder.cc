#include "backend/payload/common/stream_feeder.h"

#include <algorithm>

#include "backend/payload/common/heap_bytes.h"

namespace mcpcap::payload {
namespace {

// An empty buffer keeps its allocation up to this size, for the next partial message.
constexpr size_t kSpareBufferBytes = 16 * 1024;

}  // namespace

// The parser's window for one Parse call: `data` starts at stream offset `offset`.
class StreamFeeder::View : public StreamView {
 public:
  View(SideStream& side, Bytes data, uint64_t offset) : side_(side), data_(data), offset_(offset) {}

  Bytes data() const override { return data_.subspan(consumed_); }

  Position PositionAt(size_t offset) const override {
    const uint64_t at = offset_ + consumed_ + offset;
    for (auto it = side_.marks.rbegin(); it != side_.marks.rend(); ++it) {
      if (it->first <= at) return it->second;
    }
    return side_.marks.empty() ? Position{} : side_.marks.front().second;
  }

  void Consume(uint64_t n) override {
    if (n == 0) return;
    side_.after_gap = false;
    const uint64_t available = data_.size() - consumed_;
    if (n <= available) {
      consumed_ += static_cast<size_t>(n);
    } else {
      consumed_ = data_.size();
      skip_ahead_ += n - available;
    }
  }

  bool after_gap() const override { return side_.after_gap; }
  bool at_end() const override { return side_.ended; }

  size_t consumed() const { return consumed_; }
  uint64_t skip_ahead() const { return skip_ahead_; }

 private:
  SideStream& side_;
  Bytes data_;
  uint64_t offset_;
  size_t consumed_ = 0;
  uint64_t skip_ahead_ = 0;
};

StreamFeeder::StreamFeeder(StreamParser* parser, FeederLimits limits)
    : parser_(parser), limits_(limits) {}

void StreamFeeder::OnData(Side from, Bytes data, Position at) {
  SideStream& side = sides_[Index(from)];
  if (side.ended || data.empty()) return;
  uint64_t first = side.next_offset;
  side.next_offset += data.size();
  if (side.stopped) {
    side.unparsed += data.size();
    return;
  }
  if (side.skip > 0) {
    const uint64_t n = std::min<uint64_t>(side.skip, data.size());
    side.skip -= n;
    data = data.subspan(static_cast<size_t>(n));
    first += n;
    if (data.empty()) return;
  }
  side.marks.emplace_back(first, at);
  if (side.buffered() == 0) {
    // The common case: parse straight from the segment and copy only what is left over.
    side.buffer.clear();
    side.start = 0;
    RunParser(from, side, data, first, /*copy_rest=*/true);
    return;
  }
  side.buffer.insert(side.buffer.end(), data.begin(), data.end());
  const Bytes buffered(side.buffer.data() + side.start, side.buffered());
  RunParser(from, side, buffered, side.next_offset - buffered.size(), /*copy_rest=*/false);
}

void StreamFeeder::RunParser(Side from, SideStream& side, Bytes data, uint64_t offset,
                             bool copy_rest) {
  View view(side, data, offset);
  const ParseStatus status = parser_->Parse(from, view);
  if (status == ParseStatus::kBad) {
    side.unparsed += data.size() - view.consumed();
    Stop(side, side.after_gap ? "lost_sync_after_gap" : "not_recognised");
    return;
  }
  const Bytes rest = data.subspan(view.consumed());
  if (copy_rest) {
    side.buffer.assign(rest.begin(), rest.end());
    side.start = 0;
  } else {
    side.start += view.consumed();
    if (side.start == side.buffer.size()) {
      side.buffer.clear();
      side.start = 0;
    } else if (side.start > side.buffer.size() / 2) {
      side.buffer.erase(side.buffer.begin(), side.buffer.begin() + side.start);
      side.start = 0;
    }
  }
  side.skip += view.skip_ahead();
  // Marks before the first unconsumed byte are needed no more, except the one covering it.
  const uint64_t first_unconsumed = side.next_offset - side.buffered();
  while (side.marks.size() > 1 && side.marks[1].first <= first_unconsumed) side.marks.pop_front();
  if (side.buffered() > limits_.max_buffered_bytes) {
    side.unparsed += side.buffered();
    Stop(side, side.after_gap ? "lost_sync_after_gap" : "message_too_large");
  }
  ReleaseSpare(side);
}

void StreamFeeder::ReleaseSpare(SideStream& side) {
  if (side.buffered() == 0 && side.buffer.capacity() > kSpareBufferBytes) {
    std::vector<uint8_t>().swap(side.buffer);
    side.start = 0;
  }
}

size_t StreamFeeder::MemoryBytes() const {
  size_t bytes = sizeof(*this);
  for (const SideStream& side : sides_) {
    bytes += HeapBytes(side.buffer) + DequeBytes(side.marks) + HeapBytes(side.stop_reason);
  }
  return bytes;
}

void StreamFeeder::Stop(SideStream& side, std::string reason) {
  side.stopped = true;
  side.stop_reason = std::move(reason);
  side.buffer.clear();
  side.buffer.shrink_to_fit();
  side.start = 0;
  side.marks.clear();
}

void StreamFeeder::OnGap(Side from, uint64_t missing) {
  SideStream& side = sides_[Index(from)];
  if (side.ended || missing == 0) return;
  side.next_offset += missing;
  if (side.stopped) return;
  if (side.skip >= missing) {  // the parser meant to skip these bytes anyway
    side.skip -= missing;
    return;
  }
  side.skip = 0;
  side.buffer.clear();  // a partial message whose rest is lost
  side.start = 0;
  ReleaseSpare(side);
  side.marks.clear();
  side.after_gap = true;
  parser_->OnBytesLost(from);
}

void StreamFeeder::OnEnd(Side from) {
  SideStream& side = sides_[Index(from)];
  if (side.ended) return;
  side.ended = true;
  if (!side.stopped && side.buffered() > 0) {
    const Bytes buffered(side.buffer.data() + side.start, side.buffered());
    RunParser(from, side, buffered, side.next_offset - buffered.size(), /*copy_rest=*/false);
  }
  if (!side.stopped) side.left_at_end = side.buffered();
  parser_->OnEnd(from);
}

void StreamFeeder::Finish() {
  if (finished_) return;
  finished_ = true;
  OnEnd(Side::kClient);
  OnEnd(Side::kServer);
  parser_->Finish();
}

}  // namespace mcpcap::payload
