// Incremental framing of RESP2 / RESP3 values (the Redis protocol) over a StreamView, one
// top-level value at a time, with bounded copies: a value is read line by line and bulk bodies
// are streamed, so a 200 MB bulk string costs no memory (its unread rest is skipped with
// Consume). The client side also accepts inline commands ("PING\r\n").
//
//   RespReader reader(/*client=*/false);
//   while (true) {
//     RespReader::Result r = reader.Next(view);
//     if (r != RespReader::Result::kValue) return ...;   // kNeedMore or kBad
//     Use(reader.value());
//   }
#ifndef MCPCAP_BACKEND_PAYLOAD_REDIS_REDIS_RESP_H_
#define MCPCAP_BACKEND_PAYLOAD_REDIS_REDIS_RESP_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "backend/payload/common/stream_parser.h"

namespace mcpcap::payload {

// Elements of a top-level aggregate whose values are kept (RESP commands: the arguments).
inline constexpr size_t kRespMaxKeptElements = 64;
// Aggregates nested deeper than this are rejected (a real server nests a few levels).
inline constexpr size_t kRespMaxDepth = 32;
// An inline command longer than this without a line end is rejected (Redis's own limit).
inline constexpr size_t kRespMaxInlineBytes = 64 * 1024;

// One top-level value as read from the wire, bounded.
struct RespValue {
  // The RESP type byte of the value ('+', '-', ':', '$', '*', '%', '~', '>', '_', '#', ',',
  // '(', '=', '!'), or 'i' for an inline command.
  char type = 0;
  bool null = false;   // $-1, *-1, _
  int64_t number = 0;  // ':' the integer; '$' '=' '!' the length; aggregates the count
  std::string text;    // line text of simple types, first bytes of a bulk body (bounded)
  // Top-level aggregate (and inline command): each element's text, at most kRespMaxKeptElements,
  // each at most kMaxValueBytes; a nested aggregate element is kept as "".
  std::vector<std::string> elements;
  std::vector<uint64_t> element_sizes;  // each kept element's full size on the wire (bulk length)
  bool has_attribute = false;           // a RESP3 attribute (|) preceded the value
  Position start;                       // where its first byte was captured
  uint64_t wire_length = 0;             // bytes on the wire (skipped bytes included)
  std::string head;                     // first kPreviewBytes bytes
};

// True when `line` (without its CRLF) is a well-formed RESP line of a reply: a type byte and a
// value that fits it ("$5", ":-1", "+OK", "#t"). Used to find a message start after a gap.
bool IsRespReplyLine(absl::string_view line);

class RespReader {
 public:
  enum class Result : uint8_t { kValue, kNeedMore, kBad };

  explicit RespReader(bool client_side) : client_side_(client_side) {}

  // Reads from `view` until a top-level value is complete (kValue: see value()), the bytes run
  // out (kNeedMore: all that was read is consumed), or the bytes are not RESP (kBad).
  Result Next(StreamView& view);
  const RespValue& value() const { return value_; }
  // Forgets a partly read value (after a gap).
  void Reset();
  // Heap bytes of the value being read (its kept elements) and of the nesting stack.
  size_t MemoryBytes() const;

 private:
  struct Frame {
    char type;
    uint64_t remaining;  // elements still to come
    bool attribute;
  };
  enum class State : uint8_t { kLine, kBody, kLineRest };
  // What one step of reading did.
  enum class Step : uint8_t { kContinue, kValue, kNeedMore, kBad };

  Step ReadLine(StreamView& view);
  Step ReadInline(StreamView& view, size_t line_length, size_t content_length);
  Step ReadBody(StreamView& view);
  Step SkipLineRest(StreamView& view);
  // Consumes n bytes of data, keeping them in the value's preview.
  void Take(StreamView& view, size_t n);
  // A scalar or a whole aggregate ended: kValue when the top-level value is complete.
  Step ElementDone(const std::string& text, bool aggregate, uint64_t size);
  bool KeepsElement() const;
  void StartValue(StreamView& view);

  bool client_side_;
  State state_ = State::kLine;
  bool in_value_ = false;
  RespValue value_;
  std::vector<Frame> stack_;
  // kBody: the bulk being read.
  uint64_t body_size_ = 0;  // its length
  uint64_t body_left_ = 0;  // value bytes still to come
  int crlf_left_ = 0;       // of its final CRLF
  size_t body_keep_ = 0;    // bytes of it to keep
  std::string body_text_;
  // kLineRest: a long simple-string line being skipped.
  std::string line_text_;
};

}  // namespace mcpcap::payload

#endif  // MCPCAP_BACKEND_PAYLOAD_REDIS_REDIS_RESP_H_
