#include "backend/dissect/sip.h"

#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace mcpcap {
namespace {

absl::string_view View(Bytes b) {
  return absl::string_view(reinterpret_cast<const char*>(b.data()), b.size());
}

// The first line of data without its line end; the whole of data when it has no '\n'.
absl::string_view FirstLine(absl::string_view data) {
  const size_t nl = data.find('\n');
  absl::string_view line = nl == absl::string_view::npos ? data : data.substr(0, nl);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

bool IsTokenChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
         std::strchr("-.!%*_+`'~", c) != nullptr;
}

bool IsToken(absl::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c == '\0' || !IsTokenChar(c)) return false;
  }
  return true;
}

// "SIP/2.0" (any digits; "SIP" in any case, as ABNF literals are).
bool IsSipVersion(absl::string_view s) {
  if (s.size() < 7 || !absl::StartsWithIgnoreCase(s, "SIP/")) return false;
  s.remove_prefix(4);
  const size_t dot = s.find('.');
  if (dot == 0 || dot == absl::string_view::npos || dot + 1 == s.size()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i != dot && !absl::ascii_isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

bool ParseStartLine(absl::string_view line, SipMessage* out) {
  line = absl::StripTrailingAsciiWhitespace(line);
  out->start_line = std::string(line);
  if (absl::StartsWithIgnoreCase(line, "SIP/")) {
    // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase
    const size_t sp = line.find(' ');
    if (sp == absl::string_view::npos || !IsSipVersion(line.substr(0, sp))) return false;
    absl::string_view rest = line.substr(sp + 1);
    if (rest.size() < 3 || (rest.size() > 3 && rest[3] != ' ')) return false;
    int code = 0;
    for (size_t i = 0; i < 3; ++i) {
      if (!absl::ascii_isdigit(static_cast<unsigned char>(rest[i]))) return false;
      code = code * 10 + (rest[i] - '0');
    }
    if (code < 100 || code > 699) return false;
    out->is_request = false;
    out->version = std::string(line.substr(0, sp));
    out->status_code = static_cast<uint16_t>(code);
    out->reason = std::string(absl::StripAsciiWhitespace(rest.substr(3)));
    return true;
  }
  // Request-Line = Method SP Request-URI SP SIP-Version
  const size_t sp1 = line.find(' ');
  if (sp1 == absl::string_view::npos) return false;
  const size_t sp2 = line.find(' ', sp1 + 1);
  if (sp2 == absl::string_view::npos || sp2 == sp1 + 1) return false;
  const absl::string_view method = line.substr(0, sp1);
  const absl::string_view uri = line.substr(sp1 + 1, sp2 - sp1 - 1);
  const absl::string_view version = line.substr(sp2 + 1);
  if (!IsToken(method) || !IsSipVersion(version)) return false;
  out->is_request = true;
  out->method = std::string(method);
  out->request_uri = std::string(uri);
  out->version = std::string(version);
  return true;
}

// Parses the start line and headers at the start of data. `datagram`: data is all there is, so a
// missing blank line ends the headers at the end of data instead of asking for more.
SipParseStatus ParseHead(absl::string_view data, bool datagram, SipMessage* out) {
  size_t pos = 0;
  bool have_start = false;
  size_t last = SIZE_MAX;  // header a folded line continues
  while (true) {
    const size_t nl = data.find('\n', pos);
    if (nl == absl::string_view::npos && !datagram) {
      if (data.size() - pos > kSipMaxLineBytes) {
        out->problems.Add(have_start ? SipProblem::kHeaderLineTooLong : SipProblem::kBadStartLine);
        return SipParseStatus::kBad;
      }
      if (data.size() > kSipMaxHeaderBytes) {
        out->problems.Add(SipProblem::kHeadersTooLong);
        return SipParseStatus::kBad;
      }
      return SipParseStatus::kNeedMore;
    }
    const bool at_end = nl == absl::string_view::npos;
    const size_t next = at_end ? data.size() : nl + 1;
    absl::string_view line = data.substr(pos, (at_end ? data.size() : nl) - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = next;
    if (!have_start) {
      if (line.size() > kSipMaxLineBytes || !ParseStartLine(line, out)) {
        out->problems.Add(SipProblem::kBadStartLine);
        return SipParseStatus::kBad;
      }
      have_start = true;
    } else if (line.empty()) {
      if (!at_end) break;  // the blank line: end of headers
    } else if (line.size() > kSipMaxLineBytes) {
      out->problems.Add(SipProblem::kHeaderLineTooLong);
      last = SIZE_MAX;
    } else if (line[0] == ' ' || line[0] == '\t') {
      const absl::string_view more = absl::StripAsciiWhitespace(line);
      if (last == SIZE_MAX) {
        out->problems.Add(SipProblem::kBadHeaderLine);
      } else if (!more.empty()) {
        std::string& value = out->headers[last].value;
        if (!value.empty()) value.push_back(' ');
        value.append(more.data(), more.size());
      }
    } else {
      const size_t colon = line.find(':');
      const absl::string_view name =
          colon == absl::string_view::npos
              ? absl::string_view()
              : absl::StripTrailingAsciiWhitespace(line.substr(0, colon));
      last = SIZE_MAX;
      if (name.empty()) {
        out->problems.Add(SipProblem::kBadHeaderLine);
      } else if (out->headers.size() >= kSipMaxHeaders) {
        out->problems.Add(SipProblem::kTooManyHeaders);
      } else {
        out->headers.push_back({CanonicalSipHeaderName(name),
                                std::string(absl::StripAsciiWhitespace(line.substr(colon + 1)))});
        last = out->headers.size() - 1;
      }
    }
    if (pos > kSipMaxHeaderBytes) {
      out->problems.Add(SipProblem::kHeadersTooLong);
      return SipParseStatus::kBad;
    }
    if (at_end) {
      out->problems.Add(SipProblem::kNoHeaderEnd);
      break;
    }
  }
  out->header_length = pos;
  return SipParseStatus::kOk;
}

// Reads Content-Length into out->content_length, flagging values that are not numbers.
void ReadContentLength(SipMessage* out) {
  const std::string* text = out->Header("content-length");
  if (text == nullptr) return;
  uint64_t value = 0;
  bool ok = !text->empty() && text->size() <= 10;
  for (char c : *text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) ok = false;
    if (ok) value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  if (!ok || value > UINT32_MAX) {
    out->problems.Add(SipProblem::kBadContentLength);
    return;
  }
  out->content_length = static_cast<uint32_t>(value);
  if (value > kSipMaxContentLength) out->problems.Add(SipProblem::kContentLengthAbsurd);
}

struct Compact {
  char letter;
  const char* name;
};
// RFC 3261 section 7.3.3 and the extensions that registered compact forms.
constexpr Compact kCompactForms[] = {
    {'a', "accept-contact"},
    {'b', "referred-by"},
    {'c', "content-type"},
    {'d', "request-disposition"},
    {'e', "content-encoding"},
    {'f', "from"},
    {'i', "call-id"},
    {'j', "reject-contact"},
    {'k', "supported"},
    {'l', "content-length"},
    {'m', "contact"},
    {'n', "identity-info"},
    {'o', "event"},
    {'r', "refer-to"},
    {'s', "subject"},
    {'t', "to"},
    {'u', "allow-events"},
    {'v', "via"},
    {'x', "session-expires"},
    {'y', "identity"},
};

constexpr const char* kKnownMethods[] = {"ACK",     "BYE",      "CANCEL",    "INFO",  "INVITE",
                                         "MESSAGE", "NOTIFY",   "OPTIONS",   "PRACK", "PUBLISH",
                                         "REFER",   "REGISTER", "SUBSCRIBE", "UPDATE"};

}  // namespace

absl::string_view SipProblemName(SipProblem p) {
  switch (p) {
    case SipProblem::kBadStartLine:
      return "sip_bad_start_line";
    case SipProblem::kNoHeaderEnd:
      return "sip_no_header_end";
    case SipProblem::kHeaderLineTooLong:
      return "sip_header_line_too_long";
    case SipProblem::kHeadersTooLong:
      return "sip_headers_too_long";
    case SipProblem::kTooManyHeaders:
      return "sip_too_many_headers";
    case SipProblem::kBadHeaderLine:
      return "sip_bad_header_line";
    case SipProblem::kBadContentLength:
      return "sip_bad_content_length";
    case SipProblem::kContentLengthAbsurd:
      return "sip_content_length_absurd";
    case SipProblem::kContentLengthMismatch:
      return "sip_content_length_mismatch";
    case SipProblem::kMissingContentLength:
      return "sip_missing_content_length";
    case SipProblem::kStreamGap:
      return "sip_stream_gap";
    case SipProblem::kCount:
      break;
  }
  return "sip_unknown";
}

void SipMessage::Clear() { *this = SipMessage(); }

const std::string* SipMessage::Header(absl::string_view name) const {
  for (const SipHeaderField& h : headers) {
    if (h.name == name) return &h.value;
  }
  return nullptr;
}

absl::string_view SipMessage::HeaderOr(absl::string_view name) const {
  const std::string* v = Header(name);
  return v == nullptr ? absl::string_view() : absl::string_view(*v);
}

std::string CanonicalSipHeaderName(absl::string_view wire_name) {
  if (wire_name.size() == 1) {
    const char c = absl::ascii_tolower(static_cast<unsigned char>(wire_name[0]));
    for (const Compact& f : kCompactForms) {
      if (f.letter == c) return f.name;
    }
  }
  return absl::AsciiStrToLower(wire_name);
}

bool IsKnownSipMethod(absl::string_view token) {
  for (const char* m : kKnownMethods) {
    if (absl::EqualsIgnoreCase(token, m)) return true;
  }
  return false;
}

bool LooksLikeSip(Bytes data) {
  const absl::string_view line = FirstLine(View(data.subspan(0, kSipMaxLineBytes + 2)));
  if (absl::StartsWithIgnoreCase(line, "SIP/2.0 ")) return true;
  const size_t sp = line.find(' ');
  if (sp == absl::string_view::npos || sp == 0) return false;
  const absl::string_view token = line.substr(0, sp);
  if (IsKnownSipMethod(token)) return true;
  return IsToken(token) &&
         absl::EndsWithIgnoreCase(absl::StripTrailingAsciiWhitespace(line), " SIP/2.0");
}

SipParseStatus ParseSipDatagram(Bytes payload, SipMessage* out) {
  out->Clear();
  if (!LooksLikeSip(payload)) return SipParseStatus::kNotSip;
  const SipParseStatus head = ParseHead(View(payload), /*datagram=*/true, out);
  if (head != SipParseStatus::kOk) return head;
  ReadContentLength(out);
  const size_t rest = payload.size() - out->header_length;
  out->body_length = rest;
  if (out->content_length.has_value() && *out->content_length != rest) {
    if (*out->content_length < rest) {
      out->body_length = *out->content_length;  // RFC 3261 18.3: the excess is discarded
    } else if (*out->content_length > 65535) {
      out->problems.Add(SipProblem::kContentLengthAbsurd);
    } else {
      out->problems.Add(SipProblem::kContentLengthMismatch);
    }
  }
  return SipParseStatus::kOk;
}

SipParseStatus FrameSipMessage(Bytes data, SipMessage* out, size_t* consumed) {
  out->Clear();
  *consumed = 0;
  const SipParseStatus head = ParseHead(View(data), /*datagram=*/false, out);
  if (head != SipParseStatus::kOk) return head;
  ReadContentLength(out);
  size_t body = 0;
  if (!out->content_length.has_value()) {
    // Without a length a stream cannot be framed; RFC 3261 18.3 makes the header mandatory.
    if (!out->problems.Has(SipProblem::kBadContentLength)) {
      out->problems.Add(SipProblem::kMissingContentLength);
    }
  } else if (!out->problems.Has(SipProblem::kContentLengthAbsurd)) {
    body = *out->content_length;
  }
  if (data.size() - out->header_length < body) return SipParseStatus::kNeedMore;
  out->body_length = body;
  *consumed = out->header_length + body;
  return SipParseStatus::kOk;
}

void SipStreamParser::Feed(Bytes data) { buffer_.insert(buffer_.end(), data.begin(), data.end()); }

void SipStreamParser::Gap() {
  if (buffered() > 0 && synced_) lost_ = true;
  buffer_.clear();
  pos_ = 0;
  synced_ = false;
  at_line_start_ = true;  // data after a gap usually starts at a segment, often a message
}

bool SipStreamParser::Resync() {
  const absl::string_view data = View(Bytes(buffer_.data(), buffer_.size()));
  size_t p = pos_;
  if (!at_line_start_) {
    const size_t nl = data.find('\n', p);
    if (nl == absl::string_view::npos) {
      pos_ = buffer_.size();
      Compact();
      return false;
    }
    p = nl + 1;
    at_line_start_ = true;
  }
  while (p < data.size()) {
    const size_t nl = data.find('\n', p);
    if (nl == absl::string_view::npos) {
      // An incomplete line might still become a start line; keep it unless it is too long.
      pos_ = data.size() - p > kSipMaxLineBytes ? data.size() : p;
      if (pos_ == data.size()) at_line_start_ = false;
      Compact();
      return false;
    }
    if (LooksLikeSip(Bytes(buffer_.data() + p, nl + 1 - p))) {
      pos_ = p;
      synced_ = true;
      return true;
    }
    p = nl + 1;
  }
  pos_ = data.size();
  Compact();
  return false;
}

void SipStreamParser::Compact() {
  if (pos_ == 0) return;
  if (pos_ >= buffer_.size()) {
    buffer_.clear();
    pos_ = 0;
  } else if (pos_ >= 4096 && pos_ * 2 >= buffer_.size()) {
    buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(pos_));
    pos_ = 0;
  }
}

SipParseStatus SipStreamParser::Next(SipMessage* out) {
  if (lost_) {
    lost_ = false;
    out->Clear();
    out->problems.Add(SipProblem::kStreamGap);
    return SipParseStatus::kBad;
  }
  if (!synced_ && !Resync()) return SipParseStatus::kNeedMore;
  // CRLF keep-alives (RFC 5626) between messages.
  while (pos_ < buffer_.size() && (buffer_[pos_] == '\r' || buffer_[pos_] == '\n')) ++pos_;
  if (pos_ == buffer_.size()) {
    Compact();
    return SipParseStatus::kNeedMore;
  }
  size_t consumed = 0;
  const SipParseStatus status =
      FrameSipMessage(Bytes(buffer_.data() + pos_, buffer_.size() - pos_), out, &consumed);
  switch (status) {
    case SipParseStatus::kOk:
      pos_ += consumed;
      seen_sip_ = true;
      // A length we could not use leaves the body in the stream: find the next start line.
      if (out->problems.Has(SipProblem::kBadContentLength) ||
          out->problems.Has(SipProblem::kContentLengthAbsurd)) {
        synced_ = false;
        at_line_start_ = true;
      }
      Compact();
      return status;
    case SipParseStatus::kNeedMore:
      Compact();
      return status;
    default:
      synced_ = false;
      at_line_start_ = false;  // skip the rest of the bad line
      ++pos_;
      return SipParseStatus::kBad;
  }
}

}  // namespace mcpcap
