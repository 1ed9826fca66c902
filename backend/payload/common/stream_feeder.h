// Feeds the two sides of a reassembled flow to one StreamParser under the StreamView contract:
// keeps the bytes a parser has not consumed (bounded), skips what it consumed ahead of arrival,
// maps stream offsets back to capture frames, and stops a side that the parser rejects or whose
// next message would not fit in the buffer, saying why.
//
//   StreamFeeder feeder(parser.get());
//   feeder.OnData(Side::kClient, bytes, {frame, time});   // from TcpStreamSink::OnData
//   feeder.OnGap(Side::kServer, missing);                 // from TcpStreamSink::OnGap
//   feeder.OnEnd(Side::kClient);                          // from TcpStreamSink::OnEnd
//   feeder.Finish();                                      // the flow is over
#ifndef MCPCAP_BACKEND_PAYLOAD_COMMON_STREAM_FEEDER_H_
#define MCPCAP_BACKEND_PAYLOAD_COMMON_STREAM_FEEDER_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "backend/payload/common/stream_parser.h"

namespace mcpcap::payload {

struct FeederLimits {
  // Unconsumed bytes kept per side. A parser that needs more than this to frame its next message
  // stops with "message_too_large".
  size_t max_buffered_bytes = 256 * 1024;
};

class StreamFeeder {
 public:
  explicit StreamFeeder(StreamParser* parser, FeederLimits limits = {});
  StreamFeeder(const StreamFeeder&) = delete;
  StreamFeeder& operator=(const StreamFeeder&) = delete;

  // Bytes of `from` following its previous bytes (and gaps), first captured at `at`.
  void OnData(Side from, Bytes data, Position at);
  // `missing` bytes of `from` were never captured.
  void OnGap(Side from, uint64_t missing);
  // `from` sends nothing more. Later data for it is ignored.
  void OnEnd(Side from);
  // Ends both sides (when not ended yet) and lets the parser report what is pending. Once.
  void Finish();

  // The parser gave up on this side; stop_reason says why: "not_recognised" (the bytes did not
  // parse), "lost_sync_after_gap", "message_too_large".
  bool stopped(Side side) const { return sides_[Index(side)].stopped; }
  absl::string_view stop_reason(Side side) const { return sides_[Index(side)].stop_reason; }
  // Bytes offered to the parser (consumed or buffered), including bytes skipped on its request.
  uint64_t bytes_seen(Side side) const { return sides_[Index(side)].next_offset; }
  // Bytes that were not parsed because the side had stopped.
  uint64_t bytes_unparsed(Side side) const { return sides_[Index(side)].unparsed; }
  // Unconsumed bytes held now.
  size_t buffered_bytes(Side side) const { return sides_[Index(side)].buffered(); }
  // Unconsumed bytes left when the side ended (an incomplete last message).
  uint64_t bytes_left_at_end(Side side) const { return sides_[Index(side)].left_at_end; }
  // Bytes the feeder holds, its own object included: the buffers as allocated and the position
  // marks (the parser counts itself: StreamParser::MemoryBytes).
  size_t MemoryBytes() const;

 private:
  struct SideStream {
    std::vector<uint8_t> buffer;  // unconsumed bytes: buffer[start, end)
    size_t start = 0;
    uint64_t next_offset = 0;  // stream offset of the next byte to arrive
    uint64_t skip = 0;         // bytes consumed ahead of arrival, still to drop
    // (stream offset, position) where each delivery began, oldest first.
    std::deque<std::pair<uint64_t, Position>> marks;
    bool after_gap = false;
    bool ended = false;
    bool stopped = false;
    std::string stop_reason;
    uint64_t unparsed = 0;
    uint64_t left_at_end = 0;

    size_t buffered() const { return buffer.size() - start; }
  };
  class View;

  static size_t Index(Side side) { return side == Side::kClient ? 0 : 1; }
  // Runs the parser over `data` (the side's unconsumed bytes, starting at stream offset
  // `offset`) and keeps what it leaves.
  void RunParser(Side from, SideStream& side, Bytes data, uint64_t offset, bool copy_rest);
  void Stop(SideStream& side, std::string reason);
  // Frees an empty buffer that grew for a large message, so an idle flow holds little.
  static void ReleaseSpare(SideStream& side);

  StreamParser* parser_;
  FeederLimits limits_;
  std::array<SideStream, 2> sides_;
  bool finished_ = false;
};

}  // namespace mcpcap::payload

#endif  // MCPCAP_BACKEND_PAYLOAD_COMMON_STREAM_FEEDER_H_
