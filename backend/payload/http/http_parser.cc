#include "backend/payload/http/http_parser.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "backend/payload/common/heap_bytes.h"
#include "backend/payload/common/metered_deque.h"
#include "backend/payload/http/http_credentials.h"
#include "backend/payload/http/http_message.h"

namespace mcpcap::payload {
namespace {

constexpr size_t kMaxHeadBytes = 64 * 1024;
constexpr size_t kMaxChunkLine = 1024;
constexpr size_t kMaxTrailerLine = 8 * 1024;
constexpr size_t kMaxResyncLine = 8 * 1024;   // a candidate start line still arriving
constexpr size_t kResyncBudget = 128 * 1024;  // bytes searched for a start line after a gap
constexpr size_t kMaxPendingRequests = 128;
constexpr size_t kMaxNotes = 8;
constexpr size_t kMaxCredentialKeys = 64;

enum class Mode {
  kHead,          // expecting a request / status line
  kChunkSize,     // a chunk-size line
  kChunkDataEnd,  // the CR LF after a chunk's data
  kTrailers,      // trailer fields up to the blank line
  kUntilClose,    // a response body delimited by the end of the connection
  kTunnel,        // after Upgrade / CONNECT: not HTTP any more
};

// What a response needs to know of the request it answers.
struct PendingRequest {
  bool head = false;
  bool connect = false;
  std::string line;  // "GET /index.html", bounded
};

size_t RequestBytes(const PendingRequest& r) { return HeapBytes(r.line); }

std::string Cut(absl::string_view s, size_t max) {
  if (s.size() <= max) return std::string(s);
  return absl::StrCat(s.substr(0, max - 3), "...");
}

const char* Direction(Side from) {
  return from == Side::kClient ? "client to server" : "server to client";
}

// Content-Length as a number; -1 when absent or not a number. "5, 5" (a repeated field joined
// by a proxy) counts as 5.
int64_t ContentLength(const HttpHead& head) {
  const std::optional<absl::string_view> value = head.Get("Content-Length");
  if (!value) return -1;
  const absl::string_view first = absl::StripAsciiWhitespace(value->substr(0, value->find(',')));
  uint64_t n = 0;
  if (first.empty() || first.size() > 18 || !absl::SimpleAtoi(first, &n)) return -1;
  return static_cast<int64_t>(n);
}

// True when the last transfer coding is chunked.
bool IsChunked(const HttpHead& head) {
  const std::optional<absl::string_view> value = head.Get("Transfer-Encoding");
  if (!value) return false;
  const size_t comma = value->rfind(',');
  const absl::string_view last = absl::StripAsciiWhitespace(
      comma == absl::string_view::npos ? *value : value->substr(comma + 1));
  return absl::EqualsIgnoreCase(last, "chunked");
}

class HttpParser : public StreamParser {
 public:
  HttpParser(PayloadEvents* events, FlowFacts* facts) : events_(events), facts_(facts) {}

  ParseStatus Parse(Side from, StreamView& view) override;
  // The next Parse handles the gap as a new one (LoseSync), whatever the view read before.
  void OnBytesLost(Side from) override { side(from).in_gap = false; }
  void OnEnd(Side from) override {
    FlushMessage(from, /*complete=*/side(from).mode == Mode::kUntilClose);
  }
  void Finish() override {}
  size_t MemoryBytes() const override {
    return sizeof(*this) + HeapBytes(client_.message) + HeapBytes(server_.message) +
           requests_.MemoryBytes() + HeapBytes(credential_keys_);
  }

 private:
  struct SideState {
    Mode mode = Mode::kHead;
    size_t scanned = 0;   // head bytes already searched for the blank line
    size_t head_end = 0;  // the head's length once found (waiting for a form body prefix)
    bool resyncing = false;
    size_t resync_pos = 0;          // where the search for a start line goes on
    bool resync_line_start = true;  // resync_pos is at the start of a line
    bool in_gap = false;            // the view's after_gap() as last seen
    bool upgrade_asked = false;     // sent Upgrade or CONNECT: non-HTTP bytes may follow
    bool has_message = false;       // `message` waits for the end of its body
    AppMessage message;
  };

  SideState& side(Side s) { return s == Side::kClient ? client_ : server_; }

  // Each returns true to go on parsing, false with *status set to return it.
  bool OnHead(Side from, StreamView& view, ParseStatus* status);
  bool OnChunkSize(Side from, StreamView& view, ParseStatus* status);
  bool OnTrailer(Side from, StreamView& view, ParseStatus* status);
  bool Resync(Side from, StreamView& view, ParseStatus* status);

  void OnRequest(Side from, const HttpHead& head, StreamView& view, size_t head_length,
                 absl::string_view body_prefix);
  void OnResponse(Side from, const HttpHead& head, StreamView& view, size_t head_length);
  AppMessage RequestMessage(const HttpHead& head, Position at, absl::string_view raw);
  AppMessage ResponseMessage(const HttpHead& head, const PendingRequest& request, Position at,
                             absl::string_view raw);
  void Report(Side from, std::vector<Credential> credentials, Position at);
  // Starts a tunnel on both sides (101, CONNECT 2xx, HTTP/2 preface).
  void Tunnel(std::string why);
  void LoseSync(Side from, SideState& s, absl::string_view why);
  void FlushMessage(Side from, bool complete);
  void Note(std::string note) {
    if (facts_->notes.size() < kMaxNotes) facts_->notes.push_back(std::move(note));
  }

  PayloadEvents* events_;
  FlowFacts* facts_;
  SideState client_;
  SideState server_;
  MeteredDeque<PendingRequest> requests_{&RequestBytes};  // sent, not answered yet (bounded)
  std::vector<std::string> credential_keys_;              // reported already (kind + evidence)
};

ParseStatus HttpParser::Parse(Side from, StreamView& view) {
  SideState& s = side(from);
  ParseStatus status = ParseStatus::kNeedMore;
  while (true) {
    // A gap is handled once, even when the bytes after it are not consumed at once (the flag
    // of the view stays set until they are).
    if (view.after_gap() != s.in_gap) {
      s.in_gap = view.after_gap();
      if (s.in_gap && s.mode != Mode::kUntilClose && s.mode != Mode::kTunnel) {
        LoseSync(from, s, "bytes lost in a gap");
      }
    }
    const Bytes data = view.data();
    if (data.empty()) return ParseStatus::kNeedMore;
    bool go_on = true;
    switch (s.mode) {
      case Mode::kTunnel:
      case Mode::kUntilClose:
        if (s.has_message) s.message.length += data.size();
        view.Consume(data.size());
        return ParseStatus::kNeedMore;
      case Mode::kHead:
        go_on = s.resyncing ? Resync(from, view, &status) : OnHead(from, view, &status);
        break;
      case Mode::kChunkSize:
        go_on = OnChunkSize(from, view, &status);
        break;
      case Mode::kChunkDataEnd: {
        const size_t n = data[0] == '\n'                                          ? 1
                         : data.size() >= 2 && data[0] == '\r' && data[1] == '\n' ? 2
                                                                                  : 0;
        if (n == 0 && data[0] == '\r' && data.size() < 2) return ParseStatus::kNeedMore;
        if (n == 0) {
          LoseSync(from, s, "chunked body framing lost");
          break;
        }
        s.message.length += n;
        view.Consume(n);
        s.mode = Mode::kChunkSize;
        break;
      }
      case Mode::kTrailers:
        go_on = OnTrailer(from, view, &status);
        break;
    }
    if (!go_on) return status;
  }
}

void HttpParser::LoseSync(Side from, SideState& s, absl::string_view why) {
  FlushMessage(from, /*complete=*/false);
  s.mode = Mode::kHead;
  s.scanned = 0;
  s.head_end = 0;
  s.resyncing = true;
  s.resync_pos = 0;
  s.resync_line_start = true;
  Note(absl::StrCat(Direction(from), ": ", why, "; parsing resumed at the next ",
                    from == Side::kClient ? "request line" : "status line"));
}

bool HttpParser::Resync(Side from, StreamView& view, ParseStatus* status) {
  // Looks at each line start for a request line (client) or a status line (server). Nothing is
  // consumed until one is found, so that the feeder still knows the side is after a gap if we
  // give up; the search goes on where it stopped.
  SideState& s = side(from);
  const bool request = from == Side::kClient;
  const Bytes bytes = view.data();
  const absl::string_view data(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  size_t pos = std::min(s.resync_pos, data.size());
  bool line_start = s.resync_line_start;
  while (pos < data.size()) {
    if (!line_start) {
      const size_t lf = data.find('\n', pos);
      pos = lf == absl::string_view::npos ? data.size() : lf + 1;
      line_start = lf != absl::string_view::npos;
      continue;
    }
    const size_t lf = data.find('\n', pos);
    if (lf == absl::string_view::npos) {
      const absl::string_view partial = data.substr(pos);
      const bool could = request ? CouldBeRequestLine(partial) : CouldBeStatusLine(partial);
      if (!could || partial.size() > kMaxResyncLine) {
        pos = data.size();
        line_start = false;
      }
      break;  // wait for the rest of this line
    }
    const absl::string_view line = absl::StripSuffix(data.substr(pos, lf - pos), "\r");
    if (request ? IsRequestLine(line) : IsStatusLine(line)) {
      view.Consume(pos);
      s.resyncing = false;
      return true;
    }
    pos = lf + 1;
  }
  s.resync_pos = pos;
  s.resync_line_start = line_start;
  if (data.size() > kResyncBudget) {
    Note(absl::StrCat(Direction(from), ": no HTTP message start found after losing sync"));
    *status = ParseStatus::kBad;
    return false;
  }
  *status = ParseStatus::kNeedMore;
  return false;
}

bool HttpParser::OnHead(Side from, StreamView& view, ParseStatus* status) {
  SideState& s = side(from);
  const bool client = from == Side::kClient;
  const Bytes bytes = view.data();
  const absl::string_view data(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  // Blank lines between messages are tolerated (RFC 9112 2.2).
  if (s.head_end == 0 && (data[0] == '\r' || data[0] == '\n')) {
    const size_t n = std::min(data.find_first_not_of("\r\n"), data.size());
    view.Consume(n);
    return true;
  }
  const absl::string_view first = data.substr(0, data.find('\n'));
  const absl::string_view first_line = absl::StripSuffix(first, "\r");
  const bool first_complete = first.size() < data.size();
  const bool looks_http = first_complete
                              ? (client ? IsRequestLine(first_line) : IsStatusLine(first_line))
                              : (client ? CouldBeRequestLine(first) : CouldBeStatusLine(first));
  if (!looks_http) {
    if (s.upgrade_asked) {  // the peer accepted the Upgrade / CONNECT; its answer may lag
      FlushMessage(from, /*complete=*/false);
      s.mode = Mode::kTunnel;
      Note(absl::StrCat(Direction(from),
                        ": non-HTTP bytes after an Upgrade/CONNECT request; "
                        "not parsed further"));
      return true;
    }
    *status = ParseStatus::kBad;
    return false;
  }
  size_t end = s.head_end;
  if (end == 0) {
    end = FindHeadEnd(data, s.scanned >= 3 ? s.scanned - 3 : 0);
    s.scanned = data.size();
  }
  if (end == 0 || end > kMaxHeadBytes) {
    if (data.size() > kMaxHeadBytes) {
      Note(absl::StrCat(Direction(from), ": message head larger than ", kMaxHeadBytes,
                        " bytes (message_too_large); parsing stopped"));
      *status = ParseStatus::kBad;
      return false;
    }
    *status = ParseStatus::kNeedMore;
    return false;
  }
  s.head_end = end;
  HttpHead head;
  if (!ParseHttpHead(data.substr(0, end), &head) || head.is_request != client) {
    *status = ParseStatus::kBad;
    return false;
  }
  if (client) {
    // A form body's first bytes are read for passwords; the rest is skipped.
    absl::string_view body_prefix;
    const int64_t length = ContentLength(head);
    const std::optional<absl::string_view> type = head.Get("Content-Type");
    if (length > 0 && !IsChunked(head) && type &&
        absl::StartsWithIgnoreCase(*type, "application/x-www-form-urlencoded")) {
      const size_t wanted = end + std::min<size_t>(length, kHttpFormPrefixBytes);
      if (data.size() < wanted && !view.at_end()) {
        *status = ParseStatus::kNeedMore;
        return false;
      }
      body_prefix = data.substr(end, wanted - end);
    }
    OnRequest(from, head, view, end, body_prefix);
  } else {
    OnResponse(from, head, view, end);
  }
  return true;
}

void HttpParser::OnRequest(Side from, const HttpHead& head, StreamView& view, size_t head_length,
                           absl::string_view body_prefix) {
  SideState& s = side(from);
  const Bytes bytes = view.data();
  const absl::string_view raw(reinterpret_cast<const char*>(bytes.data()), head_length);
  const Position at = view.PositionAt(0);
  AppMessage m = RequestMessage(head, at, raw);
  Report(from, FindHttpCredentials(head, body_prefix), at);
  if (const auto agent = head.Get("User-Agent"); agent && facts_->client_software.empty()) {
    facts_->client_software = Cut(*agent, kMaxValueBytes);
  }
  PendingRequest request;
  request.head = head.method == "HEAD";
  request.connect = head.method == "CONNECT";
  request.line = Cut(absl::StrCat(head.method, " ", head.uri), kMaxValueBytes);
  if (requests_.size() == kMaxPendingRequests) requests_.pop_front();
  requests_.push_back(std::move(request));
  s.scanned = 0;
  s.head_end = 0;
  if (head.method == "PRI" && head.version == "HTTP/2.0") {
    events_->OnMessage(std::move(m));
    view.Consume(head_length);
    Tunnel("HTTP/2 connection preface: HTTP/2 frames are not parsed");
    return;
  }
  if (head.method == "CONNECT" || head.Get("Upgrade")) s.upgrade_asked = true;
  if (IsChunked(head)) {
    s.message = std::move(m);
    s.has_message = true;
    s.mode = Mode::kChunkSize;
    view.Consume(head_length);
    return;
  }
  const int64_t length = std::max<int64_t>(ContentLength(head), 0);
  m.length = head_length + static_cast<uint64_t>(length);
  events_->OnMessage(std::move(m));
  view.Consume(head_length + static_cast<uint64_t>(length));
}

void HttpParser::OnResponse(Side from, const HttpHead& head, StreamView& view, size_t head_length) {
  SideState& s = side(from);
  const Bytes bytes = view.data();
  const absl::string_view raw(reinterpret_cast<const char*>(bytes.data()), head_length);
  const Position at = view.PositionAt(0);
  if (const auto server = head.Get("Server"); server && facts_->server_version.empty()) {
    facts_->server_version = Cut(*server, kMaxValueBytes);
  }
  s.scanned = 0;
  s.head_end = 0;
  const int status = head.status;
  // Interim responses (but 101) precede the final one to the same request.
  PendingRequest request;
  if (status / 100 != 1 || status == 101) {
    if (!requests_.empty()) {
      request = requests_.take_front();
    }
  } else if (!requests_.empty()) {
    request.line = requests_.front().line;
  }
  AppMessage m = ResponseMessage(head, request, at, raw);
  if (status == 101) {
    events_->OnMessage(std::move(m));
    view.Consume(head_length);
    const std::optional<absl::string_view> upgrade = head.Get("Upgrade");
    Tunnel(absl::StrCat("switched protocols (101) to ", upgrade ? Cut(*upgrade, 64) : "?",
                        ": not parsed further"));
    return;
  }
  if (request.connect && status / 100 == 2) {
    events_->OnMessage(std::move(m));
    view.Consume(head_length);
    Tunnel(absl::StrCat("tunnel established (", Cut(request.line, 128), "): not parsed further"));
    return;
  }
  const bool no_body = status / 100 == 1 || status == 204 || status == 304 || request.head;
  const int64_t length = ContentLength(head);
  if (no_body || (!IsChunked(head) && length >= 0)) {
    const uint64_t body = no_body ? 0 : static_cast<uint64_t>(length);
    m.length = head_length + body;
    events_->OnMessage(std::move(m));
    view.Consume(head_length + body);
    return;
  }
  s.message = std::move(m);
  s.has_message = true;
  s.mode = IsChunked(head) ? Mode::kChunkSize : Mode::kUntilClose;
  view.Consume(head_length);
}

bool HttpParser::OnChunkSize(Side from, StreamView& view, ParseStatus* status) {
  SideState& s = side(from);
  const Bytes bytes = view.data();
  const absl::string_view data(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  const std::optional<absl::string_view> line = LineAt(data, kMaxChunkLine);
  if (!line) {
    if (data.size() >= kMaxChunkLine) {
      LoseSync(from, s, "chunked body framing lost");
      return true;
    }
    *status = ParseStatus::kNeedMore;
    return false;
  }
  const size_t line_length = data.find('\n') + 1;
  // chunk-size [ chunk-ext ]: hex digits, then ';' extensions or spaces.
  const absl::string_view hex = line->substr(0, line->find_first_not_of("0123456789abcdefABCDEF"));
  const absl::string_view rest = absl::StripLeadingAsciiWhitespace(line->substr(hex.size()));
  uint64_t size = 0;
  if (hex.empty() || hex.size() > 15 || (!rest.empty() && rest[0] != ';') ||
      !absl::SimpleHexAtoi(hex, &size)) {
    LoseSync(from, s, "chunked body framing lost");
    return true;
  }
  s.message.length += line_length + size;
  view.Consume(line_length + size);
  s.mode = size == 0 ? Mode::kTrailers : Mode::kChunkDataEnd;
  return true;
}

bool HttpParser::OnTrailer(Side from, StreamView& view, ParseStatus* status) {
  SideState& s = side(from);
  const Bytes bytes = view.data();
  const absl::string_view data(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  const std::optional<absl::string_view> line = LineAt(data, kMaxTrailerLine);
  if (!line) {
    if (data.size() >= kMaxTrailerLine) {
      LoseSync(from, s, "chunked trailer too long");
      return true;
    }
    *status = ParseStatus::kNeedMore;
    return false;
  }
  const size_t line_length = data.find('\n') + 1;
  s.message.length += line_length;
  view.Consume(line_length);
  if (line->empty()) {
    FlushMessage(from, /*complete=*/true);
    s.mode = Mode::kHead;
  }
  return true;
}

AppMessage HttpParser::RequestMessage(const HttpHead& head, Position at, absl::string_view raw) {
  AppMessage m;
  m.from = Side::kClient;
  m.start = at;
  m.type = Cut(head.method, 32);
  m.length = raw.size();
  m.head = std::string(raw.substr(0, kPreviewBytes));
  const std::optional<absl::string_view> host = head.Get("Host");
  m.summary = Cut(absl::StrCat(head.method, " ", head.uri, " ", head.version,
                               host ? absl::StrCat(" (Host: ", *host, ")") : ""),
                  kMaxTextBytes);
  m.fields.emplace_back("method", Cut(head.method, 32));
  m.fields.emplace_back("uri", Cut(head.uri, kMaxTextBytes));
  m.fields.emplace_back("version", std::string(head.version));
  auto add = [&](const char* key, absl::string_view header) {
    if (const auto value = head.Get(header))
      m.fields.emplace_back(key, Cut(*value, kMaxValueBytes));
  };
  add("host", "Host");
  add("user_agent", "User-Agent");
  add("content_type", "Content-Type");
  add("content_length", "Content-Length");
  add("transfer_encoding", "Transfer-Encoding");
  add("upgrade", "Upgrade");
  add("referer", "Referer");
  return m;
}

AppMessage HttpParser::ResponseMessage(const HttpHead& head, const PendingRequest& request,
                                       Position at, absl::string_view raw) {
  AppMessage m;
  m.from = Side::kServer;
  m.start = at;
  m.type = absl::StrCat("HTTP ", head.status);
  m.length = raw.size();
  m.head = std::string(raw.substr(0, kPreviewBytes));
  m.summary =
      Cut(absl::StrCat(head.version, " ", head.status, head.reason.empty() ? "" : " ", head.reason,
                       request.line.empty() ? "" : absl::StrCat(" (reply to ", request.line, ")")),
          kMaxTextBytes);
  m.fields.emplace_back("status", absl::StrCat(head.status));
  m.fields.emplace_back("reason", Cut(head.reason, kMaxValueBytes));
  m.fields.emplace_back("version", std::string(head.version));
  auto add = [&](const char* key, absl::string_view header) {
    if (const auto value = head.Get(header))
      m.fields.emplace_back(key, Cut(*value, kMaxValueBytes));
  };
  add("content_type", "Content-Type");
  add("content_length", "Content-Length");
  add("transfer_encoding", "Transfer-Encoding");
  add("server", "Server");
  add("location", "Location");
  add("upgrade", "Upgrade");
  if (!request.line.empty()) m.fields.emplace_back("request", request.line);
  return m;
}

void HttpParser::Report(Side from, std::vector<Credential> credentials, Position at) {
  for (Credential& c : credentials) {
    std::string key = absl::StrCat(c.kind, "\n", c.evidence);
    if (std::find(credential_keys_.begin(), credential_keys_.end(), key) !=
        credential_keys_.end()) {
      continue;  // the same secret on every request of a keep-alive connection
    }
    if (credential_keys_.size() < kMaxCredentialKeys) credential_keys_.push_back(std::move(key));
    if (facts_->user.empty() && !c.user.empty()) facts_->user = c.user;
    c.from = from;
    c.at = at;
    events_->OnCredential(std::move(c));
  }
}

void HttpParser::Tunnel(std::string why) {
  for (Side from : {Side::kClient, Side::kServer}) {
    SideState& s = side(from);
    if (s.mode == Mode::kTunnel) continue;
    FlushMessage(from, /*complete=*/false);
    s.mode = Mode::kTunnel;
    s.resyncing = false;
  }
  Note(std::move(why));
}

void HttpParser::FlushMessage(Side from, bool complete) {
  SideState& s = side(from);
  if (!s.has_message) return;
  s.has_message = false;
  if (!complete) absl::StrAppend(&s.message.summary, " [body incomplete]");
  events_->OnMessage(std::move(s.message));
  s.message = AppMessage{};
}

}  // namespace

std::unique_ptr<StreamParser> MakeHttpParser(PayloadEvents* events, FlowFacts* facts) {
  return std::make_unique<HttpParser>(events, facts);
}

}  // namespace mcpcap::payload
