#include "gateway/transport/line_splitter.h"

#include <cstring>

namespace mcpcap::gateway {

void LineSplitter::Feed(std::string_view data, const LineFn& on_line,
                        const OverlongFn& on_overlong) {
  size_t pos = 0;
  while (pos < data.size()) {
    const void* found = std::memchr(data.data() + pos, '\n', data.size() - pos);
    const size_t end = found == nullptr
                           ? data.size()
                           : static_cast<size_t>(static_cast<const char*>(found) - data.data());
    const std::string_view piece = data.substr(pos, end - pos);
    pos = found == nullptr ? data.size() : end + 1;
    if (skipping_) {
      if (found != nullptr) skipping_ = false;
      continue;
    }
    if (pending_.size() + piece.size() > max_line_bytes_) {
      on_overlong();
      pending_.clear();
      pending_.shrink_to_fit();
      skipping_ = found == nullptr;
      continue;
    }
    if (found == nullptr) {
      pending_.append(piece);
      break;
    }
    std::string_view line = piece;
    if (!pending_.empty()) {
      pending_.append(piece);
      line = pending_;
    }
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    on_line(line);
    pending_.clear();
  }
}

}  // namespace mcpcap::gateway
