// The head of an HTTP/1.x message: start line and header fields, as views into the bytes it was
// parsed from. Also the start-line checks the stream parser uses to recognise HTTP and to find
// the next message after a gap.
#ifndef MCPCAP_BACKEND_PAYLOAD_HTTP_HTTP_MESSAGE_H_
#define MCPCAP_BACKEND_PAYLOAD_HTTP_HTTP_MESSAGE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "backend/base/byte_reader.h"

namespace mcpcap::payload {

inline constexpr size_t kMaxHttpHeaders = 128;  // header fields kept per message

struct HttpHead {
  bool is_request = false;
  absl::string_view method;  // requests
  absl::string_view uri;
  absl::string_view version;  // "HTTP/1.1"
  int status = 0;             // responses
  absl::string_view reason;
  // In order; continuation lines (obsolete folding) are dropped.
  std::vector<std::pair<absl::string_view, absl::string_view>> headers;

  // The first field named `name` (case-insensitive), trimmed; nullopt when absent.
  std::optional<absl::string_view> Get(absl::string_view name) const;
};

// True for "METHOD SP request-target SP HTTP/d.d" (without the line end).
bool IsRequestLine(absl::string_view line);
// True for "HTTP/d.d SP ddd [SP reason]".
bool IsStatusLine(absl::string_view line);
// False when `prefix` (the first bytes of a message, maybe less than a line) can no longer
// become a request line / a status line.
bool CouldBeRequestLine(absl::string_view prefix);
bool CouldBeStatusLine(absl::string_view prefix);

// Offset just past the blank line ending the head in `data`, searching from `from` (an offset
// already searched without success, so that byte-by-byte arrival stays linear); 0 when the head
// is not complete yet.
size_t FindHeadEnd(absl::string_view data, size_t from);

// Parses the head `text` (start line to blank line). False when the start line is neither a
// request line nor a status line.
bool ParseHttpHead(absl::string_view text, HttpHead* out);

// The line starting at data[0] without its CR LF / LF; nullopt when no LF within `max` bytes.
std::optional<absl::string_view> LineAt(absl::string_view data, size_t max);

}  // namespace mcpcap::payload

#endif  // MCPCAP_BACKEND_PAYLOAD_HTTP_HTTP_MESSAGE_H_
