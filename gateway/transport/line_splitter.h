// Splits a byte stream into newline-terminated lines in linear time, with a cap on line length:
// a longer line is reported once and skipped up to its newline, so the stream resynchronises.
#ifndef MCPCAP_GATEWAY_TRANSPORT_LINE_SPLITTER_H_
#define MCPCAP_GATEWAY_TRANSPORT_LINE_SPLITTER_H_

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace mcpcap::gateway {

class LineSplitter {
 public:
  using LineFn = std::function<void(std::string_view line)>;
  using OverlongFn = std::function<void()>;

  explicit LineSplitter(size_t max_line_bytes) : max_line_bytes_(max_line_bytes) {}

  // Calls `on_line` for each line completed by `data` (without its "\n" or "\r\n") and
  // `on_overlong` once for each line longer than the cap. Each byte is looked at once; at most
  // max_line_bytes are held.
  void Feed(std::string_view data, const LineFn& on_line, const OverlongFn& on_overlong);
  // At end of input: the unterminated last line (empty when there is none or it was too long).
  std::string_view Rest() const { return pending_; }

 private:
  const size_t max_line_bytes_;
  std::string pending_;    // the start of the current line
  bool skipping_ = false;  // the current line was too long: drop it up to its newline
};

}  // namespace mcpcap::gateway

#endif  // MCPCAP_GATEWAY_TRANSPORT_LINE_SPLITTER_H_
