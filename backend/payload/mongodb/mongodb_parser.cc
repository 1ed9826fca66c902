#include "backend/payload/mongodb/mongodb_parser.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "backend/payload/common/heap_bytes.h"
#include "backend/payload/common/metered_deque.h"
#include "backend/payload/mongodb/bson.h"
#include "backend/payload/mongodb/mongodb_wire.h"

namespace mcpcap::payload {
namespace {

// What is read of a message: its header and a bounded prefix of its body; the rest is skipped.
constexpr size_t kReadBytes = 64 * 1024;
// Requests waiting for replies; past this the oldest is reported without one.
constexpr size_t kMaxPending = 1024;
constexpr size_t kMaxNotes = 8;

// Session bookkeeping that says nothing about the command.
const std::vector<absl::string_view> kMetaKeys = {
    "$db", "lsid", "$clusterTime", "$readPreference", "txnNumber", "signature"};

std::string Cut(absl::string_view s, size_t max) {
  if (s.size() <= max) return std::string(s);
  return absl::StrCat(s.substr(0, max - 3), "...");
}

std::string DocText(Bytes document, size_t max_bytes) {
  BsonTextOptions options;
  options.max_bytes = max_bytes;
  options.skip_keys = kMetaKeys;
  return BsonToText(document, options);
}

std::string StringOf(Bytes document, absl::string_view key) {
  const std::optional<BsonElement> e = BsonFind(document, key);
  if (!e) return "";
  const std::optional<absl::string_view> s = e->AsString();
  return s ? Cut(*s, kMaxValueBytes) : "";
}

Bytes DocumentOf(Bytes document, absl::string_view key) {
  const std::optional<BsonElement> e = BsonFind(document, key);
  return e && e->is_document() ? e->value : Bytes();
}

// FIND, READ, INSERT, UPDATE, DELETE, DDL, AUTH, TRANSACTION or COMMAND.
absl::string_view CommandClass(absl::string_view command) {
  const std::string c = absl::AsciiStrToLower(command);
  if (c == "find" || c == "getmore") return "FIND";
  if (c == "aggregate" || c == "count" || c == "distinct" || c == "mapreduce" ||
      c == "listcollections" || c == "listindexes") {
    return "READ";
  }
  if (c == "insert") return "INSERT";
  if (c == "update" || c == "findandmodify") return "UPDATE";
  if (c == "delete") return "DELETE";
  if (c == "create" || c == "drop" || c == "dropdatabase" || c == "createindexes" ||
      c == "dropindexes" || c == "renamecollection" || c == "collmod") {
    return "DDL";
  }
  if (c == "saslstart" || c == "saslcontinue" || c == "authenticate" || c == "getnonce" ||
      c == "logout") {
    return "AUTH";
  }
  if (c == "committransaction" || c == "aborttransaction") return "TRANSACTION";
  return "COMMAND";
}

std::string FlagNames(uint32_t flags) {
  std::vector<absl::string_view> names;
  if (flags & kMsgChecksumPresent) names.push_back("checksum_present");
  if (flags & kMsgMoreToCome) names.push_back("more_to_come");
  if (flags & kMsgExhaustAllowed) names.push_back("exhaust_allowed");
  return names.empty() ? "none" : absl::StrJoin(names, ",");
}

// The SCRAM user in a client-first message "n,,n=user,r=nonce" (=2C and =3D decoded).
std::string ScramUser(absl::string_view payload) {
  const size_t header_end = payload.find(",,");
  if (header_end == absl::string_view::npos) return "";
  absl::string_view rest = payload.substr(header_end + 2);
  if (!absl::StartsWith(rest, "n=")) return "";
  rest.remove_prefix(2);
  rest = rest.substr(0, rest.find(','));
  std::string user;
  for (size_t i = 0; i < rest.size() && user.size() < kMaxValueBytes; ++i) {
    if (rest.substr(i, 3) == "=2C") {
      user += ',';
      i += 2;
    } else if (rest.substr(i, 3) == "=3D") {
      user += '=';
      i += 2;
    } else {
      user += rest[i];
    }
  }
  return user;
}

std::string Mask(absl::string_view secret) {
  if (secret.empty()) return "(empty)";
  return absl::StrCat(secret.substr(0, 1), "****");
}

// A request as the parser understood it.
struct Request {
  std::string command;
  std::string database;
  std::string collection;
  std::string text;
  bool legacy_query = false;  // OP_QUERY on a collection / OP_GET_MORE: rows are numberReturned
  bool expects_reply = true;
  Bytes document;  // the command document, when there is one
};

// What a reply document says.
struct ReplyFacts {
  std::optional<double> ok;
  std::string error_code;
  std::string error_message;
  std::optional<uint64_t> batch;  // cursor.firstBatch / nextBatch length
  std::optional<int64_t> n;
  std::optional<int64_t> n_modified;
  std::string version;
};

ReplyFacts ReadReply(Bytes doc) {
  ReplyFacts r;
  BsonReader reader(doc);
  BsonElement e;
  std::string errmsg;
  std::string code_name;
  std::string code;
  while (reader.Next(&e)) {
    if (e.key == "ok") {
      r.ok = e.AsNumber();
    } else if (e.key == "errmsg" || e.key == "$err") {
      errmsg = std::string(e.AsString().value_or(""));
    } else if (e.key == "code") {
      if (auto c = e.AsInt()) code = absl::StrCat(*c);
    } else if (e.key == "codeName") {
      code_name = std::string(e.AsString().value_or(""));
    } else if (e.key == "n") {
      r.n = e.AsInt();
    } else if (e.key == "nModified") {
      r.n_modified = e.AsInt();
    } else if (e.key == "version") {
      r.version = std::string(e.AsString().value_or(""));
    } else if (e.key == "cursor" && e.is_document()) {
      for (absl::string_view batch : {"firstBatch", "nextBatch"}) {
        const std::optional<BsonElement> b = BsonFind(e.value, batch);
        if (b && b->type == kBsonArray) r.batch = BsonCount(b->value);
      }
    } else if ((e.key == "writeErrors" && e.type == kBsonArray) ||
               (e.key == "writeConcernError" && e.type == kBsonDocument)) {
      Bytes first = e.value;
      uint64_t count = 1;
      if (e.type == kBsonArray) {
        count = BsonCount(e.value);
        BsonReader items(e.value);
        BsonElement item;
        if (!items.Next(&item) || !item.is_document()) continue;
        first = item.value;
      }
      if (count == 0 || !r.error_message.empty()) continue;
      const std::optional<BsonElement> c = BsonFind(first, "code");
      const std::optional<int64_t> c_value = c ? c->AsInt() : std::nullopt;
      r.error_code = c_value ? absl::StrCat(*c_value) : "";
      r.error_message = absl::StrCat(e.key, count > 1 ? absl::StrCat(" (", count, ")") : "", ": ",
                                     StringOf(first, "errmsg"));
    }
  }
  const bool failed = r.ok && *r.ok == 0;
  if (failed || (!errmsg.empty() && r.error_message.empty())) {
    r.error_code = code;
    r.error_message = code_name.empty() ? errmsg : absl::StrCat(code_name, ": ", errmsg);
    if (!failed && !r.ok) r.ok = 0;  // {$err: ...} of an old server
  }
  r.error_message = Cut(r.error_message, kMaxTextBytes);
  return r;
}

class MongoDbParser : public StreamParser {
 public:
  MongoDbParser(PayloadEvents* events, FlowFacts* facts) : events_(events), facts_(facts) {}

  ParseStatus Parse(Side from, StreamView& view) override {
    while (true) {
      const Bytes data = view.data();
      if (data.size() < kMongoHeaderBytes) return ParseStatus::kNeedMore;
      // A gap resynchronises only where a sane header follows.
      MongoHeader header;
      if (!ReadMongoHeader(data, &header)) return ParseStatus::kBad;
      const size_t wanted = std::min<size_t>(header.length, kReadBytes);
      if (data.size() < wanted) return ParseStatus::kNeedMore;
      const Bytes bytes = data.first(wanted);
      OnWireMessage(from, DecodeMongoMessage(header, bytes), bytes, view.PositionAt(0));
      view.Consume(header.length);
    }
  }

  void Finish() override {
    while (!pending_.empty()) events_->OnQuery(pending_.take_front().query);
  }
  size_t MemoryBytes() const override { return sizeof(*this) + pending_.MemoryBytes(); }

 private:
  struct Pending {
    uint32_t request_id = 0;
    std::string command;
    bool legacy_query = false;
    DbQuery query;
  };
  static size_t PendingBytes(const Pending& p) { return HeapBytes(p.command) + HeapBytes(p.query); }

  void OnWireMessage(Side from, const MongoMessage& m, Bytes bytes, Position at) {
    AppMessage msg;
    msg.from = from;
    msg.start = at;
    msg.type = std::string(MongoOpCodeName(m.header.op_code));
    msg.length = m.header.length;
    msg.head.assign(reinterpret_cast<const char*>(bytes.data()),
                    std::min(bytes.size(), kPreviewBytes));
    msg.fields = {{"request_id", absl::StrCat(m.header.request_id)},
                  {"response_to", absl::StrCat(m.header.response_to)}};
    if (m.header.op_code == kOpMsg) msg.fields.emplace_back("flags", FlagNames(m.flags));
    if (m.malformed) msg.fields.emplace_back("malformed", "true");
    if (m.cut) msg.fields.emplace_back("read_bytes", absl::StrCat(bytes.size()));

    const int32_t op = m.header.op_code;
    if (op == kOpCompressed) return OnCompressed(m, std::move(msg));
    const bool reply =
        op == kOpReply || op == kOpCommandReply || (op == kOpMsg && m.header.response_to != 0);
    if (reply) return OnReply(m, std::move(msg));
    if (op == kOpCommand) {
      msg.summary = "OP_COMMAND (internal, not decoded)";
      events_->OnMessage(std::move(msg));
      return;
    }
    OnRequest(m, std::move(msg));
  }

  void OnCompressed(const MongoMessage& m, AppMessage msg) {
    const std::string compressor = MongoCompressorName(m.compressor);
    const absl::string_view original = MongoOpCodeName(m.original_op_code);
    msg.summary = absl::StrCat(
        "compressed ", original.empty() ? absl::StrCat(m.original_op_code) : original, " (",
        compressor, ", ", m.uncompressed_size, " bytes uncompressed): contents not inspected");
    msg.fields.emplace_back("original_op_code", std::string(original));
    msg.fields.emplace_back("compressor", compressor);
    if (!compressed_noted_) {
      compressed_noted_ = true;
      Note(absl::StrCat("messages are compressed (", compressor,
                        "): commands inside OP_COMPRESSED are not inspected"));
    }
    // A reply to a request we decoded still closes it; what it says is unknown.
    if (m.header.response_to != 0) {
      const size_t i = FindPending(m.header.response_to);
      if (i < pending_.size()) {
        Pending p = pending_.take(i);
        msg.fields.emplace_back("reply_to", p.command);
        p.query.response = msg.start;
        p.query.status = QueryStatus::kOk;
        events_->OnQuery(std::move(p.query));
      }
    }
    events_->OnMessage(std::move(msg));
  }

  Request Understand(const MongoMessage& m) const {
    Request r;
    const int32_t op = m.header.op_code;
    const absl::string_view full = m.full_collection_name;
    const size_t dot = full.find('.');
    const std::string db(full.substr(0, dot));
    const std::string coll(dot == absl::string_view::npos ? "" : full.substr(dot + 1));
    auto command_document = [&r](Bytes doc) {
      r.document = doc;
      BsonReader reader(doc);
      BsonElement first;
      if (reader.Next(&first)) {
        r.command = Cut(first.key, kMaxValueBytes);
        if (auto s = first.AsString()) r.collection = Cut(*s, kMaxValueBytes);
      }
      r.text = DocText(doc, kMaxTextBytes);
    };
    switch (op) {
      case kOpMsg: {
        command_document(m.document);
        r.database = StringOf(m.document, "$db");
        r.expects_reply = (m.flags & kMsgMoreToCome) == 0;
        for (const MongoMessage::Sequence& s : m.sequences) {
          if (r.text.size() >= kMaxTextBytes) break;
          absl::StrAppend(&r.text, " ", s.identifier, "[", s.documents,
                          "]: ", DocText(s.first, kMaxTextBytes / 4));
        }
        r.text = Cut(r.text, kMaxTextBytes);
        break;
      }
      case kOpQuery: {
        r.database = db;
        if (coll == "$cmd") {
          // Old drivers wrap commands that carry a read preference: {$query: {...}}.
          Bytes doc = m.document;
          for (absl::string_view wrapper : {"$query", "query"}) {
            BsonReader reader(doc);
            BsonElement first;
            if (reader.Next(&first) && first.key == wrapper && first.type == kBsonDocument) {
              doc = first.value;
            }
          }
          command_document(doc);
        } else {
          r.command = "find";
          r.collection = coll;
          r.legacy_query = true;
          r.document = m.document;
          r.text = Cut(absl::StrCat("OP_QUERY ", full, " ", DocText(m.document, kMaxTextBytes)),
                       kMaxTextBytes);
        }
        break;
      }
      case kOpInsert:
        r.command = "insert";
        r.text = absl::StrCat("OP_INSERT ", full, " [", m.documents, " documents] ",
                              DocText(m.document, kMaxTextBytes));
        break;
      case kOpUpdate:
        r.command = "update";
        r.text = absl::StrCat("OP_UPDATE ", full, " ", DocText(m.document, kMaxTextBytes / 2), " ",
                              DocText(m.second_document, kMaxTextBytes / 2));
        break;
      case kOpDelete:
        r.command = "delete";
        r.text = absl::StrCat("OP_DELETE ", full, " ", DocText(m.document, kMaxTextBytes));
        break;
      case kOpGetMore:
        r.command = "getMore";
        r.legacy_query = true;
        r.text = absl::StrCat("OP_GET_MORE ", full, " cursor ", m.cursor_id);
        break;
      case kOpKillCursors:
        r.command = "killCursors";
        r.text = absl::StrCat("OP_KILL_CURSORS ", m.cursor_count, " cursors");
        break;
      default:
        break;
    }
    if (op != kOpMsg && op != kOpQuery) {
      r.database = db;
      r.collection = coll;
      r.expects_reply = op == kOpGetMore;
    }
    r.text = Cut(r.text, kMaxTextBytes);
    return r;
  }

  void OnRequest(const MongoMessage& m, AppMessage msg) {
    const Request r = Understand(m);
    msg.summary =
        Cut(r.database.empty() ? r.text : absl::StrCat(r.database, ": ", r.text), kMaxTextBytes);
    if (!m.full_collection_name.empty()) {
      msg.fields.emplace_back("full_collection_name", m.full_collection_name);
    }
    if (!r.command.empty()) msg.fields.emplace_back("command", r.command);
    if (!r.database.empty()) msg.fields.emplace_back("database", r.database);
    if (!r.collection.empty()) msg.fields.emplace_back("collection", r.collection);
    for (const MongoMessage::Sequence& s : m.sequences) {
      if (msg.fields.size() < kMaxFields) {
        msg.fields.emplace_back("sequence", absl::StrCat(s.identifier, ":", s.documents));
      }
    }
    if (m.header.op_code == kOpInsert) {
      msg.fields.emplace_back("documents", absl::StrCat(m.documents));
    }
    const Position at = msg.start;
    events_->OnMessage(std::move(msg));
    if (r.command.empty()) return;  // nothing decodable

    LearnFromRequest(r, at);
    DbQuery q;
    q.request = at;
    q.text = r.text;
    q.command = r.command;
    q.query_type = std::string(CommandClass(r.command));
    q.database = r.database;
    if (!r.expects_reply) {
      events_->OnQuery(std::move(q));
      return;
    }
    if (pending_.size() >= kMaxPending) events_->OnQuery(pending_.take_front().query);
    pending_.push_back({m.header.request_id, r.command, r.legacy_query, std::move(q)});
  }

  // Users, mechanisms, clear-text passwords and client software named by a request.
  void LearnFromRequest(const Request& r, Position at) {
    const std::string command = absl::AsciiStrToLower(r.command);
    if (command == "saslstart") {
      const std::string mechanism = StringOf(r.document, "mechanism");
      if (!mechanism.empty()) facts_->auth_method = mechanism;
      const std::optional<BsonElement> payload = BsonFind(r.document, "payload");
      absl::string_view text;
      if (payload && payload->type == kBsonBinary) {
        const Bytes b = *payload->AsBinary();
        text = absl::string_view(reinterpret_cast<const char*>(b.data()), b.size());
      } else if (payload && payload->AsString()) {
        text = *payload->AsString();
      }
      if (absl::StartsWith(mechanism, "SCRAM")) {
        const std::string user = ScramUser(text);
        if (!user.empty()) facts_->user = user;
      } else if (mechanism == "PLAIN") {
        // authzid NUL authcid NUL password, in clear.
        const size_t first = text.find('\0');
        const size_t second = first == absl::string_view::npos ? first : text.find('\0', first + 1);
        if (second != absl::string_view::npos) {
          const std::string user = Cut(text.substr(first + 1, second - first - 1), kMaxValueBytes);
          if (!user.empty()) facts_->user = user;
          Credential c;
          c.from = Side::kClient;
          c.at = at;
          c.kind = "mongodb_plain_password";
          c.user = user;
          c.evidence = absl::StrCat("saslStart PLAIN payload: user ", user, ", password ",
                                    Mask(text.substr(second + 1)));
          events_->OnCredential(std::move(c));
        }
      }
    } else if (command == "authenticate") {
      const std::string user = StringOf(r.document, "user");
      if (!user.empty()) facts_->user = user;
      const std::string mechanism = StringOf(r.document, "mechanism");
      if (!mechanism.empty()) facts_->auth_method = mechanism;
    } else if (command == "hello" || command == "ismaster") {
      const Bytes client = DocumentOf(r.document, "client");
      if (!client.empty() && facts_->client_software.empty()) {
        const Bytes driver = DocumentOf(client, "driver");
        const std::string application = StringOf(DocumentOf(client, "application"), "name");
        std::string software =
            absl::StrCat(StringOf(driver, "name"), " ", StringOf(driver, "version"));
        if (!application.empty()) software = absl::StrCat(application, " (", software, ")");
        facts_->client_software = Cut(software, kMaxValueBytes);
      }
      // "admin.alice": the user the driver is about to authenticate.
      const std::string mechs_for = StringOf(r.document, "saslSupportedMechs");
      const size_t dot = mechs_for.find('.');
      if (dot != std::string::npos && facts_->user.empty()) {
        facts_->user = mechs_for.substr(dot + 1);
      }
    }
  }

  // The index of the request `request_id`, or pending_.size().
  size_t FindPending(uint32_t request_id) const {
    return pending_.find_if([request_id](const Pending& p) { return p.request_id == request_id; });
  }

  void OnReply(const MongoMessage& m, AppMessage msg) {
    const size_t i = FindPending(m.header.response_to);
    const bool paired = i < pending_.size();
    const ReplyFacts facts = ReadReply(m.document);
    const bool query_failure =
        m.header.op_code == kOpReply && (m.response_flags & kReplyQueryFailure) != 0;
    // A legacy query's reply holds the user's documents: only the flag says it failed.
    const bool legacy_query = paired && pending_[i].legacy_query;
    const bool error =
        query_failure ||
        (!legacy_query && ((facts.ok && *facts.ok == 0) || !facts.error_message.empty()));
    if (m.header.op_code == kOpReply) {
      msg.fields.emplace_back("number_returned", absl::StrCat(m.number_returned));
      if (m.cursor_id != 0) msg.fields.emplace_back("cursor_id", absl::StrCat(m.cursor_id));
    }
    msg.fields.emplace_back("status", error ? "error" : "ok");
    std::string what = paired ? absl::StrCat("reply to ", pending_[i].command) : "reply";
    msg.summary = Cut(absl::StrCat(what, ": ", DocText(m.document, kMaxTextBytes)), kMaxTextBytes);
    if (paired) msg.fields.emplace_back("reply_to", pending_[i].command);
    const Position at = msg.start;
    events_->OnMessage(std::move(msg));
    if (!paired) return;

    Pending p = pending_.take(i);
    DbQuery& q = p.query;
    q.response = at;
    q.status = error ? QueryStatus::kError : QueryStatus::kOk;
    if (error) {
      q.error_code = facts.error_code;
      q.error_message = facts.error_message.empty() ? "query failure" : facts.error_message;
    }
    const std::string command = absl::AsciiStrToLower(p.command);
    if (p.legacy_query && !query_failure) {
      q.has_rows = true;
      q.rows = m.number_returned > 0 ? static_cast<uint64_t>(m.number_returned) : 0;
    } else if (facts.batch) {
      q.has_rows = true;
      q.rows = *facts.batch;
    }
    std::optional<int64_t> affected;
    if (command == "insert" || command == "delete") affected = facts.n;
    if (command == "update") affected = facts.n_modified ? facts.n_modified : facts.n;
    if (affected && *affected >= 0) {
      q.has_affected_rows = true;
      q.affected_rows = static_cast<uint64_t>(*affected);
    }
    if (!error && command == "buildinfo" && !facts.version.empty()) {
      facts_->server_version = Cut(facts.version, kMaxValueBytes);
    }
    events_->OnQuery(std::move(q));
  }

  void Note(std::string note) {
    if (notes_ >= kMaxNotes) return;
    ++notes_;
    facts_->notes.push_back(std::move(note));
  }

  PayloadEvents* events_;
  FlowFacts* facts_;
  MeteredDeque<Pending> pending_{&PendingBytes};
  bool compressed_noted_ = false;
  size_t notes_ = 0;
};

}  // namespace

std::unique_ptr<StreamParser> MakeMongoDbParser(PayloadEvents* events, FlowFacts* facts) {
  return std::make_unique<MongoDbParser>(events, facts);
}

}  // namespace mcpcap::payload
