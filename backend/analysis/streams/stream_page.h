// One page of a followed stream: the records a follower delivers, kept only where they fall in
// [offset, offset + max_bytes) of the stream (both directions, in order), merged into chunks (a
// run of one direction without a hole, or one datagram), and cut short when the chunks would pass a
// budget of JSON characters. Holds at most the page's bytes, whatever the stream's size.
#ifndef MCPCAP_BACKEND_ANALYSIS_STREAMS_STREAM_PAGE_H_
#define MCPCAP_BACKEND_ANALYSIS_STREAMS_STREAM_PAGE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "backend/analysis/streams/follow_sink.h"
#include "mcpcap/v1/streams.pb.h"

namespace mcpcap {

// JSON characters a chunk costs besides its data (direction, packet reference, numbers).
inline constexpr size_t kChunkOverheadChars = 200;

struct PageChunk {
  int node = 0;
  uint64_t frame_number = 0;
  CaptureNanos time = 0;
  uint64_t offset = 0;
  uint64_t gap_bytes_before = 0;
  std::vector<uint8_t> data;
  size_t json_chars = 0;  // of the encoded data
};

class StreamPage : public FollowSink {
 public:
  // `merge`: records of one direction that follow each other make one chunk (TCP); else every
  // record is a chunk of its own (UDP datagrams).
  StreamPage(uint64_t offset, uint64_t max_bytes, size_t max_chars, v1::PayloadEncoding encoding,
             bool merge = true)
      : merge_(merge),
        offset_(offset),
        end_(offset > UINT64_MAX - max_bytes ? UINT64_MAX : offset + max_bytes),
        max_chars_(max_chars),
        encoding_(encoding) {}

  void OnRecord(int node, Bytes data, uint64_t frame_number, CaptureNanos time) override;
  void OnGap(int node, uint64_t missing_bytes) override;

  // Bytes of the stream so far (both directions).
  uint64_t total_bytes() const { return position_; }
  const std::vector<PageChunk>& chunks() const { return chunks_; }
  // Where the next page starts; none when this one reaches the end of the stream.
  std::optional<uint64_t> next_offset() const;
  // The character budget ended the page before max_bytes.
  bool output_limited() const { return output_limited_; }

 private:
  bool merge_;
  uint64_t offset_;
  uint64_t end_;  // lowered when the budget ends the page early
  size_t max_chars_;
  v1::PayloadEncoding encoding_;
  uint64_t position_ = 0;
  uint64_t pending_gap_[2] = {0, 0};  // reported holes not yet followed by a record
  std::vector<PageChunk> chunks_;
  size_t chars_ = 0;
  bool output_limited_ = false;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_STREAMS_STREAM_PAGE_H_
