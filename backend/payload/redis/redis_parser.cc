#include "backend/payload/redis/redis_parser.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "backend/payload/common/heap_bytes.h"
#include "backend/payload/common/metered_deque.h"
#include "backend/payload/common/text_bounds.h"
#include "backend/payload/redis/redis_commands.h"
#include "backend/payload/redis/redis_resp.h"

namespace mcpcap::payload {
namespace {

// Commands waiting for replies; past this the oldest is reported without one.
constexpr size_t kMaxPending = 1024;
// Bytes searched for a message start after a gap before giving up on the side.
constexpr uint64_t kResyncBudget = 512 * 1024;
constexpr size_t kMaxNotes = 8;

bool IsPubSubConfirmation(absl::string_view kind) {
  return kind == "subscribe" || kind == "psubscribe" || kind == "ssubscribe" ||
         kind == "unsubscribe" || kind == "punsubscribe" || kind == "sunsubscribe";
}

bool IsPubSubKind(absl::string_view kind) {
  return IsPubSubConfirmation(kind) || kind == "message" || kind == "pmessage" ||
         kind == "smessage";
}

// MONITOR output: "1700000000.123456 [0 127.0.0.1:50000] \"get\" \"k\"".
bool IsMonitorLine(absl::string_view text) {
  size_t i = 0;
  while (i < text.size() && absl::ascii_isdigit(static_cast<unsigned char>(text[i]))) ++i;
  return i > 0 && i < text.size() && text[i] == '.' && absl::StrContains(text, " [");
}

absl::string_view KindName(char type) {
  switch (type) {
    case '+':
      return "simple_string";
    case '-':
      return "error";
    case ':':
      return "integer";
    case '$':
      return "bulk_string";
    case '*':
      return "array";
    case '%':
      return "map";
    case '~':
      return "set";
    case '>':
      return "push";
    case '_':
      return "null";
    case '#':
      return "boolean";
    case ',':
      return "double";
    case '(':
      return "big_number";
    case '=':
      return "verbatim_string";
    case '!':
      return "blob_error";
    default:
      return "unknown";
  }
}

// "ERR unknown command" -> {"ERR", "unknown command"}; a message without an upper-case code
// word keeps it whole.
std::pair<std::string, std::string> SplitError(absl::string_view text) {
  const size_t space = text.find(' ');
  const absl::string_view word = text.substr(0, space);
  bool code = !word.empty();
  for (char c : word) {
    if (!absl::ascii_isupper(static_cast<unsigned char>(c)) && c != '_') code = false;
  }
  if (!code) return {std::string(), std::string(text)};
  return {std::string(word),
          space == absl::string_view::npos ? std::string() : std::string(text.substr(space + 1))};
}

std::string Cut(absl::string_view s, size_t max) {
  if (s.size() <= max) return std::string(s);
  return absl::StrCat(s.substr(0, max - 3), "...");
}

std::string ReplyType(const RespValue& v) {
  const std::string t(1, v.type);
  switch (v.type) {
    case '+':
      return v.text.size() <= 20 && v.text.find(' ') == std::string::npos ? t + v.text : t;
    case '-':
      return t + SplitError(v.text).first;
    case ':':
      return absl::StrCat(t, v.number);
    case '#':
      return t + v.text;
    case ',':
    case '(':
      return t + Cut(v.text, 32);
    case '_':
      return t;
    default:
      return absl::StrCat(t, v.number);  // $ = ! * % ~ > with length or count, -1 nil
  }
}

std::string ReplySummary(const RespValue& v) {
  switch (v.type) {
    case '+':
    case '-':
      return Cut(v.text, kMaxTextBytes);
    case ':':
      return absl::StrCat("integer ", v.number);
    case '_':
      return "null";
    case '#':
      return v.text == "t" ? "true" : "false";
    case ',':
      return absl::StrCat("double ", Cut(v.text, 64));
    case '(':
      return absl::StrCat("big number ", Cut(v.text, 64));
    case '$':
    case '=':
    case '!':
      if (v.null) return "nil";
      return absl::StrCat(KindName(v.type), ", ", v.number,
                          " bytes: ", RedisQuote(Cut(v.text, kPreviewBytes)));
    case '%':
      return absl::StrCat("map of ", v.number, " pairs");
    default:
      if (v.null) return "nil";
      return absl::StrCat(KindName(v.type), " of ", v.number, " elements");
  }
}

class RedisParser : public StreamParser {
 public:
  RedisParser(PayloadEvents* events, FlowFacts* facts) : events_(events), facts_(facts) {}

  ParseStatus Parse(Side from, StreamView& view) override {
    SideState& side = sides_[from == Side::kClient ? 0 : 1];
    if (view.after_gap() && !side.resyncing) {
      side.reader.Reset();
      side.resyncing = true;
      side.at_line_start = true;
      side.scanned = 0;
      if (from == Side::kServer && !pending_.empty()) {
        Note(absl::StrCat("server to client: replies lost in a gap; ", pending_.size(),
                          " pending commands reported without response"));
        FlushPending();
      }
    }
    while (true) {
      if (side.resyncing) {
        const ParseStatus status = Resync(from, side, view);
        if (side.resyncing) return status;
      }
      switch (side.reader.Next(view)) {
        case RespReader::Result::kNeedMore:
          return ParseStatus::kNeedMore;
        case RespReader::Result::kBad:
          return ParseStatus::kBad;
        case RespReader::Result::kValue:
          break;
      }
      if (from == Side::kClient) {
        OnCommand(side.reader.value());
      } else {
        OnReply(side.reader.value());
      }
    }
  }

  void Finish() override { FlushPending(); }
  size_t MemoryBytes() const override {
    return sizeof(*this) + sides_[0].reader.MemoryBytes() + sides_[1].reader.MemoryBytes() +
           pending_.MemoryBytes() + HeapBytes(database_) + HeapBytes(absorb_kind_);
  }

 private:
  struct SideState {
    explicit SideState(bool client) : reader(client) {}
    RespReader reader;
    bool resyncing = false;
    bool at_line_start = true;  // the next byte starts a line (resync)
    uint64_t scanned = 0;       // bytes searched since the gap
  };
  struct Pending {
    DbQuery query;
    std::string verb;
    std::string arg1;  // the first two arguments (SELECT n, HELLO 3 AUTH, CLIENT REPLY OFF)
    std::string arg2;
    std::string user;  // AUTH / HELLO AUTH user
    uint64_t argc = 0;
  };
  static size_t PendingBytes(const Pending& p) {
    return HeapBytes(p.query) + HeapBytes(p.verb) + HeapBytes(p.arg1) + HeapBytes(p.arg2) +
           HeapBytes(p.user);
  }
  enum class Candidate : uint8_t { kYes, kNo, kUnknown };

  // After a gap: looks for a line that starts a message (a command array on the client side, a
  // reply line on the server side), consuming the bytes before it.
  ParseStatus Resync(Side from, SideState& side, StreamView& view) {
    const Bytes data = view.data();
    for (size_t i = 0; i < data.size(); ++i) {
      const bool line_start = i == 0 ? side.at_line_start : data[i - 1] == '\n';
      if (!line_start) continue;
      const Candidate c = CheckCandidate(from, data.subspan(i));
      if (c == Candidate::kNo) continue;
      view.Consume(i);
      side.scanned += i;
      if (c == Candidate::kYes) {
        side.resyncing = false;
        return ParseStatus::kNeedMore;
      }
      side.at_line_start = true;
      return side.scanned > kResyncBudget ? ParseStatus::kBad : ParseStatus::kNeedMore;
    }
    view.Consume(data.size());
    side.scanned += data.size();
    if (!data.empty()) side.at_line_start = data.back() == '\n';
    return side.scanned > kResyncBudget ? ParseStatus::kBad : ParseStatus::kNeedMore;
  }

  static Candidate CheckCandidate(Side from, Bytes data) {
    constexpr size_t kMaxLine = 4096;
    const auto* newline = static_cast<const uint8_t*>(
        std::memchr(data.data(), '\n', std::min(data.size(), kMaxLine)));
    if (newline == nullptr) return data.size() >= kMaxLine ? Candidate::kNo : Candidate::kUnknown;
    const size_t length = static_cast<size_t>(newline - data.data());
    if (length == 0 || data[length - 1] != '\r') return Candidate::kNo;
    const absl::string_view line(reinterpret_cast<const char*>(data.data()), length - 1);
    if (from == Side::kClient) {
      if (line.size() < 2 || line[0] != '*') return Candidate::kNo;
      for (char c : line.substr(1)) {
        if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return Candidate::kNo;
      }
      return Candidate::kYes;
    }
    return IsRespReplyLine(line) ? Candidate::kYes : Candidate::kNo;
  }

  void OnCommand(const RespValue& v) {
    if (v.elements.empty() || v.number <= 0) return;  // "*0", "*-1": nothing to run
    Pending p;
    p.verb = RedisVerb(v.elements[0]);
    p.argc = static_cast<uint64_t>(v.number);
    if (v.elements.size() > 1) p.arg1 = v.elements[1];
    if (v.elements.size() > 2) p.arg2 = v.elements[2];
    const std::string text = RedisCommandText(v.elements, v.element_sizes, p.argc);

    AppMessage m;
    m.from = Side::kClient;
    m.start = v.start;
    m.type = p.verb;
    m.summary = text;
    m.length = v.wire_length;
    m.head = v.head;
    m.fields = {{"command", p.verb}, {"arguments", absl::StrCat(p.argc - 1)}};
    if (v.type == 'i') m.fields.emplace_back("inline", "true");
    events_->OnMessage(std::move(m));

    ReportCredential(v, p);

    p.query.request = v.start;
    p.query.text = text;
    p.query.command = p.verb;
    p.query.query_type = std::string(RedisCommandClass(p.verb));
    p.query.database = database_;

    if (ExpectsNoReply(p)) {
      events_->OnQuery(std::move(p.query));
      return;
    }
    if (pending_.size() >= kMaxPending) events_->OnQuery(pending_.take_front().query);
    pending_.push_back(std::move(p));
  }

  // CLIENT REPLY OFF / SKIP silence the server for the commands that follow.
  bool ExpectsNoReply(const Pending& p) {
    if (p.verb == "CLIENT" && absl::EqualsIgnoreCase(p.arg1, "REPLY")) {
      if (absl::EqualsIgnoreCase(p.arg2, "ON")) {
        reply_off_ = false;
        skip_next_ = false;
        return false;
      }
      if (absl::EqualsIgnoreCase(p.arg2, "OFF")) reply_off_ = true;
      if (absl::EqualsIgnoreCase(p.arg2, "SKIP") && !reply_off_) skip_next_ = true;
      return true;
    }
    if (reply_off_) return true;
    if (skip_next_) {
      skip_next_ = false;
      return true;
    }
    return false;
  }

  void ReportCredential(const RespValue& v, Pending& p) {
    const auto& args = v.elements;
    std::string user;
    std::string password;
    std::string evidence;
    if (p.verb == "AUTH" && args.size() >= 2) {
      password = args.back();
      if (args.size() >= 3) user = args[1];
      evidence =
          absl::StrCat("AUTH ", user.empty() ? "" : RedisQuote(user) + " ", MaskSecret(password));
    } else if (p.verb == "HELLO") {
      for (size_t i = 1; i + 2 < args.size(); ++i) {
        if (absl::EqualsIgnoreCase(args[i], "AUTH")) {
          user = args[i + 1];
          password = args[i + 2];
          evidence =
              absl::StrCat("HELLO ", p.arg1, " AUTH ", RedisQuote(user), " ", MaskSecret(password));
          break;
        }
      }
    }
    if (evidence.empty()) return;
    p.user = user;
    Credential c;
    c.from = Side::kClient;
    c.at = v.start;
    c.kind = "redis_auth";
    c.user = user;
    c.evidence = Cut(evidence, kMaxTextBytes);
    events_->OnCredential(std::move(c));
  }

  void OnReply(const RespValue& v) {
    if (IsPush(v)) return OnPush(v);
    if (monitor_ && v.type == '+' && IsMonitorLine(v.text)) {
      AppMessage m = ReplyMessage(v);
      m.type = "monitor";
      events_->OnMessage(std::move(m));
      return;
    }
    AppMessage m = ReplyMessage(v);
    // A reply cannot come before its command; one that does answers a command we did not see.
    const bool paired =
        !pending_.empty() && (pending_.front().query.request.frame == 0 || v.start.frame == 0 ||
                              v.start.frame >= pending_.front().query.request.frame);
    if (!paired) {
      m.fields.emplace_back("unpaired", "true");
      events_->OnMessage(std::move(m));
      return;
    }
    m.fields.emplace_back("reply_to", pending_.front().verb);
    events_->OnMessage(std::move(m));
    Pending p = pending_.take_front();
    Complete(p, v);
  }

  // Pub/sub messages and confirmations: RESP3 pushes, and RESP2 arrays whose first element
  // names one while the connection subscribes.
  bool IsPush(const RespValue& v) const {
    if (v.type == '>') return true;
    if (v.type != '*' || v.elements.empty()) return false;
    const std::string kind = absl::AsciiStrToLower(v.elements[0]);
    if (!IsPubSubKind(kind)) return false;
    if (subscribed_) return true;
    return !pending_.empty() && absl::AsciiStrToLower(pending_.front().verb) == kind;
  }

  void OnPush(const RespValue& v) {
    const std::string kind = v.elements.empty() ? "" : absl::AsciiStrToLower(v.elements[0]);
    AppMessage m = ReplyMessage(v);
    m.type = kind.empty() ? std::string(">") : kind;
    if (v.elements.size() > 1) m.fields.emplace_back("channel", v.elements[1]);
    if (IsPubSubConfirmation(kind)) {
      if (v.elements.size() > 2) {
        subscribed_ = v.elements[2] != "0";
      }
      if (absorb_left_ > 0 && kind == absorb_kind_) {
        --absorb_left_;  // the confirmation of a further channel of the same command
      } else if (!pending_.empty() && absl::AsciiStrToLower(pending_.front().verb) == kind) {
        Pending p = pending_.take_front();
        m.fields.emplace_back("reply_to", p.verb);
        absorb_kind_ = kind;
        absorb_left_ = p.argc > 2 ? p.argc - 2 : 0;
        events_->OnMessage(std::move(m));
        Complete(p, v);
        return;
      }
    }
    events_->OnMessage(std::move(m));
  }

  AppMessage ReplyMessage(const RespValue& v) const {
    AppMessage m;
    m.from = Side::kServer;
    m.start = v.start;
    m.type = ReplyType(v);
    m.summary = ReplySummary(v);
    m.length = v.wire_length;
    m.head = v.head;
    m.fields.emplace_back("kind", std::string(KindName(v.type)));
    if (v.has_attribute) m.fields.emplace_back("attribute", "true");
    return m;
  }

  void Complete(Pending& p, const RespValue& v) {
    DbQuery& q = p.query;
    q.response = v.start;
    const bool error = v.type == '-' || v.type == '!';
    q.status = error ? QueryStatus::kError : QueryStatus::kOk;
    if (error) {
      auto [code, message] = SplitError(v.text);
      q.error_code = std::move(code);
      q.error_message = Cut(message, kMaxTextBytes);
    }
    const bool aggregate = v.type == '*' || v.type == '%' || v.type == '~';
    if (aggregate && !v.null) {
      q.has_rows = true;
      q.rows = static_cast<uint64_t>(v.number);
    }
    if (v.type == ':' && v.number >= 0 && RedisIntegerCountsChanges(p.verb)) {
      q.has_affected_rows = true;
      q.affected_rows = static_cast<uint64_t>(v.number);
    }
    if (!error) LearnFacts(p, v);
    events_->OnQuery(std::move(q));
  }

  void LearnFacts(const Pending& p, const RespValue& v) {
    if (p.verb == "SELECT" && !p.arg1.empty()) {
      database_ = p.arg1;
      facts_->database = p.arg1;
    } else if (p.verb == "AUTH" || p.verb == "HELLO") {
      if (!p.user.empty()) facts_->user = p.user;
    } else if (p.verb == "MONITOR") {
      monitor_ = true;
    } else if (p.verb == "RESET") {
      monitor_ = false;
      subscribed_ = false;
      database_ = "0";
      facts_->database = "0";
    } else if (p.verb == "INFO") {
      const size_t at = v.text.find("redis_version:");
      if (at != std::string::npos) {
        const size_t from = at + strlen("redis_version:");
        const size_t end = v.text.find_first_of("\r\n", from);
        if (end != std::string::npos) facts_->server_version = v.text.substr(from, end - from);
      }
    }
    if (p.verb == "HELLO") {
      // The reply is a map (RESP3) or a flat array (RESP2) of field / value.
      for (size_t i = 0; i + 1 < v.elements.size(); i += 2) {
        if (v.elements[i] == "version" && !v.elements[i + 1].empty()) {
          facts_->server_version = v.elements[i + 1];
        }
        if (v.elements[i] == "proto" && v.elements[i + 1] == "3" && !resp3_) {
          resp3_ = true;
          Note("client switched to RESP3 (HELLO 3)");
        }
      }
    }
  }

  void FlushPending() {
    while (!pending_.empty()) events_->OnQuery(pending_.take_front().query);
  }

  void Note(std::string note) {
    if (notes_ >= kMaxNotes) return;
    ++notes_;
    facts_->notes.push_back(std::move(note));
  }

  PayloadEvents* events_;
  FlowFacts* facts_;
  std::array<SideState, 2> sides_ = {SideState(true), SideState(false)};
  MeteredDeque<Pending> pending_{&PendingBytes};
  std::string database_;
  bool monitor_ = false;
  bool subscribed_ = false;
  bool resp3_ = false;
  bool reply_off_ = false;
  bool skip_next_ = false;
  std::string absorb_kind_;  // confirmations still due for the last (P|S)(UN)SUBSCRIBE
  uint64_t absorb_left_ = 0;
  size_t notes_ = 0;
};

}  // namespace

std::unique_ptr<StreamParser> MakeRedisParser(PayloadEvents* events, FlowFacts* facts) {
  return std::make_unique<RedisParser>(events, facts);
}

}  // namespace mcpcap::payload
