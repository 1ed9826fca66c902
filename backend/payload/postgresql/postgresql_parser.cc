#include "backend/payload/postgresql/postgresql_parser.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "backend/payload/common/bounded_text_map.h"
#include "backend/payload/common/heap_bytes.h"
#include "backend/payload/common/metered_deque.h"
#include "backend/payload/common/query_classify.h"
#include "backend/payload/common/text_bounds.h"
#include "backend/payload/postgresql/postgresql_wire.h"

namespace mcpcap::payload {
namespace {

using postgresql::ReadCString;

// Bytes of a message body that we look at: enough for a bounded query text and any header.
constexpr size_t kPeekBytes = kMaxTextBytes + 512;
constexpr size_t kMaxNames = 256;     // prepared statements / portals remembered
constexpr size_t kMaxPending = 1024;  // client messages waiting for their answers
constexpr size_t kMaxStatementsPerQuery = 64;
constexpr size_t kResyncWindow = 64 * 1024;
constexpr uint32_t kMaxStartupLength = 10000;
constexpr uint32_t kMaxMessageLength = 1u << 30;  // the server's own limit (1 GB)
constexpr size_t kSummaryBytes = 160;
constexpr size_t kMaxNotes = 8;  // FlowFacts::notes added by this parser
constexpr char kNotExecuted[] = "not executed: an earlier statement or message failed";

struct Message {
  uint8_t type = 0;  // 0 for the untyped startup-phase messages
  uint64_t wire_length = 0;
  uint64_t body_length = 0;
  Bytes body;  // the first min(body_length, kPeekBytes) bytes
  Bytes head;  // at most kPreviewBytes from the type byte on
  Position at;
};

// What a client message waits for; the server answers in this order.
enum class Expect : uint8_t { kParse, kBind, kDescribe, kClose, kExecute, kSync, kQuery, kCall };

struct Pending {
  Expect kind = Expect::kSync;
  DbQuery query;  // Execute, FunctionCall, standalone Parse; Query: its current statement
  // Parse: reported on its own unless a Bind of its Sync group uses the statement (then the
  // Execute carries the text).
  bool report = true;
  std::string statement;                // Parse: the statement's name
  std::vector<std::string> statements;  // Query: its statements in order
  size_t next = 0;                      // Query: statements answered so far
  bool answered = false;                // a response message arrived for the current statement
  bool done = false;                    // FunctionCall: answered, waiting for ReadyForQuery
  bool failed = false;
  bool copy_out = false;
  bool row_description = false;
  uint64_t data_rows = 0;
};

size_t PendingBytes(const Pending& p) {
  return HeapBytes(p.query) + HeapBytes(p.statement) + HeapBytes(p.statements);
}

// Several messages reported as one (a result set's rows, a COPY's data).
struct Aggregate {
  bool active = false;
  Position start;
  std::string head;
  uint64_t bytes = 0;
  uint64_t columns = 0;
  uint64_t count = 0;
};

bool KnownType(Side from, uint8_t type) {
  return from == Side::kClient ? !postgresql::ClientMessageName(type).empty()
                               : !postgresql::ServerMessageName(type).empty();
}

// Fixed body lengths, for telling a message start from noise after a gap.
bool PlausibleLength(Side from, uint8_t type, uint32_t length) {
  if (length < 4 || length > kMaxMessageLength) return false;
  if (from == Side::kClient) {
    if (type == 'S' || type == 'H' || type == 'X' || type == 'c') return length == 4;
    return true;
  }
  switch (type) {
    case '1':
    case '2':
    case '3':
    case 'n':
    case 'c':
    case 'I':
      return length == 4;
    case 'Z':
      return length == 5;
    case 'K':
      return length == 12;
    default:
      return true;
  }
}

class PostgreSqlParser final : public StreamParser {
 public:
  PostgreSqlParser(PayloadEvents* events, FlowFacts* facts) : events_(events), facts_(facts) {}

  ParseStatus Parse(Side from, StreamView& view) override;
  void Finish() override;
  size_t MemoryBytes() const override {
    return sizeof(*this) + pending_.MemoryBytes() + statements_.MemoryBytes() +
           portals_.MemoryBytes() + HeapBytes(set_.head) + HeapBytes(copy_[0].head) +
           HeapBytes(copy_[1].head);
  }

 private:
  enum class ClientPhase { kUnknown, kUntyped, kTyped };
  static size_t Index(Side side) { return side == Side::kClient ? 0 : 1; }

  // Where a message of `from` plausibly starts in bytes that follow a gap; `confirmed` when it
  // ends where the data or another plausible message ends.
  struct SyncPoint {
    size_t at = Bytes::npos;
    bool confirmed = false;
  };
  SyncPoint FindMessageStart(Side from, Bytes data) const;
  void OnGap(Side from);
  void OnEncryptionAnswer(uint8_t answer, Bytes bytes, Position at);
  void OnUntyped(const Message& m);
  void OnClientMessage(const Message& m);
  void OnPassword(const Message& m, AppMessage& msg);
  void OnServerMessage(const Message& m);
  void OnAuthentication(const Message& m, AppMessage& msg);
  void OnError(const postgresql::ErrorFields& error, Position at);
  void OnReady();

  void Push(Pending p);
  // The oldest pending entry of one of `kinds` within the current Sync group, after finishing
  // (as unanswered) the entries before it; nullptr when there is none.
  Pending* Front(std::initializer_list<Expect> kinds);
  void PopFront();
  void MarkAnswered(Pending& p, Position at);
  void Complete(Pending& p, const postgresql::CommandTag* tag);
  void FinishUnanswered(Pending& p);
  void MarkBound(absl::string_view statement);
  void Report(DbQuery q) { events_->OnQuery(std::move(q)); }

  void AddToAggregate(Aggregate& a, const Message& m);
  void FlushResultSet();
  void FlushCopy(Side from);
  AppMessage Msg(Side from, const Message& m, absl::string_view type, std::string summary);
  void Emit(AppMessage m) { events_->OnMessage(std::move(m)); }

  void AddNote(std::string note) {
    if (notes_added_ < kMaxNotes) facts_->notes.push_back(std::move(note));
    ++notes_added_;
  }

  PayloadEvents* events_;
  FlowFacts* facts_;
  size_t notes_added_ = 0;
  bool passive_ = false;  // the connection switched to SSL/GSS encryption
  std::array<bool, 2> resyncing_{};
  ClientPhase client_phase_ = ClientPhase::kUnknown;
  uint8_t awaiting_answer_ = 0;  // 'S' after SSLRequest, 'G' after GSSENCRequest
  int64_t last_auth_code_ = -1;
  bool auth_requested_ = false;
  bool ready_seen_ = false;

  MeteredDeque<Pending> pending_{&PendingBytes};
  BoundedTextMap<std::string> statements_{kMaxNames};  // name -> text
  BoundedTextMap<std::string> portals_{kMaxNames};     // name -> statement text
  Aggregate set_;
  uint64_t described_columns_ = 0;
  std::array<Aggregate, 2> copy_;
};

ParseStatus PostgreSqlParser::Parse(Side from, StreamView& view) {
  const size_t s = Index(from);
  while (true) {
    if (passive_) {
      view.Consume(view.data().size());
      return ParseStatus::kNeedMore;
    }
    if (view.after_gap() && !resyncing_[s]) {
      resyncing_[s] = true;
      OnGap(from);
    }
    Bytes data = view.data();
    if (data.empty()) return ParseStatus::kNeedMore;
    if (resyncing_[s]) {
      const SyncPoint sync = FindMessageStart(from, data);
      if (sync.at == Bytes::npos) {
        if (data.size() >= kResyncWindow || view.at_end()) return ParseStatus::kBad;
        return ParseStatus::kNeedMore;
      }
      if (!sync.confirmed && data.size() < kResyncWindow && !view.at_end()) {
        return ParseStatus::kNeedMore;  // more bytes will tell
      }
      view.Consume(sync.at);
      data = view.data();
    }
    if (from == Side::kServer && awaiting_answer_ != 0) {
      const uint8_t answer = data[0];
      if (answer == 'S' || answer == 'G' || answer == 'N') {
        OnEncryptionAnswer(answer, data.first(1), view.PositionAt(0));
        view.Consume(1);
        continue;
      }
      awaiting_answer_ = 0;  // an old server's ErrorResponse: read it as a message
    }
    if (from == Side::kClient && client_phase_ == ClientPhase::kUnknown) {
      // Startup-phase messages begin with their length's high byte (0); typed ones with a letter.
      client_phase_ = data[0] == 0 ? ClientPhase::kUntyped : ClientPhase::kTyped;
    }
    const bool untyped = from == Side::kClient && client_phase_ == ClientPhase::kUntyped;
    const size_t header = untyped ? 4 : 5;
    if (data.size() < header) return ParseStatus::kNeedMore;
    const uint32_t length = LoadU32Be(data.data() + header - 4);
    if (untyped ? (length < 8 || length > kMaxStartupLength)
                : (length < 4 || length > kMaxMessageLength || !KnownType(from, data[0]))) {
      return ParseStatus::kBad;
    }
    Message m;
    m.type = untyped ? 0 : data[0];
    m.wire_length = untyped ? length : uint64_t{length} + 1;
    m.body_length = length - 4;
    const size_t peek = static_cast<size_t>(std::min<uint64_t>(m.body_length, kPeekBytes));
    if (data.size() < header + peek) return ParseStatus::kNeedMore;
    m.body = data.subspan(header, peek);
    m.head = data.first(std::min(header + peek, kPreviewBytes));
    m.at = view.PositionAt(0);
    if (untyped) {
      OnUntyped(m);
    } else if (from == Side::kClient) {
      OnClientMessage(m);
    } else {
      OnServerMessage(m);
    }
    resyncing_[s] = false;
    view.Consume(m.wire_length);
  }
}

PostgreSqlParser::SyncPoint PostgreSqlParser::FindMessageStart(Side from, Bytes data) const {
  SyncPoint tentative;
  const size_t last = std::min(data.size(), kResyncWindow);
  for (size_t i = 0; i + 5 <= last; ++i) {
    const uint8_t type = data[i];
    const uint32_t length = LoadU32Be(data.data() + i + 1);
    if (!KnownType(from, type) || !PlausibleLength(from, type, length)) continue;
    const size_t end = i + 1 + length;
    if (end == data.size()) return {i, true};
    if (end + 5 <= data.size()) {
      if (KnownType(from, data[end]) &&
          PlausibleLength(from, data[end], LoadU32Be(data.data() + end + 1))) {
        return {i, true};
      }
      continue;
    }
    if (tentative.at == Bytes::npos) tentative = {i, false};  // ends past the data: not sure yet
  }
  return tentative;
}

void PostgreSqlParser::OnGap(Side from) {
  copy_[Index(from)] = {};
  if (from == Side::kClient) {
    if (client_phase_ == ClientPhase::kUnknown) client_phase_ = ClientPhase::kTyped;
    return;
  }
  set_ = {};
  awaiting_answer_ = 0;
}

AppMessage PostgreSqlParser::Msg(Side from, const Message& m, absl::string_view type,
                                 std::string summary) {
  AppMessage msg;
  msg.from = from;
  msg.start = m.at;
  msg.type = std::string(type);
  msg.summary = std::move(summary);
  msg.length = m.wire_length;
  msg.head.assign(m.head.begin(), m.head.end());
  return msg;
}

// ---- Startup ----

void PostgreSqlParser::OnEncryptionAnswer(uint8_t answer, Bytes bytes, Position at) {
  const bool ssl = awaiting_answer_ == 'S';
  awaiting_answer_ = 0;
  AppMessage msg;
  msg.from = Side::kServer;
  msg.start = at;
  msg.type = ssl ? "SSLResponse" : "GSSENCResponse";
  msg.length = 1;
  msg.head.assign(bytes.begin(), bytes.end());
  if (answer == 'N') {
    msg.summary = ssl ? "server refused SSL: the session continues in clear text"
                      : "server refused GSS encryption: the session continues in clear text";
    msg.fields.emplace_back("accepted", "false");
    Emit(std::move(msg));
    return;
  }
  facts_->encrypted = true;
  facts_->encryption = ssl ? "postgresql_ssl" : "postgresql_gssenc";
  passive_ = true;
  msg.summary = ssl ? "server accepts SSL: TLS follows" : "server accepts GSS encryption";
  msg.fields.emplace_back("accepted", "true");
  Emit(std::move(msg));
}

void PostgreSqlParser::OnUntyped(const Message& m) {
  const uint32_t code = LoadU32Be(m.body.data());
  switch (code) {
    case postgresql::kSslRequest:
      awaiting_answer_ = 'S';
      Emit(Msg(Side::kClient, m, "SSLRequest", "client asks for SSL"));
      return;
    case postgresql::kGssEncRequest:
      awaiting_answer_ = 'G';
      Emit(Msg(Side::kClient, m, "GSSENCRequest", "client asks for GSS encryption"));
      return;
    case postgresql::kCancelRequest: {
      AppMessage msg = Msg(Side::kClient, m, "CancelRequest", "client cancels a running query");
      if (m.body.size() >= 8) {
        const uint32_t pid = LoadU32Be(m.body.data() + 4);
        msg.summary = absl::StrCat("client cancels the query running in backend ", pid);
        msg.fields.emplace_back("process_id", absl::StrCat(pid));
      }
      Emit(std::move(msg));
      return;
    }
    default:
      break;
  }
  client_phase_ = ClientPhase::kTyped;
  const std::string version = absl::StrCat(code >> 16, ".", code & 0xFFFF);
  AppMessage msg = Msg(Side::kClient, m, "StartupMessage", "startup, protocol " + version);
  msg.fields.emplace_back("protocol_version", version);
  if (code >> 16 == 3) {
    const postgresql::StartupParameters params =
        postgresql::ParseStartupParameters(m.body.subspan(4));
    facts_->user = params.user;
    // Without a database parameter the server uses the user name.
    facts_->database = params.database.empty() ? params.user : params.database;
    if (!params.application_name.empty()) facts_->client_software = params.application_name;
    msg.summary = absl::StrCat("startup user=", params.user, " database=", facts_->database);
    msg.fields.emplace_back("user", params.user);
    msg.fields.emplace_back("database", facts_->database);
    if (!params.application_name.empty()) {
      msg.fields.emplace_back("application_name", params.application_name);
    }
  }
  Emit(std::move(msg));
}

// ---- Client messages ----

void PostgreSqlParser::OnClientMessage(const Message& m) {
  const std::string name(postgresql::ClientMessageName(m.type));
  AppMessage msg = Msg(Side::kClient, m, name, name);
  ByteReader r(m.body);
  absl::string_view a;
  absl::string_view b;
  switch (m.type) {
    case 'Q': {
      ReadCString(r, &a, /*allow_cut=*/true);
      Pending p;
      p.kind = Expect::kQuery;
      p.query.request = m.at;
      p.query.command = "Query";
      p.query.database = facts_->database;
      const std::string text = BoundedText(a, m.body_length > 0 ? m.body_length - 1 : 0);
      for (absl::string_view piece : SplitStatements(text, kMaxStatementsPerQuery)) {
        p.statements.emplace_back(piece);
      }
      if (p.statements.size() <= 1) p.statements = {text};  // one statement: exactly as sent
      msg.summary = absl::StrCat("Query: ", OneLine(text, kSummaryBytes));
      msg.fields.emplace_back("query", text);
      if (p.statements.size() > 1) {
        msg.fields.emplace_back("statements", absl::StrCat(p.statements.size()));
      }
      Push(std::move(p));
      break;
    }
    case 'P': {
      ReadCString(r, &a);
      ReadCString(r, &b, /*allow_cut=*/true);
      const std::string text =
          BoundedText(b, m.body_length - std::min<uint64_t>(m.body_length, a.size() + 2));
      statements_.Put(a, text);  // past kMaxNames, new names are not remembered
      Pending p;
      p.kind = Expect::kParse;
      p.statement = std::string(a.substr(0, kMaxValueBytes));
      p.query.request = m.at;
      p.query.command = "Parse";
      p.query.query_type = "PREPARE";
      p.query.database = facts_->database;
      p.query.text = text;
      msg.summary = absl::StrCat("Parse", a.empty() ? "" : " ", BoundedValue(a), ": ",
                                 OneLine(text, kSummaryBytes));
      msg.fields.emplace_back("statement", BoundedValue(a));
      msg.fields.emplace_back("query", text);
      Push(std::move(p));
      break;
    }
    case 'B': {
      ReadCString(r, &a);  // portal
      ReadCString(r, &b);  // statement
      MarkBound(b);
      const std::string* text = statements_.Find(b);
      portals_.Put(a, text == nullptr ? std::string() : *text);
      msg.summary = absl::StrCat("Bind portal \"", BoundedValue(a), "\" to statement \"",
                                 BoundedValue(b), "\"");
      msg.fields.emplace_back("portal", BoundedValue(a));
      msg.fields.emplace_back("statement", BoundedValue(b));
      Pending p;
      p.kind = Expect::kBind;
      Push(std::move(p));
      break;
    }
    case 'E': {
      ReadCString(r, &a);
      uint32_t max_rows = 0;
      r.ReadU32Be(&max_rows);
      const std::string* text = portals_.Find(a);
      Pending p;
      p.kind = Expect::kExecute;
      p.query.request = m.at;
      p.query.command = "Execute";
      p.query.database = facts_->database;
      if (text != nullptr) p.query.text = *text;
      p.query.query_type = p.query.text.empty() ? "OTHER" : ClassifyQuery(p.query.text);
      msg.summary = absl::StrCat("Execute portal \"", BoundedValue(a), "\"");
      if (!p.query.text.empty()) {
        absl::StrAppend(&msg.summary, ": ", OneLine(p.query.text, kSummaryBytes));
      }
      msg.fields.emplace_back("portal", BoundedValue(a));
      msg.fields.emplace_back("max_rows", absl::StrCat(max_rows));
      if (!p.query.text.empty()) msg.fields.emplace_back("query", p.query.text);
      Push(std::move(p));
      break;
    }
    case 'D':
    case 'C': {
      uint8_t target = 0;
      r.ReadU8(&target);
      ReadCString(r, &a);
      const char* what = target == 'S' ? "statement" : "portal";
      msg.summary = absl::StrCat(name, " ", what, " \"", BoundedValue(a), "\"");
      msg.fields.emplace_back(what, BoundedValue(a));
      if (m.type == 'C') {
        if (target == 'S') statements_.Erase(a);
        if (target == 'P') portals_.Erase(a);
      }
      Pending p;
      p.kind = m.type == 'D' ? Expect::kDescribe : Expect::kClose;
      Push(std::move(p));
      break;
    }
    case 'S': {
      Pending p;
      p.kind = Expect::kSync;
      Push(std::move(p));
      break;
    }
    case 'F': {
      uint32_t oid = 0;
      r.ReadU32Be(&oid);
      Pending p;
      p.kind = Expect::kCall;
      p.query.request = m.at;
      p.query.command = "FunctionCall";
      p.query.query_type = "COMMAND";
      p.query.database = facts_->database;
      msg.summary = absl::StrCat("FunctionCall oid ", oid);
      msg.fields.emplace_back("function_oid", absl::StrCat(oid));
      Push(std::move(p));
      break;
    }
    case 'p':
      OnPassword(m, msg);
      break;
    case 'd':
      AddToAggregate(copy_[0], m);
      return;  // reported with CopyDone / CopyFail
    case 'c':
    case 'f':
      FlushCopy(Side::kClient);
      if (m.type == 'f' && ReadCString(r, &a, /*allow_cut=*/true)) {
        msg.fields.emplace_back("message", BoundedText(a, a.size()));
      }
      break;
    default:
      break;
  }
  Emit(std::move(msg));
}

void PostgreSqlParser::OnPassword(const Message& m, AppMessage& msg) {
  ByteReader r(m.body);
  absl::string_view value;
  switch (last_auth_code_) {
    case 3: {  // AuthenticationCleartextPassword: the password itself
      ReadCString(r, &value, /*allow_cut=*/true);
      Credential c;
      c.from = Side::kClient;
      c.at = m.at;
      c.kind = "postgresql_password";
      c.user = facts_->user;
      c.evidence = absl::StrCat("PasswordMessage after AuthenticationCleartextPassword: \"",
                                MaskSecret(value), "\"");
      events_->OnCredential(std::move(c));
      msg.summary = "clear-text password";
      break;
    }
    case 5:
      msg.summary = "MD5 password hash";
      break;
    case 10: {
      ReadCString(r, &value);
      const std::string mechanism = absl::AsciiStrToLower(BoundedValue(value));
      if (!mechanism.empty()) facts_->auth_method = mechanism;
      msg.type = "SASLInitialResponse";
      msg.summary = "SASL mechanism " + BoundedValue(value);
      msg.fields.emplace_back("mechanism", BoundedValue(value));
      break;
    }
    case 11:
      msg.type = "SASLResponse";
      msg.summary = "SASL response";
      break;
    case 7:
    case 8:
    case 9:
      msg.type = "GSSResponse";
      msg.summary = "GSS/SSPI response";
      break;
    default:
      msg.summary = "authentication response";
      break;
  }
}

// ---- Server messages ----

void PostgreSqlParser::OnServerMessage(const Message& m) {
  const std::string name(postgresql::ServerMessageName(m.type));
  AppMessage msg = Msg(Side::kServer, m, name, name);
  ByteReader r(m.body);
  absl::string_view a;
  absl::string_view b;
  switch (m.type) {
    case 'R':
      OnAuthentication(m, msg);
      break;
    case 'S':
      ReadCString(r, &a, true);
      ReadCString(r, &b, true);
      if (a == "server_version") facts_->server_version = BoundedValue(b);
      msg.summary = absl::StrCat(BoundedValue(a), " = ", BoundedValue(b));
      msg.fields.emplace_back("name", BoundedValue(a));
      msg.fields.emplace_back("value", BoundedValue(b));
      break;
    case 'K':
      if (m.body.size() >= 4) {
        const uint32_t pid = LoadU32Be(m.body.data());
        msg.summary = absl::StrCat("backend process ", pid);
        msg.fields.emplace_back("process_id", absl::StrCat(pid));
      }
      break;
    case 'Z': {
      const char status = m.body.empty() ? '?' : static_cast<char>(m.body[0]);
      FlushResultSet();
      OnReady();
      msg.summary = status == 'T'   ? "ready (in a transaction)"
                    : status == 'E' ? "ready (in a failed transaction)"
                                    : "ready";
      msg.fields.emplace_back("transaction_status", std::string(1, status));
      break;
    }
    case 'T': {
      uint16_t columns = 0;
      r.ReadU16Be(&columns);
      Pending* p = Front({Expect::kDescribe, Expect::kQuery, Expect::kExecute});
      if (p != nullptr && p->kind != Expect::kDescribe) {
        FlushResultSet();
        MarkAnswered(*p, m.at);
        p->row_description = true;
        AddToAggregate(set_, m);
        set_.columns = columns;
        return;  // reported with its rows
      }
      if (p != nullptr) PopFront();
      described_columns_ = columns;  // an Execute's rows may follow without a RowDescription
      msg.summary = absl::StrCat(columns, columns == 1 ? " column" : " columns");
      msg.fields.emplace_back("columns", absl::StrCat(columns));
      break;
    }
    case 'D': {
      Pending* p = Front({Expect::kQuery, Expect::kExecute});
      if (p != nullptr) {
        MarkAnswered(*p, m.at);
        ++p->data_rows;
      }
      if (!set_.active) {
        AddToAggregate(set_, m);
        set_.columns = described_columns_;
      } else {
        AddToAggregate(set_, m);
      }
      ++set_.count;
      return;  // reported with its result set
    }
    case 'C':
    case 'I':
    case 's': {
      FlushResultSet();
      postgresql::CommandTag tag;
      if (m.type == 'C') {
        ReadCString(r, &a, true);
        tag = postgresql::ParseCommandTag(a);
        msg.summary = BoundedValue(a);
        msg.fields.emplace_back("tag", BoundedValue(a));
      }
      Emit(std::move(msg));  // before the query it completes
      Pending* p =
          m.type == 's' ? Front({Expect::kExecute}) : Front({Expect::kExecute, Expect::kQuery});
      if (p != nullptr) {
        MarkAnswered(*p, m.at);
        Complete(*p, m.type == 'C' ? &tag : nullptr);
      }
      return;
    }
    case 'E':
    case 'N': {
      if (m.type == 'E') FlushResultSet();
      const postgresql::ErrorFields error = postgresql::ParseErrorFields(m.body);
      msg.summary = absl::StrCat(error.severity, " ", error.code, ": ",
                                 OneLine(error.message, kSummaryBytes));
      msg.fields.emplace_back("severity", error.severity);
      msg.fields.emplace_back("code", error.code);
      msg.fields.emplace_back("message", error.message);
      if (!error.detail.empty()) msg.fields.emplace_back("detail", error.detail);
      if (!error.hint.empty()) msg.fields.emplace_back("hint", error.hint);
      Emit(std::move(msg));  // before the query it completes
      if (m.type == 'E') OnError(error, m.at);
      return;
    }
    case '1':
    case '2':
    case '3':
    case 'n': {
      const Expect kind = m.type == '1'   ? Expect::kParse
                          : m.type == '2' ? Expect::kBind
                          : m.type == '3' ? Expect::kClose
                                          : Expect::kDescribe;
      Pending* p = Front({kind});
      if (p != nullptr) {
        if (p->kind == Expect::kParse && p->report) {
          MarkAnswered(*p, m.at);
          p->query.status = QueryStatus::kOk;
          Report(std::move(p->query));
        }
        PopFront();
      }
      break;
    }
    case 'G':
    case 'H':
    case 'W': {
      Pending* p = Front({Expect::kQuery, Expect::kExecute});
      if (p != nullptr) {
        MarkAnswered(*p, m.at);
        if (m.type == 'H') p->copy_out = true;
      }
      uint8_t format = 0;
      uint16_t columns = 0;
      r.ReadU8(&format);
      r.ReadU16Be(&columns);
      msg.summary = absl::StrCat(name, ": ", columns, " columns, ", format ? "binary" : "text");
      msg.fields.emplace_back("columns", absl::StrCat(columns));
      break;
    }
    case 'd':
      AddToAggregate(copy_[1], m);
      return;  // reported with CopyDone
    case 'c':
      FlushCopy(Side::kServer);
      break;
    case 'V': {
      Pending* p = Front({Expect::kCall});
      if (p != nullptr && !p->done) {
        MarkAnswered(*p, m.at);
        p->done = true;
        p->query.status = QueryStatus::kOk;
        Report(p->query);
      }
      break;
    }
    case 'A':
      if (r.Skip(4) && ReadCString(r, &a)) {
        msg.summary = absl::StrCat("notification on channel ", BoundedValue(a));
        msg.fields.emplace_back("channel", BoundedValue(a));
      }
      break;
    default:
      break;
  }
  Emit(std::move(msg));
}

void PostgreSqlParser::OnAuthentication(const Message& m, AppMessage& msg) {
  if (m.body.size() < 4) return;
  const uint32_t code = LoadU32Be(m.body.data());
  last_auth_code_ = code;
  msg.type = postgresql::AuthenticationName(code);
  msg.summary = msg.type;
  switch (code) {
    case 0:
      // No request before the OK: the server asked for no password (trust, peer, ...).
      if (!auth_requested_ && facts_->auth_method.empty()) facts_->auth_method = "none";
      msg.summary = "authentication succeeded";
      break;
    case 2:
      facts_->auth_method = "kerberos_v5";
      break;
    case 3:
      facts_->auth_method = "cleartext";
      break;
    case 5:
      facts_->auth_method = "md5";
      break;
    case 7:
      facts_->auth_method = "gss";
      break;
    case 9:
      facts_->auth_method = "sspi";
      break;
    case 10: {
      facts_->auth_method = "sasl";
      ByteReader r(m.body.subspan(4));
      std::vector<std::string> mechanisms;
      absl::string_view mechanism;
      while (ReadCString(r, &mechanism) && !mechanism.empty() && mechanisms.size() < 8) {
        mechanisms.push_back(BoundedValue(mechanism));
      }
      msg.summary = "SASL authentication: " + absl::StrJoin(mechanisms, ", ");
      msg.fields.emplace_back("mechanisms", absl::StrJoin(mechanisms, ","));
      break;
    }
    default:
      break;
  }
  if (code != 0 && code != 11 && code != 12) auth_requested_ = true;
}

void PostgreSqlParser::OnError(const postgresql::ErrorFields& error, Position at) {
  auto fill = [&error](DbQuery& q) {
    q.status = QueryStatus::kError;
    q.error_code = error.code;
    q.error_message = error.message;
  };
  if (pending_.empty() || pending_.front().kind == Expect::kSync) {
    if (!ready_seen_) {
      AddNote(absl::StrCat("server error before the session started: ", error.severity, " ",
                           error.code, " ", OneLine(error.message, kSummaryBytes)));
    }
    return;
  }
  Pending& front = pending_.front();
  MarkAnswered(front, at);
  if (front.kind == Expect::kQuery) {
    // The failing statement ends the Query; the statements after it are not run.
    if (front.next < front.statements.size()) {
      DbQuery q = front.query;
      q.text = front.statements[front.next];
      q.query_type = ClassifyQuery(q.text);
      fill(q);
      Report(std::move(q));
      ++front.next;
    }
    front.failed = true;
    return;
  }
  if (front.kind == Expect::kCall) {
    if (!front.done) {
      front.done = true;
      fill(front.query);
      Report(front.query);
    }
    return;
  }
  // Extended protocol: the server skips everything up to the next Sync. The error belongs to
  // the group's first Execute (or to the failing Parse when nothing was to be executed).
  bool reported = false;
  size_t end = 0;
  while (end < pending_.size() && pending_[end].kind != Expect::kSync &&
         pending_[end].kind != Expect::kQuery && pending_[end].kind != Expect::kCall) {
    ++end;
  }
  for (size_t i = 0; i < end; ++i) {
    Pending& p = pending_[i];
    const bool standalone_parse = p.kind == Expect::kParse && p.report;
    if (p.kind != Expect::kExecute && !standalone_parse) continue;
    if (!reported) {
      MarkAnswered(p, at);
      fill(p.query);
      reported = true;
    } else {
      p.query.status = QueryStatus::kError;
      p.query.error_message = kNotExecuted;
    }
    Report(std::move(p.query));
  }
  if (!reported && front.kind == Expect::kParse) {
    fill(front.query);
    Report(std::move(front.query));
  }
  pending_.erase_front(end);
}

void PostgreSqlParser::OnReady() {
  ready_seen_ = true;
  size_t end = 0;
  while (end < pending_.size() && pending_[end].kind != Expect::kSync &&
         pending_[end].kind != Expect::kQuery && pending_[end].kind != Expect::kCall) {
    ++end;
  }
  if (end == pending_.size()) return;  // nothing was waiting for this (e.g. after startup)
  for (size_t i = 0; i <= end; ++i) FinishUnanswered(pending_[i]);
  pending_.erase_front(end + 1);
}

// ---- Pairing ----

void PostgreSqlParser::Push(Pending p) {
  if (pending_.size() >= kMaxPending) {
    FinishUnanswered(pending_.front());
    pending_.pop_front();
  }
  pending_.push_back(std::move(p));
}

Pending* PostgreSqlParser::Front(std::initializer_list<Expect> kinds) {
  for (size_t i = 0; i < pending_.size(); ++i) {
    const Expect kind = pending_[i].kind;
    if (std::find(kinds.begin(), kinds.end(), kind) != kinds.end()) {
      for (size_t k = 0; k < i; ++k) FinishUnanswered(pending_[k]);
      pending_.erase_front(i);
      return &pending_.front();
    }
    if (kind == Expect::kSync || kind == Expect::kQuery || kind == Expect::kCall) break;
  }
  return nullptr;
}

void PostgreSqlParser::PopFront() {
  if (!pending_.empty()) pending_.pop_front();
}

void PostgreSqlParser::MarkAnswered(Pending& p, Position at) {
  if (p.answered) return;
  p.answered = true;
  p.query.response = at;
}

void PostgreSqlParser::Complete(Pending& p, const postgresql::CommandTag* tag) {
  DbQuery q = p.query;
  if (p.kind == Expect::kQuery) {
    if (p.next >= p.statements.size()) return;  // more completions than statements we split
    q.text = p.statements[p.next];
    q.query_type = ClassifyQuery(q.text);
  }
  q.status = QueryStatus::kOk;
  const bool row_count =
      tag != nullptr && tag->has_count &&
      (tag->verb == "SELECT" || tag->verb == "FETCH" || (tag->verb == "COPY" && p.copy_out));
  if (row_count) {
    q.has_rows = true;
    q.rows = tag->count;
  } else if (p.row_description || p.data_rows > 0) {
    q.has_rows = true;
    q.rows = p.data_rows;
  }
  if (tag != nullptr && tag->has_count && !row_count && tag->verb != "MOVE") {
    q.has_affected_rows = true;
    q.affected_rows = tag->count;
  }
  Report(std::move(q));
  if (p.kind == Expect::kQuery) {
    ++p.next;
    p.answered = false;
    p.query.response = {};
    p.row_description = false;
    p.copy_out = false;
    p.data_rows = 0;
  } else {
    PopFront();
  }
}

void PostgreSqlParser::FinishUnanswered(Pending& p) {
  switch (p.kind) {
    case Expect::kExecute:
      p.query.status = QueryStatus::kNoResponse;
      p.query.response = {};
      Report(std::move(p.query));
      return;
    case Expect::kParse:
      if (!p.report) return;
      p.query.status = QueryStatus::kNoResponse;
      p.query.response = {};
      Report(std::move(p.query));
      return;
    case Expect::kCall:
      if (p.done) return;
      p.query.status = QueryStatus::kNoResponse;
      p.query.response = {};
      Report(std::move(p.query));
      return;
    case Expect::kQuery:
      for (; p.next < p.statements.size(); ++p.next) {
        DbQuery q = p.query;
        q.text = p.statements[p.next];
        q.query_type = ClassifyQuery(q.text);
        if (p.failed) {
          q.status = QueryStatus::kError;
          q.error_message = kNotExecuted;
        } else {
          q.status = QueryStatus::kNoResponse;
          q.response = {};
        }
        Report(std::move(q));
      }
      return;
    default:
      return;
  }
}

void PostgreSqlParser::MarkBound(absl::string_view statement) {
  // The latest Parse of this statement in the open Sync group (not answered yet).
  for (size_t i = pending_.size(); i > 0; --i) {
    Pending& p = pending_[i - 1];
    if (p.kind == Expect::kSync || p.kind == Expect::kQuery || p.kind == Expect::kCall) return;
    if (p.kind == Expect::kParse && p.statement == statement.substr(0, kMaxValueBytes)) {
      p.report = false;
      return;
    }
  }
}

// ---- Aggregated messages ----

void PostgreSqlParser::AddToAggregate(Aggregate& a, const Message& m) {
  if (!a.active) {
    a = {};
    a.active = true;
    a.start = m.at;
    a.head.assign(m.head.begin(), m.head.end());
  }
  a.bytes += m.wire_length;
}

void PostgreSqlParser::FlushResultSet() {
  if (!set_.active) return;
  AppMessage msg;
  msg.from = Side::kServer;
  msg.start = set_.start;
  msg.type = "ResultSet";
  msg.summary = absl::StrCat(set_.columns, set_.columns == 1 ? " column, " : " columns, ",
                             set_.count, set_.count == 1 ? " row" : " rows");
  msg.length = set_.bytes;
  msg.head = std::move(set_.head);
  msg.fields = {{"columns", absl::StrCat(set_.columns)}, {"rows", absl::StrCat(set_.count)}};
  Emit(std::move(msg));
  set_ = {};
}

void PostgreSqlParser::FlushCopy(Side from) {
  Aggregate& a = copy_[Index(from)];
  if (!a.active) return;
  AppMessage msg;
  msg.from = from;
  msg.start = a.start;
  msg.type = "CopyData";
  msg.summary = absl::StrCat("COPY data, ", a.bytes, " bytes");
  msg.length = a.bytes;
  msg.head = std::move(a.head);
  msg.fields = {{"bytes", absl::StrCat(a.bytes)}};
  Emit(std::move(msg));
  a = {};
}

void PostgreSqlParser::Finish() {
  FlushResultSet();
  FlushCopy(Side::kClient);
  FlushCopy(Side::kServer);
  for (size_t i = 0; i < pending_.size(); ++i) FinishUnanswered(pending_[i]);
  pending_.clear();
}

}  // namespace

std::unique_ptr<StreamParser> MakePostgreSqlParser(PayloadEvents* events, FlowFacts* facts) {
  return std::make_unique<PostgreSqlParser>(events, facts);
}

}  // namespace mcpcap::payload
