#include "gateway/http/request_framer.h"

#include <strings.h>

#include <algorithm>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace mcpcap::gateway {
namespace {

// Bytes of chunk framing allowed per decoded body byte budget: sizes, extensions, CRLFs.
constexpr size_t kMaxChunkLineBytes = 1024;
constexpr size_t kMaxTrailerBytes = 8 << 10;

// The end of the line starting at `pos` (the offset of its '\n'), or npos.
size_t LineEnd(std::string_view s, size_t pos) {
  const void* nl = std::memchr(s.data() + pos, '\n', s.size() - pos);
  return nl == nullptr ? std::string_view::npos
                       : static_cast<size_t>(static_cast<const char*>(nl) - s.data());
}

std::string_view TrimCr(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool Is(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

// Digits only (no sign, no spaces), at most 15 of them: no overflow.
bool ParseNumber(std::string_view s, int base, uint64_t* out) {
  if (s.empty() || s.size() > 15) return false;
  uint64_t n = 0;
  for (char ch : s) {
    int digit = -1;
    if (ch >= '0' && ch <= '9') digit = ch - '0';
    if (base == 16 && ch >= 'a' && ch <= 'f') digit = ch - 'a' + 10;
    if (base == 16 && ch >= 'A' && ch <= 'F') digit = ch - 'A' + 10;
    if (digit < 0) return false;
    n = n * static_cast<uint64_t>(base) + static_cast<uint64_t>(digit);
  }
  *out = n;
  return true;
}

}  // namespace

RequestFramer::State RequestFramer::Fail(int status, std::string reason) {
  status_ = status;
  reason_ = std::move(reason);
  return State::kError;
}

RequestFramer::State RequestFramer::Update(std::string_view buffered) {
  if (status_ != 0) return State::kError;
  if (head_end_ == 0) {
    // Leading empty lines before a request are allowed (RFC 9112 2.2); skip them.
    size_t from = scanned_ >= 3 ? scanned_ - 3 : 0;
    size_t end = std::string_view::npos;
    for (size_t nl; (nl = LineEnd(buffered, from)) != std::string_view::npos; from = nl + 1) {
      const bool blank_next = nl + 1 < buffered.size() && buffered[nl + 1] == '\n';
      const bool crlf_next =
          nl + 2 < buffered.size() && buffered[nl + 1] == '\r' && buffered[nl + 2] == '\n';
      if (blank_next || crlf_next) {
        end = nl + (blank_next ? 2 : 3);
        break;
      }
    }
    scanned_ = buffered.size();
    if (end == std::string_view::npos) {
      if (buffered.size() > limits_.max_head_bytes) {
        return Fail(431, absl::StrCat("request head over ", limits_.max_head_bytes, " bytes"));
      }
      return State::kIncomplete;
    }
    if (end > limits_.max_head_bytes) {
      return Fail(431, absl::StrCat("request head over ", limits_.max_head_bytes, " bytes"));
    }
    head_end_ = end;
    if (ParseHead(buffered.substr(0, end)) == State::kError) return State::kError;
    chunk_pos_ = head_end_;
  }
  if (chunked_) return ScanChunked(buffered);
  if (buffered.size() - head_end_ < content_length_) return State::kIncomplete;
  length_ = head_end_ + content_length_;
  return State::kComplete;
}

RequestFramer::State RequestFramer::ParseHead(std::string_view head) {
  size_t headers = 0;
  bool has_length = false;
  bool first = true;
  for (size_t pos = 0, nl; (nl = LineEnd(head, pos)) != std::string_view::npos; pos = nl + 1) {
    const std::string_view line = TrimCr(head.substr(pos, nl - pos));
    if (line.empty()) {
      if (first) continue;
      break;
    }
    if (first) {  // the request line
      first = false;
      continue;
    }
    if (++headers > limits_.max_headers) {
      return Fail(431, absl::StrCat("more than ", limits_.max_headers, " header fields"));
    }
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) return Fail(400, "a header line without ':'");
    const std::string_view name = line.substr(0, colon);
    const std::string_view value = Trim(line.substr(colon + 1));
    if (Is(name, "Content-Length")) {
      uint64_t n = 0;
      if (!ParseNumber(value, 10, &n) || (has_length && n != content_length_)) {
        return Fail(400, "invalid Content-Length");
      }
      has_length = true;
      content_length_ = n;
    } else if (Is(name, "Transfer-Encoding")) {
      if (!Is(value, "chunked") || chunked_) {
        return Fail(501, "only Transfer-Encoding: chunked is supported");
      }
      chunked_ = true;
    } else if (Is(name, "Content-Encoding")) {
      if (!Is(value, "identity")) {
        return Fail(415, "Content-Encoding is not supported: send the body uncompressed");
      }
    } else if (Is(name, "Expect")) {
      expect_continue_ = Is(value, "100-continue");
    }
  }
  if (chunked_ && has_length) return Fail(400, "both Content-Length and Transfer-Encoding");
  if (content_length_ > limits_.max_body_bytes) {
    return Fail(413, absl::StrCat("body over ", limits_.max_body_bytes, " bytes"));
  }
  return State::kIncomplete;
}

RequestFramer::State RequestFramer::ScanChunked(std::string_view buffered) {
  while (true) {
    if (chunk_ == Chunk::kData) {
      const uint64_t have = buffered.size() - chunk_pos_;
      const uint64_t take = std::min(have, chunk_left_);
      chunk_pos_ += take;
      chunk_left_ -= take;
      if (chunk_left_ > 0) return State::kIncomplete;
      chunk_ = Chunk::kDataEnd;
      continue;
    }
    const size_t nl = LineEnd(buffered, chunk_pos_);
    const size_t limit = chunk_ == Chunk::kTrailer ? kMaxTrailerBytes : kMaxChunkLineBytes;
    if (nl == std::string_view::npos) {
      if (buffered.size() - chunk_pos_ > limit) return Fail(400, "malformed chunked body");
      return State::kIncomplete;
    }
    if (nl - chunk_pos_ > limit) return Fail(400, "malformed chunked body");
    const std::string_view line = TrimCr(buffered.substr(chunk_pos_, nl - chunk_pos_));
    chunk_pos_ = nl + 1;
    switch (chunk_) {
      case Chunk::kSize: {
        const std::string_view digits = line.substr(0, line.find(';'));
        uint64_t size = 0;
        if (!ParseNumber(Trim(digits), 16, &size)) {
          return Fail(400, "malformed chunk size");
        }
        decoded_ += size;
        if (decoded_ > limits_.max_body_bytes) {
          return Fail(413, absl::StrCat("body over ", limits_.max_body_bytes, " bytes"));
        }
        chunk_left_ = size;
        chunk_ = size == 0 ? Chunk::kTrailer : Chunk::kData;
        break;
      }
      case Chunk::kDataEnd:
        if (!line.empty()) return Fail(400, "chunk data longer than its size");
        chunk_ = Chunk::kSize;
        break;
      case Chunk::kTrailer:
        if (line.empty()) {
          length_ = chunk_pos_;
          return State::kComplete;
        }
        break;
      case Chunk::kData:
        break;
    }
  }
}

}  // namespace mcpcap::gateway
