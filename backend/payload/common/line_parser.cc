#include "backend/payload/common/line_parser.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "backend/payload/common/heap_bytes.h"
#include "backend/payload/common/text_bounds.h"

namespace mcpcap::payload {

ParseStatus LineParser::Parse(Side from, StreamView& view) {
  SideState& side = sides_[Index(from)];
  while (true) {
    const Bytes data = view.data();
    if (side.raw) {
      view.Consume(data.size());
      return ParseStatus::kNeedMore;
    }
    if (view.after_gap()) {
      side.resync = true;
      side.skip = 0;
    }
    if (side.skip > 0) {
      const uint64_t n = side.skip;
      side.skip = 0;
      view.Consume(n);  // may reach past data: the feeder drops the rest as it arrives
      continue;
    }
    if (data.empty()) return ParseStatus::kNeedMore;
    const size_t window = std::min(data.size(), kMaxLineBytes);
    const auto* begin = data.data();
    const auto* lf = std::find(begin, begin + window, '\n');
    if (lf == begin + window) {
      if (data.size() >= kMaxLineBytes) {
        if (!side.resync && !side.noted_long) {
          side.noted_long = true;
          Note(absl::StrCat(from == Side::kClient ? "client" : "server",
                            ": skipped a line longer than ", kMaxLineBytes, " bytes"));
        }
        side.resync = true;
        view.Consume(window);
        continue;
      }
      if (!view.at_end()) return ParseStatus::kNeedMore;
      // The side ended inside a line: take what is there as its last line.
    }
    const size_t n = lf == begin + window ? data.size() : static_cast<size_t>(lf - begin) + 1;
    absl::string_view line(reinterpret_cast<const char*>(begin), n);
    if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const Position at = view.PositionAt(0);
    if (side.resync) {
      side.resync = false;  // the tail of a line whose start was lost
    } else {
      OnLine(from, line, at, n);
    }
    view.Consume(n);
  }
}

void LineParser::StartEncryption(absl::string_view encryption) {
  facts_->encrypted = true;
  facts_->encryption = std::string(encryption);
  StopSide(Side::kClient);
  StopSide(Side::kServer);
}

void LineParser::Emit(Side from, Position at, std::string type, absl::string_view summary,
                      uint64_t length, std::vector<std::pair<std::string, std::string>> fields) {
  AppMessage m;
  m.from = from;
  m.start = at;
  m.type = std::move(type);
  m.summary = OneLine(summary, kMaxTextBytes);
  m.length = length;
  m.head = BoundedText(summary.substr(0, kPreviewBytes), summary.size(), kPreviewBytes);
  if (fields.size() > kMaxFields) fields.resize(kMaxFields);
  for (auto& [key, value] : fields) value = BoundedText(value, value.size());
  m.fields = std::move(fields);
  events_->OnMessage(std::move(m));
}

void LineParser::EmitCredential(Side from, Position at, std::string kind, absl::string_view user,
                                std::string evidence) {
  Credential c;
  c.from = from;
  c.at = at;
  c.kind = std::move(kind);
  c.user = BoundedValue(user);
  c.evidence = std::move(evidence);
  events_->OnCredential(std::move(c));
}

void LineParser::Note(std::string note) {
  if (facts_->notes.size() < 16) facts_->notes.push_back(std::move(note));
}

size_t ReplyAssembler::MemoryBytes() const {
  return HeapBytes(current_.first_line) + HeapBytes(current_.text);
}

bool ReplyAssembler::Add(absl::string_view line, Position at, uint64_t length, Reply* out) {
  int code = 0;
  bool last = true;
  const bool coded = ParseReplyCode(line, &code, &last);
  const absl::string_view text = coded ? line.substr(std::min<size_t>(line.size(), 4)) : line;
  if (!open_) {
    current_ = Reply{};
    current_.code = coded ? code : 0;
    current_.first_line = BoundedText(line, line.size());
    current_.at = at;
    lines_ = 0;
  }
  current_.length += length;
  if (current_.text.size() < kMaxTextBytes) {
    if (lines_ > 0) current_.text += "; ";
    current_.text += BoundedText(text, text.size());
  }
  ++lines_;
  // A multi-line reply ends with a line of the same code and a space (RFC 959 4.2, 5321 4.2.1);
  // lines in between may be anything.
  const bool ends = !open_ ? (!coded || last) : (coded && code == current_.code && last);
  if (ends || lines_ >= 10000) {
    open_ = false;
    *out = std::move(current_);
    return true;
  }
  open_ = true;
  return false;
}

std::pair<absl::string_view, absl::string_view> SplitVerb(absl::string_view line) {
  const size_t space = line.find(' ');
  if (space == absl::string_view::npos) return {line, {}};
  return {line.substr(0, space), line.substr(space + 1)};
}

std::string UpperWord(absl::string_view word) { return absl::AsciiStrToUpper(BoundedValue(word)); }

bool ParseReplyCode(absl::string_view line, int* code, bool* last) {
  if (line.size() < 3 || !absl::ascii_isdigit(static_cast<unsigned char>(line[0])) ||
      !absl::ascii_isdigit(static_cast<unsigned char>(line[1])) ||
      !absl::ascii_isdigit(static_cast<unsigned char>(line[2]))) {
    return false;
  }
  if (line.size() > 3 && line[3] != ' ' && line[3] != '-') return false;
  *code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
  *last = line.size() == 3 || line[3] == ' ';
  return true;
}

}  // namespace mcpcap::payload
