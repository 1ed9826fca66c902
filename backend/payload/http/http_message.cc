#include "backend/payload/http/http_message.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace mcpcap::payload {
namespace {

constexpr size_t kMaxMethod = 32;

// RFC 9110 tchar.
bool IsTokenChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
         absl::string_view("!#$%&'*+-.^_`|~").find(c) != absl::string_view::npos;
}

bool IsVersion(absl::string_view v) {
  return v.size() == 8 && absl::StartsWith(v, "HTTP/") && absl::ascii_isdigit(v[5]) &&
         v[6] == '.' && absl::ascii_isdigit(v[7]);
}

// A prefix of "HTTP/d.d".
bool CouldBeVersion(absl::string_view v) {
  constexpr absl::string_view kHttp = "HTTP/";
  for (size_t i = 0; i < v.size(); ++i) {
    if (i >= 8) return false;
    const bool ok = i < 5 ? v[i] == kHttp[i] : i == 6 ? v[i] == '.' : absl::ascii_isdigit(v[i]);
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::optional<absl::string_view> HttpHead::Get(absl::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (absl::EqualsIgnoreCase(key, name)) return value;
  }
  return std::nullopt;
}

bool IsRequestLine(absl::string_view line) {
  const size_t sp1 = line.find(' ');
  if (sp1 == 0 || sp1 == absl::string_view::npos || sp1 > kMaxMethod) return false;
  for (size_t i = 0; i < sp1; ++i) {
    if (!IsTokenChar(line[i])) return false;
  }
  const size_t sp2 = line.rfind(' ');
  if (sp2 <= sp1 + 1) return false;
  for (size_t i = sp1 + 1; i < sp2; ++i) {
    const unsigned char c = static_cast<unsigned char>(line[i]);
    if (c <= 0x20 || c == 0x7f) return false;
  }
  return IsVersion(line.substr(sp2 + 1));
}

bool IsStatusLine(absl::string_view line) {
  if (line.size() < 12 || !IsVersion(line.substr(0, 8)) || line[8] != ' ') return false;
  if (!absl::ascii_isdigit(line[9]) || !absl::ascii_isdigit(line[10]) ||
      !absl::ascii_isdigit(line[11])) {
    return false;
  }
  return line.size() == 12 || line[12] == ' ';
}

bool CouldBeRequestLine(absl::string_view prefix) {
  const size_t sp = prefix.find(' ');
  const size_t method_length = sp == absl::string_view::npos ? prefix.size() : sp;
  if (method_length > kMaxMethod || sp == 0) return false;
  for (size_t i = 0; i < method_length; ++i) {
    if (!IsTokenChar(prefix[i])) return false;
  }
  return true;
}

bool CouldBeStatusLine(absl::string_view prefix) { return CouldBeVersion(prefix.substr(0, 8)); }

size_t FindHeadEnd(absl::string_view data, size_t from) {
  size_t pos = from;
  while (true) {
    const size_t lf = data.find('\n', pos);
    if (lf == absl::string_view::npos) return 0;
    if (lf + 1 < data.size() && data[lf + 1] == '\n') return lf + 2;
    if (lf + 2 < data.size() && data[lf + 1] == '\r' && data[lf + 2] == '\n') return lf + 3;
    if (lf + 2 >= data.size()) return 0;  // the next line is not complete enough to tell
    pos = lf + 1;
  }
}

std::optional<absl::string_view> LineAt(absl::string_view data, size_t max) {
  const size_t lf = data.substr(0, max).find('\n');
  if (lf == absl::string_view::npos) return std::nullopt;
  absl::string_view line = data.substr(0, lf);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

bool ParseHttpHead(absl::string_view text, HttpHead* out) {
  const size_t first_lf = text.find('\n');
  absl::string_view start = text.substr(0, first_lf);
  if (!start.empty() && start.back() == '\r') start.remove_suffix(1);
  if (IsStatusLine(start)) {
    out->is_request = false;
    out->version = start.substr(0, 8);
    out->status = (start[9] - '0') * 100 + (start[10] - '0') * 10 + (start[11] - '0');
    out->reason = start.size() > 13 ? start.substr(13) : absl::string_view();
  } else if (IsRequestLine(start)) {
    const size_t sp1 = start.find(' ');
    const size_t sp2 = start.rfind(' ');
    out->is_request = true;
    out->method = start.substr(0, sp1);
    out->uri = start.substr(sp1 + 1, sp2 - sp1 - 1);
    out->version = start.substr(sp2 + 1);
  } else {
    return false;
  }
  size_t pos = first_lf == absl::string_view::npos ? text.size() : first_lf + 1;
  while (pos < text.size() && out->headers.size() < kMaxHttpHeaders) {
    size_t lf = text.find('\n', pos);
    if (lf == absl::string_view::npos) lf = text.size();
    absl::string_view line = text.substr(pos, lf - pos);
    pos = lf + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;
    if (line[0] == ' ' || line[0] == '\t') continue;  // obsolete line folding
    const size_t colon = line.find(':');
    if (colon == absl::string_view::npos || colon == 0) continue;
    out->headers.emplace_back(absl::StripTrailingAsciiWhitespace(line.substr(0, colon)),
                              absl::StripAsciiWhitespace(line.substr(colon + 1)));
  }
  return true;
}

}  // namespace mcpcap::payload
