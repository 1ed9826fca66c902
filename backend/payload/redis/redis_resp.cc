#include "backend/payload/redis/redis_resp.h"

#include <algorithm>
#include <cstring>

#include "absl/strings/numbers.h"
#include "absl/strings/string_view.h"
#include "backend/payload/common/heap_bytes.h"

namespace mcpcap::payload {
namespace {

// A RESP line other than a simple string or error longer than this is not RESP.
constexpr size_t kMaxHeaderLine = 4096;
// Simple strings and errors longer than this (MONITOR lines quote whole commands) are streamed.
constexpr size_t kStreamLineAfter = 1024;
constexpr int64_t kMaxBulkLength = int64_t{1} << 32;
constexpr int64_t kMaxCount = int64_t{1} << 31;

bool IsTypeByte(char c) {
  switch (c) {
    case '+':
    case '-':
    case ':':
    case '$':
    case '*':
    case '%':
    case '~':
    case '>':
    case '|':
    case '_':
    case '#':
    case ',':
    case '(':
    case '=':
    case '!':
      return true;
    default:
      return false;
  }
}

// A strict RESP integer: optional '-', 1 to 19 digits.
bool ParseInteger(absl::string_view s, int64_t* out) {
  if (s.empty() || s.size() > 20) return false;
  const size_t digits_from = s[0] == '-' ? 1 : 0;
  if (digits_from == s.size()) return false;
  for (size_t i = digits_from; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return absl::SimpleAtoi(s, out);
}

bool IsBigNumberText(absl::string_view s) {
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool IsDoubleText(absl::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' ||
          c == 'i' || c == 'n' || c == 'f' || c == 'a')) {
      return false;
    }
  }
  return true;
}

std::string Bounded(absl::string_view s, size_t max) { return std::string(s.substr(0, max)); }

}  // namespace

bool IsRespReplyLine(absl::string_view line) {
  if (line.empty() || !IsTypeByte(line[0])) return false;
  const absl::string_view rest = line.substr(1);
  int64_t n = 0;
  switch (line[0]) {
    case '+':
    case '-':
      for (char c : rest) {
        if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) {
          return false;
        }
      }
      return line[0] == '+' || !rest.empty();
    case ':':
      return ParseInteger(rest, &n);
    case '_':
      return rest.empty();
    case '#':
      return rest == "t" || rest == "f";
    case ',':
      return IsDoubleText(rest);
    case '(':
      return IsBigNumberText(rest);
    case '$':
    case '*':
      return ParseInteger(rest, &n) && n >= -1 && n <= kMaxBulkLength;
    default:
      return ParseInteger(rest, &n) && n >= 0 && n <= kMaxCount;
  }
}

void RespReader::Reset() {
  state_ = State::kLine;
  in_value_ = false;
  value_ = RespValue();
  stack_.clear();
  body_left_ = 0;
  crlf_left_ = 0;
  body_keep_ = 0;
  body_text_.clear();
  line_text_.clear();
}

RespReader::Result RespReader::Next(StreamView& view) {
  while (true) {
    Step step = Step::kBad;
    switch (state_) {
      case State::kLine:
        step = ReadLine(view);
        break;
      case State::kBody:
        step = ReadBody(view);
        break;
      case State::kLineRest:
        step = SkipLineRest(view);
        break;
    }
    switch (step) {
      case Step::kContinue:
        continue;
      case Step::kValue:
        return Result::kValue;
      case Step::kNeedMore:
        return Result::kNeedMore;
      case Step::kBad:
        return Result::kBad;
    }
  }
}

void RespReader::StartValue(StreamView& view) {
  if (in_value_) return;
  value_ = RespValue();
  value_.start = view.PositionAt(0);
  in_value_ = true;
}

void RespReader::Take(StreamView& view, size_t n) {
  const Bytes data = view.data();
  if (value_.head.size() < kPreviewBytes) {
    const size_t keep = std::min(n, kPreviewBytes - value_.head.size());
    value_.head.append(reinterpret_cast<const char*>(data.data()), keep);
  }
  value_.wire_length += n;
  view.Consume(n);
}

size_t RespReader::MemoryBytes() const {
  return HeapBytes(value_.text) + HeapBytes(value_.elements) + HeapBytes(value_.element_sizes) +
         HeapBytes(value_.head) + HeapBytes(stack_) + HeapBytes(body_text_) + HeapBytes(line_text_);
}

bool RespReader::KeepsElement() const { return stack_.size() == 1 && !stack_[0].attribute; }

RespReader::Step RespReader::ElementDone(const std::string& text, bool aggregate, uint64_t size) {
  if (KeepsElement() && value_.elements.size() < kRespMaxKeptElements) {
    value_.elements.push_back(aggregate ? std::string() : text);
    value_.element_sizes.push_back(size);
  }
  while (!stack_.empty()) {
    Frame& top = stack_.back();
    if (--top.remaining > 0) return Step::kContinue;
    const bool attribute = top.attribute;
    stack_.pop_back();
    // An attribute annotates the value that follows it: its end completes nothing.
    if (attribute) return Step::kContinue;
    if (KeepsElement() && value_.elements.size() < kRespMaxKeptElements) {
      value_.elements.emplace_back();
      value_.element_sizes.push_back(0);
    }
  }
  in_value_ = false;
  return Step::kValue;
}

RespReader::Step RespReader::ReadLine(StreamView& view) {
  const Bytes data = view.data();
  if (data.empty()) return Step::kNeedMore;
  const char type = static_cast<char>(data[0]);
  const bool top = stack_.empty();
  const bool is_inline = client_side_ && top && !in_value_ && type != '*';
  if (is_inline &&
      (static_cast<unsigned char>(type) < 0x20 && type != '\r' && type != '\n' && type != '\t')) {
    return Step::kBad;  // binary: not a command line
  }
  const bool simple = !is_inline && (type == '+' || type == '-');
  const size_t limit = is_inline ? kRespMaxInlineBytes : simple ? kStreamLineAfter : kMaxHeaderLine;
  const size_t search = std::min(data.size(), limit + 2);
  const auto* newline = static_cast<const uint8_t*>(std::memchr(data.data(), '\n', search));
  if (newline == nullptr) {
    if (data.size() < limit + 2) return Step::kNeedMore;
    if (!simple) return Step::kBad;
    // A very long status line: keep its start, skip the rest as it comes.
    StartValue(view);
    if (top) value_.type = type;
    absl::string_view text(reinterpret_cast<const char*>(data.data()) + 1, search - 1);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    line_text_ = Bounded(text, top ? kMaxTextBytes : kMaxValueBytes);
    Take(view, search);  // no line end in these bytes
    state_ = State::kLineRest;
    return Step::kContinue;
  }
  const size_t line_length = static_cast<size_t>(newline - data.data()) + 1;  // with the '\n'
  size_t content_length = line_length - 1;
  if (content_length > 0 && data[content_length - 1] == '\r') {
    --content_length;
  } else if (!is_inline) {
    return Step::kBad;  // RESP lines end with CRLF
  }
  if (is_inline) return ReadInline(view, line_length, content_length);

  if (content_length == 0) return Step::kBad;  // a bare CRLF where a type byte belongs
  const absl::string_view line(reinterpret_cast<const char*>(data.data()), content_length);
  const absl::string_view rest = line.substr(1);
  if (!IsTypeByte(type)) return Step::kBad;
  StartValue(view);
  if (top && type != '|') value_.type = type;
  int64_t n = 0;
  switch (type) {
    case '+':
    case '-':
    case ':':
    case '_':
    case '#':
    case ',':
    case '(': {
      if (type == ':' && !ParseInteger(rest, &n)) return Step::kBad;
      if (type == '_' && !rest.empty()) return Step::kBad;
      if (type == '#' && rest != "t" && rest != "f") return Step::kBad;
      if (type == ',' && !IsDoubleText(rest)) return Step::kBad;
      if (type == '(' && !IsBigNumberText(rest)) return Step::kBad;
      const std::string text = Bounded(rest, top ? kMaxTextBytes : kMaxValueBytes);
      Take(view, line_length);
      if (top) {
        value_.text = text;
        value_.number = type == ':' ? n : 0;
        value_.null = type == '_';
      }
      return ElementDone(text, false, rest.size());
    }
    case '$':
    case '=':
    case '!': {
      if (type == '$' && rest == "-1") {
        Take(view, line_length);
        if (top) {
          value_.null = true;
          value_.number = -1;
        }
        return ElementDone(std::string(), false, 0);
      }
      if (!ParseInteger(rest, &n) || n < 0 || n > kMaxBulkLength) return Step::kBad;
      Take(view, line_length);
      if (top) value_.number = n;
      body_left_ = static_cast<uint64_t>(n);
      body_size_ = body_left_;
      crlf_left_ = 2;
      body_keep_ = top || KeepsElement() ? std::min<uint64_t>(body_left_, kMaxValueBytes) : 0;
      body_text_.clear();
      state_ = State::kBody;
      return Step::kContinue;
    }
    default: {  // aggregates: * % ~ > |
      // "*-1" is a null array; a client's command of any count <= 0 is skipped by the server
      // as an empty command, and so by us.
      const bool empty_command =
          client_side_ && top && type == '*' && ParseInteger(rest, &n) && n < 0;
      if (type == '*' && (rest == "-1" || empty_command)) {
        Take(view, line_length);
        if (top) {
          value_.null = true;
          value_.number = -1;
        }
        return ElementDone(std::string(), true, 0);
      }
      if (!ParseInteger(rest, &n) || n < 0 || n > kMaxCount) return Step::kBad;
      if (stack_.size() >= kRespMaxDepth) return Step::kBad;
      Take(view, line_length);
      const bool attribute = type == '|';
      const uint64_t elements = static_cast<uint64_t>(n) * (type == '%' || attribute ? 2 : 1);
      if (top && !attribute) value_.number = n;
      if (top && attribute) value_.has_attribute = true;
      if (elements == 0) return attribute ? Step::kContinue : ElementDone(std::string(), true, 0);
      stack_.push_back({type, elements, attribute});
      return Step::kContinue;
    }
  }
}

RespReader::Step RespReader::ReadInline(StreamView& view, size_t line_length,
                                        size_t content_length) {
  const Bytes data = view.data();
  // Any bytes after the first: the server splits the line at white space whatever it holds.
  const absl::string_view line(reinterpret_cast<const char*>(data.data()), content_length);
  StartValue(view);
  value_.type = 'i';
  size_t pos = 0;
  while (pos < line.size()) {
    while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t')) ++pos;
    size_t end = pos;
    while (end < line.size() && line[end] != ' ' && line[end] != '\t') ++end;
    if (end > pos) {
      if (value_.elements.size() < kRespMaxKeptElements) {
        value_.elements.push_back(Bounded(line.substr(pos, end - pos), kMaxValueBytes));
        value_.element_sizes.push_back(end - pos);
      }
      ++value_.number;
    }
    pos = end;
  }
  Take(view, line_length);
  if (value_.elements.empty()) {  // an empty line: Redis ignores it
    in_value_ = false;
    return Step::kContinue;
  }
  in_value_ = false;
  return Step::kValue;
}

RespReader::Step RespReader::ReadBody(StreamView& view) {
  if (body_left_ > 0) {
    const Bytes data = view.data();
    const size_t n = static_cast<size_t>(std::min<uint64_t>(data.size(), body_left_));
    if (body_text_.size() < body_keep_) {
      const size_t keep = std::min(n, body_keep_ - body_text_.size());
      body_text_.append(reinterpret_cast<const char*>(data.data()), keep);
    }
    if (n > 0) Take(view, n);
    body_left_ -= n;
    if (body_left_ > 0) {
      // Read on while the value or the preview wants bytes; the preview fills within 64 bytes.
      if (body_text_.size() < body_keep_ || value_.head.size() < kPreviewBytes) {
        return Step::kNeedMore;
      }
      // Nothing more to keep: skip the rest of the body (and its CRLF) without buffering it.
      const uint64_t skip = body_left_ + static_cast<uint64_t>(crlf_left_);
      value_.wire_length += skip;
      view.Consume(skip);
      body_left_ = 0;
      crlf_left_ = 0;
    }
  }
  while (crlf_left_ > 0) {
    const Bytes data = view.data();
    if (data.empty()) return Step::kNeedMore;
    if (data[0] != (crlf_left_ == 2 ? '\r' : '\n')) return Step::kBad;
    Take(view, 1);
    --crlf_left_;
  }
  state_ = State::kLine;
  if (stack_.empty()) value_.text = body_text_;
  return ElementDone(body_text_, false, body_size_);
}

RespReader::Step RespReader::SkipLineRest(StreamView& view) {
  const Bytes data = view.data();
  if (data.empty()) return Step::kNeedMore;
  const auto* newline = static_cast<const uint8_t*>(std::memchr(data.data(), '\n', data.size()));
  if (newline == nullptr) {
    Take(view, data.size());
    return Step::kNeedMore;
  }
  Take(view, static_cast<size_t>(newline - data.data()) + 1);
  state_ = State::kLine;
  if (stack_.empty()) value_.text = line_text_;
  return ElementDone(line_text_, false, line_text_.size());
}

}  // namespace mcpcap::payload
