#include "backend/payload/mysql/mysql_parser.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "backend/payload/common/bounded_text_map.h"
#include "backend/payload/common/heap_bytes.h"
#include "backend/payload/common/metered_deque.h"
#include "backend/payload/common/query_classify.h"
#include "backend/payload/common/text_bounds.h"
#include "backend/payload/mysql/mysql_wire.h"

namespace mcpcap::payload {
namespace {

using mysql::AsText;

// Bytes of a packet's payload that we look at: enough for a bounded query text and any header.
constexpr size_t kPeekBytes = kMaxTextBytes + 512;
constexpr size_t kMaxStatements = 256;  // prepared statements remembered per connection
constexpr size_t kMaxPending = 64;      // commands sent ahead of their responses
constexpr size_t kResyncWindow = 64 * 1024;
constexpr size_t kSummaryBytes = 160;
constexpr size_t kMaxNotes = 8;                // FlowFacts::notes added by this parser
constexpr size_t kMaxStatementsPerQuery = 64;  // of a multi-statement COM_QUERY, followed for USE

struct Packet {
  uint32_t length = 0;
  uint8_t seq = 0;
  Bytes payload;  // the first min(length, kPeekBytes) bytes
  Bytes head;     // header and payload, at most kPreviewBytes
  Position at;
  uint64_t wire_length() const { return 4 + uint64_t{length}; }
  uint8_t first() const { return payload.empty() ? 0 : payload[0]; }
};

// A command waiting for (or reading) its response.
struct Pending {
  uint8_t command = 0;
  bool report = true;  // false for a response whose request we never saw
  bool response_started = false;
  std::string prepare_text;
  DbQuery query;
  // COM_QUERY: the database each statement selects with USE ("" for other statements), when
  // any does; `results` counts the statements answered so far.
  std::vector<std::string> used_databases;
  size_t results = 0;
};

size_t PendingBytes(const Pending& p) {
  return HeapBytes(p.prepare_text) + HeapBytes(p.query) + HeapBytes(p.used_databases);
}

// What each statement of a COM_QUERY text selects with USE, in order, or nothing when none does.
// A multi-statement is answered by one result per statement (OK, ERR, or a result set), so the
// OK of the n-th result is the n-th statement's. A CALL may send several results: statements
// after one are not followed. A text cut at its bound (`cut`) leaves its last statement out.
// `first` is the head of the text, read already.
std::vector<std::string> UsedDatabases(absl::string_view text, const StatementHead& first,
                                       bool cut) {
  std::vector<std::string> used;
  if (text.find(';') == absl::string_view::npos) {  // one statement: its head tells
    if (!cut && !first.used_database.empty()) used.push_back(first.used_database);
    return used;
  }
  std::vector<absl::string_view> statements = SplitStatements(text, kMaxStatementsPerQuery);
  if (cut && !statements.empty()) statements.pop_back();
  for (absl::string_view statement : statements) {
    StatementHead head = ReadStatementHead(statement);
    if (head.type == "CALL") break;
    used.push_back(std::move(head.used_database));
  }
  while (!used.empty() && used.back().empty()) used.pop_back();
  return used;
}

// Where we are inside the response to the oldest pending command.
enum class Stage { kFirst, kColumnDefs, kAfterColumns, kRows, kPrepareDefs, kFieldList };

bool IsEof(const Packet& p) { return p.first() == 0xFE && p.length < 9; }

class MySqlParser final : public StreamParser {
 public:
  MySqlParser(PayloadEvents* events, FlowFacts* facts) : events_(events), facts_(facts) {}

  ParseStatus Parse(Side from, StreamView& view) override;
  void Finish() override;
  size_t MemoryBytes() const override {
    return sizeof(*this) + pending_.MemoryBytes() + statements_.MemoryBytes() +
           HeapBytes(last_prepare_text_) + HeapBytes(set_.head);
  }

 private:
  static size_t Index(Side side) { return side == Side::kClient ? 0 : 1; }

  // Where a packet of `from` plausibly starts in bytes that follow a gap; `confirmed` when the
  // packet ends where the data or another plausible packet ends.
  struct SyncPoint {
    size_t at = Bytes::npos;
    bool confirmed = false;
  };
  SyncPoint FindPacketStart(Side from, Bytes data) const;
  void OnGap(Side from);

  void OnClientPacket(const Packet& p);
  void OnLogin(const Packet& p);
  void OnCommand(const Packet& p);
  void OnServerPacket(const Packet& p);
  void OnGreeting(const Packet& p);
  void OnAuthPacket(const Packet& p);
  void OnResponsePacket(const Packet& p);
  void OnFirstResponsePacket(const Packet& p, Pending& q);
  void OnPrepareOk(const Packet& p, Pending& q);
  void OnOk(const Packet& p, Pending& q);
  void OnErr(const Packet& p, Pending& q);
  void StartResultSet(const Packet& p, uint64_t columns, bool metadata);
  void EmitResultSet(Pending& q);
  void EndResultSet(Pending& q, uint16_t status);
  void EndPrepare();
  void FinishFront(QueryStatus status);
  void Report(Pending& q);
  void ReportClearPassword(const Packet& p, Bytes auth);

  AppMessage Message(Side from, const Packet& p, absl::string_view type, std::string summary);
  void Emit(AppMessage m) { events_->OnMessage(std::move(m)); }
  uint32_t SharedCaps() const { return client_caps_ & server_caps_; }
  // Whether a COM_QUERY's argument starts with query attributes: the capability when the
  // handshake was seen; otherwise their shape (parameter_count below 9, parameter_set_count 1),
  // which no SQL text has (texts start printable or with white space).
  bool HasQueryAttributes(Bytes arg) const {
    if (caps_known_) return SharedCaps() & mysql::kClientQueryAttributes;
    return arg.size() >= 2 && arg[0] < 0x09 && arg[1] == 0x01;
  }

  void AddNote(std::string note) {
    if (notes_added_ < kMaxNotes) facts_->notes.push_back(std::move(note));
    ++notes_added_;
  }

  PayloadEvents* events_;
  FlowFacts* facts_;
  size_t notes_added_ = 0;
  // The connection switched to TLS, compression or replication: nothing more to read.
  bool passive_ = false;
  bool not_mysql_ = false;            // the last packet cannot be MySQL (an unknown command, ...)
  std::array<bool, 2> continuing_{};  // the last packet of this side was 16 MiB - 1 long
  std::array<bool, 2> resyncing_{};

  bool greeting_seen_ = false;
  bool login_seen_ = false;
  bool login_decoded_ = false;        // the login was read: the database is known from it on
  bool auth_pending_ = false;         // login or COM_CHANGE_USER not answered by OK/ERR yet
  bool clear_password_next_ = false;  // the server switched to mysql_clear_password
  bool compress_after_auth_ = false;
  uint32_t server_caps_ = 0;
  uint32_t client_caps_ = 0;
  uint32_t server_ext_caps_ = 0;
  uint32_t client_ext_caps_ = 0;
  bool caps_known_ = false;  // both the greeting and the login were seen

  bool infile_ = false;  // the client is sending a LOCAL INFILE file
  Position infile_start_;
  uint64_t infile_bytes_ = 0;

  MeteredDeque<Pending> pending_{&PendingBytes};
  Stage stage_ = Stage::kFirst;
  uint64_t defs_left_ = 0;
  uint64_t eofs_left_ = 0;
  bool swallow_eof_ = false;  // an EOF may still end the last prepare response
  // The result set (or prepare response) being read, reported as one message.
  struct Aggregate {
    Position start;
    std::string head;
    uint64_t bytes = 0;
    uint64_t columns = 0;
    uint64_t params = 0;
    uint64_t rows = 0;
    uint32_t statement_id = 0;
  } set_;

  BoundedTextMap<uint32_t> statements_{kMaxStatements};  // id -> text
  std::string last_prepare_text_;
};

ParseStatus MySqlParser::Parse(Side from, StreamView& view) {
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
    if (resyncing_[s]) {
      const Bytes data = view.data();
      const SyncPoint sync = FindPacketStart(from, data);
      if (sync.at == Bytes::npos) {
        if (data.size() >= kResyncWindow || view.at_end()) return ParseStatus::kBad;
        return ParseStatus::kNeedMore;
      }
      if (!sync.confirmed && data.size() < kResyncWindow && !view.at_end()) {
        return ParseStatus::kNeedMore;  // more bytes will tell
      }
      view.Consume(sync.at);
    }
    const Bytes data = view.data();
    if (data.size() < 4) return ParseStatus::kNeedMore;
    const uint32_t length = uint32_t{data[0]} | uint32_t{data[1]} << 8 | uint32_t{data[2]} << 16;
    const size_t peek = std::min<size_t>(length, kPeekBytes);
    if (data.size() < 4 + peek) return ParseStatus::kNeedMore;
    Packet p;
    p.length = length;
    p.seq = data[3];
    p.payload = data.subspan(4, peek);
    p.head = data.first(std::min(4 + peek, kPreviewBytes));
    p.at = view.PositionAt(0);
    const bool continuation = continuing_[s];
    continuing_[s] = length == mysql::kMaxPacketLength;
    if (continuation) {
      // The rest of a 16 MiB+ payload: skipped, counted in the message it belongs to.
      if (from == Side::kServer) set_.bytes += p.wire_length();
    } else if (from == Side::kClient) {
      OnClientPacket(p);
    } else {
      OnServerPacket(p);
    }
    if (not_mysql_) return ParseStatus::kBad;
    resyncing_[s] = false;
    view.Consume(p.wire_length());
  }
}

MySqlParser::SyncPoint MySqlParser::FindPacketStart(Side from, Bytes data) const {
  SyncPoint tentative;
  const size_t last = std::min(data.size(), kResyncWindow);
  for (size_t i = 0; i + 5 <= last; ++i) {
    const uint32_t length = LoadU32Le(data.data() + i) & 0xFFFFFF;
    const uint8_t seq = data[i + 3];
    const uint8_t first = data[i + 4];
    if (length == 0 || length >= mysql::kMaxPacketLength) continue;
    if (from == Side::kClient) {
      // A command: sequence 0 and a command clients send; a query's text starts printable.
      if (seq != 0 || !mysql::IsClientCommand(first)) continue;
      if (first == mysql::kComQuery && i + 5 < data.size() && length > 1 &&
          (data[i + 5] < 0x09 || data[i + 5] == 0x7F)) {
        continue;
      }
    } else {
      // The start of a response: OK, ERR or a result set's column count.
      const bool ok = first == 0x00 && length >= 7 && length < (1u << 20);
      const bool err = first == 0xFF && length >= 3 && length < (1u << 16);
      const bool columns = first >= 1 && first < 0xFB && length <= 2;
      if (seq != 1 || !(ok || err || columns)) continue;
    }
    const size_t end = i + 4 + length;
    if (end == data.size()) return {i, true};
    if (end + 4 <= data.size()) {
      // The next packet continues this exchange or starts a new one.
      const uint8_t next_seq = data[end + 3];
      const uint32_t next_length = LoadU32Le(data.data() + end) & 0xFFFFFF;
      if (next_length > 0 && (next_seq == static_cast<uint8_t>(seq + 1) || next_seq == 0)) {
        return {i, true};
      }
      continue;
    }
    if (tentative.at == Bytes::npos) tentative = {i, false};  // ends past the data: not sure yet
  }
  return tentative;
}

void MySqlParser::OnGap(Side from) {
  continuing_[Index(from)] = false;
  if (from == Side::kClient) {
    infile_ = false;
    clear_password_next_ = false;
    return;
  }
  // The response being read (if any) is lost in the gap.
  if (!pending_.empty() && pending_.front().response_started) FinishFront(QueryStatus::kNoResponse);
  stage_ = Stage::kFirst;
  swallow_eof_ = false;
}

AppMessage MySqlParser::Message(Side from, const Packet& p, absl::string_view type,
                                std::string summary) {
  AppMessage m;
  m.from = from;
  m.start = p.at;
  m.type = std::string(type);
  m.summary = std::move(summary);
  m.length = p.wire_length();
  m.head.assign(p.head.begin(), p.head.end());
  return m;
}

// ---- Client side ----

void MySqlParser::OnClientPacket(const Packet& p) {
  if (p.seq != 0) {
    if (!login_seen_ && (greeting_seen_ || p.seq == 1)) {
      OnLogin(p);
    } else if (clear_password_next_) {
      clear_password_next_ = false;
      ReportClearPassword(p, p.payload);
      Emit(Message(Side::kClient, p, "AuthData", "clear-text password (mysql_clear_password)"));
    } else if (infile_) {
      if (infile_bytes_ == 0 && p.length > 0) infile_start_ = p.at;
      infile_bytes_ += p.wire_length();
      if (p.length == 0) {  // an empty packet ends the file
        infile_ = false;
        AppMessage m =
            Message(Side::kClient, p, "LocalInfileData",
                    absl::StrCat("LOCAL INFILE file contents, ", infile_bytes_, " bytes"));
        if (infile_start_.frame != 0) m.start = infile_start_;
        m.length = infile_bytes_;
        Emit(std::move(m));
        infile_bytes_ = 0;
        infile_start_ = {};
      }
    } else {
      Emit(Message(Side::kClient, p, auth_pending_ ? "AuthData" : "Packet",
                   auth_pending_ ? "authentication data" : "client packet outside a command"));
    }
    return;
  }
  if (p.length == 0) {
    Emit(Message(Side::kClient, p, "Packet", "empty client packet"));
    return;
  }
  OnCommand(p);
}

void MySqlParser::OnLogin(const Packet& p) {
  mysql::HandshakeResponse h;
  if (!mysql::ParseHandshakeResponse(p.payload, &h)) {
    if (greeting_seen_) {
      not_mysql_ = true;
      return;
    }
    login_seen_ = true;
    auth_pending_ = true;
    Emit(Message(Side::kClient, p, "Login", "login request (not decoded)"));
    return;
  }
  client_caps_ = h.capabilities;
  client_ext_caps_ = h.mariadb_capabilities;
  caps_known_ = greeting_seen_;
  if (h.ssl_request) {
    // The client asks for TLS: what follows is a TLS handshake, then encrypted packets.
    facts_->encrypted = true;
    facts_->encryption = "mysql_tls";
    passive_ = true;
    AppMessage m = Message(Side::kClient, p, "SSLRequest", "client switches to TLS");
    m.fields.emplace_back("capabilities", absl::StrCat(h.capabilities));
    Emit(std::move(m));
    return;
  }
  login_seen_ = true;
  login_decoded_ = true;
  auth_pending_ = true;
  facts_->user = h.user;
  if (!h.database.empty()) facts_->database = h.database;
  if (!h.auth_plugin.empty()) facts_->auth_method = h.auth_plugin;
  if (!h.client_name.empty()) facts_->client_software = h.client_name;
  compress_after_auth_ = (h.capabilities & mysql::kClientCompress) &&
                         (!greeting_seen_ || (server_caps_ & mysql::kClientCompress));
  if (h.auth_plugin == "mysql_clear_password") ReportClearPassword(p, h.auth_response);

  std::string summary = absl::StrCat("login user=", h.user);
  if (!h.database.empty()) absl::StrAppend(&summary, " database=", h.database);
  if (!h.auth_plugin.empty()) absl::StrAppend(&summary, " (", h.auth_plugin, ")");
  AppMessage m = Message(Side::kClient, p, "Login", std::move(summary));
  m.fields.emplace_back("user", h.user);
  if (!h.database.empty()) m.fields.emplace_back("database", h.database);
  if (!h.auth_plugin.empty()) m.fields.emplace_back("auth_plugin", h.auth_plugin);
  if (!h.client_name.empty()) m.fields.emplace_back("client", h.client_name);
  m.fields.emplace_back("capabilities", absl::StrCat(h.capabilities));
  Emit(std::move(m));
}

void MySqlParser::ReportClearPassword(const Packet& p, Bytes auth) {
  absl::string_view secret = AsText(auth);
  if (!secret.empty() && secret.back() == '\0') secret.remove_suffix(1);
  Credential c;
  c.from = Side::kClient;
  c.at = p.at;
  c.kind = "mysql_cleartext_password";
  c.user = facts_->user;
  c.evidence = absl::StrCat("mysql_clear_password auth data: \"", MaskSecret(secret), "\"");
  events_->OnCredential(std::move(c));
}

void MySqlParser::OnCommand(const Packet& p) {
  // A command means the handshake (seen or not) is over.
  login_seen_ = true;
  auth_pending_ = false;
  clear_password_next_ = false;
  const uint8_t command = p.payload[0];
  std::string name(mysql::CommandName(command));
  if (name.empty()) {
    not_mysql_ = true;
    return;
  }
  Bytes arg = p.payload.subspan(1);
  uint64_t arg_length = p.length - 1;

  Pending q;
  q.command = command;
  q.query.request = p.at;
  q.query.command = name;
  q.query.database = facts_->database;
  q.query.database_known = login_decoded_;
  q.query.query_type = "COMMAND";
  AppMessage m = Message(Side::kClient, p, name, name);
  bool expects_response = true;
  switch (command) {
    case mysql::kComQuery: {
      if (HasQueryAttributes(arg)) {
        // MySQL 8 query attributes precede the text.
        ByteReader r(arg);
        if (mysql::SkipQueryAttributes(r)) {
          arg_length -= r.position();
          arg = r.rest();
        } else {
          arg = {};  // cut or malformed: the text's start is unknown
          arg_length = 0;
        }
      }
      q.query.text = BoundedText(AsText(arg), arg_length);
      const StatementHead head = ReadStatementHead(q.query.text);
      q.query.query_type = head.type;
      q.used_databases = UsedDatabases(q.query.text, head, arg_length > kMaxTextBytes);
      m.summary = absl::StrCat(name, ": ", OneLine(q.query.text, kSummaryBytes));
      m.fields.emplace_back("query", q.query.text);
      break;
    }
    case mysql::kComInitDb:
      q.query.text = BoundedValue(AsText(arg));
      q.query.query_type = "USE";
      m.summary = absl::StrCat(name, ": ", q.query.text);
      m.fields.emplace_back("database", q.query.text);
      break;
    case mysql::kComFieldList: {
      ByteReader r(arg);
      Bytes table;
      if (!mysql::ReadCString(r, &table)) table = arg;
      q.query.text = BoundedValue(AsText(table));
      m.summary = absl::StrCat(name, ": ", q.query.text);
      m.fields.emplace_back("table", q.query.text);
      break;
    }
    case mysql::kComStmtPrepare:
      q.query.text = BoundedText(AsText(arg), arg_length);
      q.query.query_type = "PREPARE";
      q.prepare_text = q.query.text;
      last_prepare_text_ = q.query.text;
      m.summary = absl::StrCat(name, ": ", OneLine(q.query.text, kSummaryBytes));
      m.fields.emplace_back("query", q.query.text);
      break;
    case mysql::kComStmtExecute:
    case mysql::kComStmtBulkExecute:
    case mysql::kComStmtFetch:
    case mysql::kComStmtSendLongData:
    case mysql::kComStmtClose:
    case 0x1A: {  // COM_STMT_RESET
      uint32_t id = 0;
      ByteReader r(arg);
      r.ReadU32Le(&id);
      const std::string* prepared = statements_.Find(id);
      std::string text;
      if (prepared != nullptr) text = *prepared;
      if (id == 0xFFFFFFFF) text = last_prepare_text_;  // MariaDB: "the statement just prepared"
      m.fields.emplace_back("statement_id", absl::StrCat(id));
      m.summary = absl::StrCat(name, ": statement ", id);
      if (!text.empty()) {
        absl::StrAppend(&m.summary, ": ", OneLine(text, kSummaryBytes));
        m.fields.emplace_back("query", text);
      }
      if (command == mysql::kComStmtExecute || command == mysql::kComStmtBulkExecute) {
        q.query.query_type = text.empty() ? "OTHER" : ClassifyQuery(text);
      }
      q.query.text = std::move(text);
      if (command == mysql::kComStmtClose) statements_.Erase(id);
      expects_response = command != mysql::kComStmtClose && command != mysql::kComStmtSendLongData;
      break;
    }
    case mysql::kComQuit:
      expects_response = false;
      break;
    case mysql::kComChangeUser: {
      ByteReader r(arg);
      Bytes user;
      if (mysql::ReadCString(r, &user)) {
        facts_->user = BoundedValue(AsText(user));
        m.fields.emplace_back("user", facts_->user);
        m.summary = absl::StrCat(name, ": user=", facts_->user);
      }
      auth_pending_ = true;
      break;
    }
    case mysql::kComBinlogDump:
    case mysql::kComBinlogDumpGtid:
      // A replication stream follows: events, not responses.
      AddNote("replication stream (" + name + ") not parsed");
      passive_ = true;
      expects_response = false;
      break;
    default:
      break;
  }
  Emit(std::move(m));
  if (!expects_response) return;
  if (pending_.size() >= kMaxPending) FinishFront(QueryStatus::kNoResponse);
  pending_.push_back(std::move(q));
}

// ---- Server side ----

void MySqlParser::OnServerPacket(const Packet& p) {
  if (!greeting_seen_ && !login_seen_ && pending_.empty() && p.seq == 0) {
    OnGreeting(p);
    return;
  }
  if (auth_pending_ && (pending_.empty() || pending_.front().command == mysql::kComChangeUser)) {
    OnAuthPacket(p);
    return;
  }
  OnResponsePacket(p);
}

void MySqlParser::OnGreeting(const Packet& p) {
  if (p.first() == 0xFF) {  // refused before the handshake ("Too many connections", ...)
    mysql::ErrPacket err;
    mysql::ParseErr(p.payload, p.length, &err);
    AppMessage m =
        Message(Side::kServer, p, "ERR",
                absl::StrCat("ERR ", err.code, ": ", OneLine(err.message, kSummaryBytes)));
    m.fields.emplace_back("error_code", absl::StrCat(err.code));
    m.fields.emplace_back("message", err.message);
    Emit(std::move(m));
    AddNote(absl::StrCat("server refused the connection: ERR ", err.code, " ",
                         OneLine(err.message, kSummaryBytes)));
    return;
  }
  mysql::Greeting g;
  if (!mysql::ParseGreeting(p.payload, &g)) {
    not_mysql_ = true;  // a server's first packet is a greeting or an ERR
    return;
  }
  greeting_seen_ = true;
  server_caps_ = g.capabilities;
  server_ext_caps_ = g.mariadb_capabilities;
  // MariaDB prefixes "5.5.5-" for old clients that expect a 5.x version first.
  absl::string_view version = g.server_version;
  if (absl::StrContains(version, "MariaDB")) absl::ConsumePrefix(&version, "5.5.5-");
  facts_->server_version = std::string(version);
  if (!g.auth_plugin.empty() && facts_->auth_method.empty()) facts_->auth_method = g.auth_plugin;
  AppMessage m =
      Message(Side::kServer, p, "Greeting",
              absl::StrCat("server greeting ", version, " protocol ", g.protocol_version));
  m.fields.emplace_back("server_version", std::string(version));
  m.fields.emplace_back("protocol_version", absl::StrCat(g.protocol_version));
  m.fields.emplace_back("connection_id", absl::StrCat(g.connection_id));
  if (!g.auth_plugin.empty()) m.fields.emplace_back("auth_plugin", g.auth_plugin);
  m.fields.emplace_back("capabilities", absl::StrCat(g.capabilities));
  Emit(std::move(m));
}

void MySqlParser::OnAuthPacket(const Packet& p) {
  const bool change_user = !pending_.empty();
  switch (p.first()) {
    case 0x00: {
      auth_pending_ = false;
      Emit(Message(Side::kServer, p, "OK", "authentication succeeded"));
      if (change_user) {
        pending_.front().response_started = true;
        pending_.front().query.response = p.at;
        FinishFront(QueryStatus::kOk);
      }
      if (compress_after_auth_) {
        AddNote("compressed protocol after login: packets not parsed");
        passive_ = true;
      }
      return;
    }
    case 0xFF: {
      auth_pending_ = false;
      mysql::ErrPacket err;
      mysql::ParseErr(p.payload, p.length, &err);
      AppMessage m = Message(Side::kServer, p, "ERR",
                             absl::StrCat("ERR ", err.code, " (", err.sql_state,
                                          "): ", OneLine(err.message, kSummaryBytes)));
      m.fields.emplace_back("error_code", absl::StrCat(err.code));
      m.fields.emplace_back("sql_state", err.sql_state);
      m.fields.emplace_back("message", err.message);
      Emit(std::move(m));
      if (change_user) {
        Pending& q = pending_.front();
        q.response_started = true;
        q.query.response = p.at;
        q.query.error_code = absl::StrCat(err.code);
        q.query.error_message = err.message;
        FinishFront(QueryStatus::kError);
      } else {
        AddNote(
            absl::StrCat("login failed: ERR ", err.code, " ", OneLine(err.message, kSummaryBytes)));
      }
      return;
    }
    case 0xFE: {
      ByteReader r(p.payload.subspan(1));
      Bytes plugin;
      if (!mysql::ReadCString(r, &plugin)) plugin = r.rest();
      const std::string name = BoundedValue(AsText(plugin));
      if (!name.empty()) facts_->auth_method = name;
      clear_password_next_ = name == "mysql_clear_password";
      AppMessage m = Message(Side::kServer, p, "AuthSwitchRequest",
                             absl::StrCat("switch authentication to ", name));
      m.fields.emplace_back("auth_plugin", name);
      Emit(std::move(m));
      return;
    }
    case 0x01:
      Emit(Message(Side::kServer, p, "AuthMoreData", "more authentication data"));
      return;
    default:
      Emit(Message(Side::kServer, p, "AuthData", "authentication data"));
      return;
  }
}

void MySqlParser::OnResponsePacket(const Packet& p) {
  if (swallow_eof_) {
    swallow_eof_ = false;
    if (IsEof(p)) return;
  }
  if (pending_.empty()) {
    if (p.seq != 1) {
      Emit(Message(Side::kServer, p, "Packet", "server packet outside a response"));
      return;
    }
    // A response to a request we did not see: read it to stay in step, report no query.
    Pending unknown;
    unknown.command = mysql::kComQuery;
    unknown.report = false;
    pending_.push_back(std::move(unknown));
  }
  Pending& q = pending_.front();
  if (p.first() == 0xFF && p.payload.size() >= 3 && LoadU16Le(p.payload.data() + 1) == 0xFFFF) {
    // MariaDB's progress report (CLIENT_PROGRESS): an ERR header with code 0xFFFF, no error.
    Emit(Message(Side::kServer, p, "Progress", "progress report"));
    return;
  }
  if (!q.response_started) {
    q.response_started = true;
    q.query.response = p.at;
  }
  switch (stage_) {
    case Stage::kFirst:
      OnFirstResponsePacket(p, q);
      return;
    case Stage::kColumnDefs:
      set_.bytes += p.wire_length();
      if (--defs_left_ == 0) stage_ = Stage::kAfterColumns;
      return;
    case Stage::kAfterColumns:
      if (IsEof(p) && p.length < 7) {  // ends the column definitions (no CLIENT_DEPRECATE_EOF)
        set_.bytes += p.wire_length();
        stage_ = Stage::kRows;
        if (mysql::EofStatus(p.payload) & mysql::kStatusCursorExists) {
          EndResultSet(q, 0);  // rows come later, on COM_STMT_FETCH
        }
        return;
      }
      stage_ = Stage::kRows;
      [[fallthrough]];
    case Stage::kRows:
      if (p.first() == 0xFE && p.length < mysql::kMaxPacketLength) {
        // EOF, or OK with header 0xFE under CLIENT_DEPRECATE_EOF: the set is complete.
        set_.bytes += p.wire_length();
        uint16_t status = mysql::EofStatus(p.payload);
        mysql::OkPacket ok;
        if (p.length >= 7 && mysql::ParseOk(p.payload, &ok)) status = ok.status;
        EndResultSet(q, status);
        return;
      }
      if (p.first() == 0xFF) {  // the statement failed while sending rows
        EmitResultSet(q);
        OnErr(p, q);
        return;
      }
      set_.bytes += p.wire_length();
      ++set_.rows;
      return;
    case Stage::kPrepareDefs:
      set_.bytes += p.wire_length();
      if (IsEof(p)) {
        if (eofs_left_ > 0) --eofs_left_;
      } else if (defs_left_ > 0) {
        --defs_left_;
      }
      if (defs_left_ == 0 && eofs_left_ == 0) EndPrepare();
      return;
    case Stage::kFieldList:
      set_.bytes += p.wire_length();
      if (p.first() == 0xFE && p.length < mysql::kMaxPacketLength) {
        AppMessage m;
        m.from = Side::kServer;
        m.start = set_.start;
        m.type = "FieldList";
        m.summary = absl::StrCat(set_.columns, " fields");
        m.length = set_.bytes;
        m.head = set_.head;
        m.fields = {{"columns", absl::StrCat(set_.columns)}};
        Emit(std::move(m));
        stage_ = Stage::kFirst;
        FinishFront(QueryStatus::kOk);
      } else if (p.first() == 0xFF) {
        stage_ = Stage::kFirst;
        OnErr(p, q);
      } else {
        ++set_.columns;
      }
      return;
  }
}

void MySqlParser::OnFirstResponsePacket(const Packet& p, Pending& q) {
  const uint8_t first = p.first();
  if (first == 0xFF) {
    OnErr(p, q);
    return;
  }
  if (q.command == mysql::kComStmtPrepare && first == 0x00 && p.length >= 12) {
    OnPrepareOk(p, q);
    return;
  }
  if (q.command == mysql::kComStatistics) {
    AppMessage m =
        Message(Side::kServer, p, "Statistics", OneLine(AsText(p.payload), kSummaryBytes));
    Emit(std::move(m));
    FinishFront(QueryStatus::kOk);
    return;
  }
  if (q.command == mysql::kComStmtFetch) {
    // Rows of an open cursor, then EOF: no column count or definitions.
    StartResultSet(p, 0, false);
    set_.bytes = 0;
    stage_ = Stage::kRows;
    OnResponsePacket(p);
    return;
  }
  if (q.command == mysql::kComFieldList) {
    set_ = {};
    set_.start = p.at;
    set_.head.assign(p.head.begin(), p.head.end());
    stage_ = Stage::kFieldList;
    OnResponsePacket(p);
    return;
  }
  if ((first == 0x00 && p.length >= 7) || first == 0xFE) {
    OnOk(p, q);
    return;
  }
  if (first == 0xFB && q.command == mysql::kComQuery) {
    const std::string file = BoundedValue(AsText(p.payload.subspan(1)));
    AppMessage m = Message(Side::kServer, p, "LocalInfileRequest",
                           absl::StrCat("server asks for local file ", file));
    m.fields.emplace_back("file", file);
    Emit(std::move(m));
    AddNote("LOCAL INFILE: the server asked the client for file " + file);
    infile_ = true;
    infile_bytes_ = 0;
    return;  // the client sends the file, then the server answers OK or ERR
  }
  ByteReader r(p.payload);
  uint64_t columns = 0;
  if (!mysql::ReadLenenc(r, &columns) || columns == 0) {
    Emit(Message(Side::kServer, p, "Packet", "unrecognised response"));
    FinishFront(QueryStatus::kOk);
    return;
  }
  // MySQL 8 optional metadata and MariaDB metadata caching add a "metadata follows" byte.
  bool metadata = true;
  uint8_t follows = 1;
  if (((SharedCaps() & mysql::kClientOptionalResultsetMetadata) ||
       (client_ext_caps_ & server_ext_caps_ & mysql::kMariaDbCacheMetadata)) &&
      r.ReadU8(&follows)) {
    metadata = follows != 0;
  }
  StartResultSet(p, columns, metadata);
}

void MySqlParser::StartResultSet(const Packet& p, uint64_t columns, bool metadata) {
  set_ = {};
  set_.start = p.at;
  set_.head.assign(p.head.begin(), p.head.end());
  set_.bytes = p.wire_length();
  set_.columns = columns;
  defs_left_ = metadata ? columns : 0;
  stage_ = defs_left_ > 0 ? Stage::kColumnDefs : Stage::kAfterColumns;
}

void MySqlParser::EndResultSet(Pending& q, uint16_t status) {
  EmitResultSet(q);
  ++q.results;
  stage_ = Stage::kFirst;
  if (status & mysql::kStatusMoreResultsExist) return;  // another result of the same command
  FinishFront(QueryStatus::kOk);
}

void MySqlParser::EndPrepare() {
  AppMessage m;
  m.from = Side::kServer;
  m.start = set_.start;
  m.type = "PrepareOK";
  m.summary = absl::StrCat("statement ", set_.statement_id, " prepared: ", set_.params,
                           " parameters, ", set_.columns, " columns");
  m.length = set_.bytes;
  m.head = set_.head;
  m.fields = {{"statement_id", absl::StrCat(set_.statement_id)},
              {"params", absl::StrCat(set_.params)},
              {"columns", absl::StrCat(set_.columns)}};
  Emit(std::move(m));
  // Without the handshake we cannot tell whether an EOF still follows the definitions.
  swallow_eof_ = !caps_known_ && set_.columns + set_.params > 0;
  stage_ = Stage::kFirst;
  FinishFront(QueryStatus::kOk);
}

void MySqlParser::EmitResultSet(Pending& q) {
  const bool binary = q.command == mysql::kComStmtExecute || q.command == mysql::kComStmtFetch ||
                      q.command == mysql::kComStmtBulkExecute;
  AppMessage m;
  m.from = Side::kServer;
  m.start = set_.start;
  m.type = "ResultSet";
  m.summary = absl::StrCat(set_.columns, set_.columns == 1 ? " column, " : " columns, ", set_.rows,
                           set_.rows == 1 ? " row" : " rows", binary ? " (binary)" : "");
  m.length = set_.bytes;
  m.head = set_.head;
  m.fields = {{"columns", absl::StrCat(set_.columns)},
              {"rows", absl::StrCat(set_.rows)},
              {"protocol", binary ? "binary" : "text"}};
  Emit(std::move(m));
  q.query.has_rows = true;
  q.query.rows += set_.rows;
}

void MySqlParser::OnPrepareOk(const Packet& p, Pending& q) {
  const uint32_t id = LoadU32Le(p.payload.data() + 1);
  const uint16_t columns = LoadU16Le(p.payload.data() + 5);
  const uint16_t params = LoadU16Le(p.payload.data() + 7);
  statements_.Put(id, q.prepare_text);  // past kMaxStatements, new ids are not remembered
  set_ = {};
  set_.start = p.at;
  set_.head.assign(p.head.begin(), p.head.end());
  set_.bytes = p.wire_length();
  set_.columns = columns;
  set_.params = params;
  set_.statement_id = id;
  defs_left_ = uint64_t{columns} + params;
  const bool eofs = caps_known_ && !(SharedCaps() & mysql::kClientDeprecateEof);
  eofs_left_ = eofs ? (columns > 0) + (params > 0) : 0;
  stage_ = Stage::kPrepareDefs;
  if (defs_left_ == 0) EndPrepare();
}

void MySqlParser::OnOk(const Packet& p, Pending& q) {
  mysql::OkPacket ok;
  const bool parsed = mysql::ParseOk(p.payload, &ok);
  if (!parsed && p.first() == 0xFE) ok.status = mysql::EofStatus(p.payload);
  AppMessage m = Message(Side::kServer, p, p.first() == 0xFE && p.length < 7 ? "EOF" : "OK",
                         absl::StrCat("OK, ", ok.affected_rows,
                                      ok.affected_rows == 1 ? " row" : " rows", " affected"));
  m.fields = {{"affected_rows", absl::StrCat(ok.affected_rows)},
              {"last_insert_id", absl::StrCat(ok.last_insert_id)},
              {"status_flags", absl::StrCat(ok.status)},
              {"warnings", absl::StrCat(ok.warnings)}};
  Emit(std::move(m));
  q.query.has_affected_rows = true;
  q.query.affected_rows += ok.affected_rows;
  if (q.command == mysql::kComInitDb) facts_->database = q.query.text;
  if (q.command == mysql::kComQuery) {
    const size_t statement = q.results++;
    if (statement < q.used_databases.size() && !q.used_databases[statement].empty()) {
      facts_->database = q.used_databases[statement];
    }
  }
  if (ok.status & mysql::kStatusMoreResultsExist) return;
  FinishFront(QueryStatus::kOk);
}

void MySqlParser::OnErr(const Packet& p, Pending& q) {
  mysql::ErrPacket err;
  mysql::ParseErr(p.payload, p.length, &err);
  std::string summary = absl::StrCat("ERR ", err.code);
  if (!err.sql_state.empty()) absl::StrAppend(&summary, " (", err.sql_state, ")");
  absl::StrAppend(&summary, ": ", OneLine(err.message, kSummaryBytes));
  AppMessage m = Message(Side::kServer, p, "ERR", std::move(summary));
  m.fields.emplace_back("error_code", absl::StrCat(err.code));
  if (!err.sql_state.empty()) m.fields.emplace_back("sql_state", err.sql_state);
  m.fields.emplace_back("message", err.message);
  Emit(std::move(m));
  q.query.error_code = absl::StrCat(err.code);
  q.query.error_message = std::move(err.message);
  stage_ = Stage::kFirst;
  FinishFront(QueryStatus::kError);
}

void MySqlParser::FinishFront(QueryStatus status) {
  if (pending_.empty()) return;
  Pending q = pending_.take_front();
  q.query.status = status;
  if (status == QueryStatus::kNoResponse) q.query.response = {};
  Report(q);
}

void MySqlParser::Report(Pending& q) {
  if (q.report) events_->OnQuery(std::move(q.query));
}

void MySqlParser::Finish() {
  while (!pending_.empty()) FinishFront(QueryStatus::kNoResponse);
}

}  // namespace

std::unique_ptr<StreamParser> MakeMySqlParser(PayloadEvents* events, FlowFacts* facts) {
  return std::make_unique<MySqlParser>(events, facts);
}

}  // namespace mcpcap::payload
