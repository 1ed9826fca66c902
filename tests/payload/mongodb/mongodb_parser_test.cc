#include "backend/payload/mongodb/mongodb_parser.h"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "backend/payload/mongodb/bson.h"
#include "gtest/gtest.h"
#include "tests/payload/parser_harness.h"

namespace mcpcap::payload {
namespace {

using testing::Chunk;
using testing::Feed;
using testing::kAllSplitModes;
using testing::Recorded;
using testing::SplitMode;
using testing::SplitModeName;

std::string I32(int32_t v) {
  std::string s(4, '\0');
  for (int i = 0; i < 4; ++i)
    s[i] = static_cast<char>((static_cast<uint32_t>(v) >> (8 * i)) & 0xff);
  return s;
}
std::string I64(int64_t v) {
  std::string s(8, '\0');
  for (int i = 0; i < 8; ++i)
    s[i] = static_cast<char>((static_cast<uint64_t>(v) >> (8 * i)) & 0xff);
  return s;
}

// A BSON document built by hand, element by element.
class Doc {
 public:
  Doc& Str(const std::string& k, const std::string& v) {
    return Put(0x02, k, I32(static_cast<int32_t>(v.size() + 1)) + v + '\0');
  }
  Doc& Int(const std::string& k, int32_t v) { return Put(0x10, k, I32(v)); }
  Doc& Long(const std::string& k, int64_t v) { return Put(0x12, k, I64(v)); }
  Doc& Dbl(const std::string& k, double v) {
    int64_t bits;
    std::memcpy(&bits, &v, 8);
    return Put(0x01, k, I64(bits));
  }
  Doc& Bool(const std::string& k, bool v) { return Put(0x08, k, std::string(1, v ? 1 : 0)); }
  Doc& Null(const std::string& k) { return Put(0x0A, k, ""); }
  Doc& Sub(const std::string& k, const Doc& d) { return Put(0x03, k, d.Bytes()); }
  Doc& Arr(const std::string& k, const std::vector<Doc>& items) {
    Doc a;
    for (size_t i = 0; i < items.size(); ++i) a.Sub(std::to_string(i), items[i]);
    return Put(0x04, k, a.Bytes());
  }
  Doc& Bin(const std::string& k, uint8_t subtype, const std::string& v) {
    return Put(0x05, k, I32(static_cast<int32_t>(v.size())) + std::string(1, subtype) + v);
  }
  Doc& Oid(const std::string& k) {
    return Put(0x07, k, std::string("\x55\x47\x69\xb1\x93\x70\xaf\x25\x2b\x76\x1f\xe4", 12));
  }
  Doc& Raw(const std::string& bytes) {
    body_ += bytes;
    return *this;
  }
  std::string Bytes() const { return I32(static_cast<int32_t>(body_.size() + 5)) + body_ + '\0'; }

 private:
  Doc& Put(char type, const std::string& k, const std::string& v) {
    body_ += type;
    body_ += k;
    body_ += '\0';
    body_ += v;
    return *this;
  }
  std::string body_;
};

std::string Header(size_t body, int32_t id, int32_t to, int32_t op) {
  return I32(static_cast<int32_t>(body + 16)) + I32(id) + I32(to) + I32(op);
}
std::string Msg(int32_t id, int32_t to, const Doc& body, uint32_t flags = 0,
                const std::string& sections = "") {
  std::string b = I32(static_cast<int32_t>(flags)) + '\0' + body.Bytes() + sections;
  if (flags & 1) b += I32(0x12345678);  // a checksum we do not verify
  return Header(b.size(), id, to, 2013) + b;
}
std::string Sequence(const std::string& id, const std::vector<Doc>& docs) {
  std::string d;
  for (const Doc& doc : docs) d += doc.Bytes();
  return '\x01' + I32(static_cast<int32_t>(4 + id.size() + 1 + d.size())) + id + '\0' + d;
}
std::string Query(int32_t id, const std::string& collection, const Doc& query,
                  int32_t to_return = -1) {
  const std::string b = I32(0) + collection + '\0' + I32(0) + I32(to_return) + query.Bytes();
  return Header(b.size(), id, 0, 2004) + b;
}
std::string Reply(int32_t id, int32_t to, const std::vector<Doc>& docs, int32_t flags = 8) {
  std::string b = I32(flags) + I64(0) + I32(0) + I32(static_cast<int32_t>(docs.size()));
  for (const Doc& d : docs) b += d.Bytes();
  return Header(b.size(), id, to, 1) + b;
}

std::string Describe(const Recorded& r) {
  std::string out;
  for (const AppMessage& m : r.messages) {
    absl::StrAppend(&out, "M ", m.start.frame, " ", m.type, " | ", m.summary, " | ", m.length,
                    " | ", m.head.size(), "\n");
    for (const auto& [k, v] : m.fields) absl::StrAppend(&out, "  ", k, "=", v, "\n");
  }
  for (const DbQuery& q : r.queries) {
    absl::StrAppend(&out, "Q ", q.request.frame, ">", q.response.frame, " ", q.command, " ",
                    q.query_type, " [", q.text, "] db=", q.database,
                    " st=", static_cast<int>(q.status), " ", q.error_code, ":", q.error_message,
                    " rows=", q.has_rows, "/", q.rows, " aff=", q.has_affected_rows, "/",
                    q.affected_rows, "\n");
  }
  for (const Credential& c : r.credentials) {
    absl::StrAppend(&out, "C ", c.kind, " ", c.user, " ", c.evidence, "\n");
  }
  absl::StrAppend(&out, "F ", r.facts.server_version, "|", r.facts.user, "|", r.facts.auth_method,
                  "|", r.facts.client_software, "|", absl::StrJoin(r.facts.notes, ";"),
                  " stop=", r.client_stop, "/", r.server_stop, "\n");
  return out;
}

Recorded FeedAll(const std::vector<Chunk>& talk) {
  const Recorded as_sent = Feed(MakeMongoDbParser, talk, SplitMode::kAsSent);
  const std::string expected = Describe(as_sent);
  for (SplitMode mode : kAllSplitModes) {
    for (uint32_t seed = 1; seed <= 3; ++seed) {
      EXPECT_EQ(Describe(Feed(MakeMongoDbParser, talk, mode, seed)), expected)
          << SplitModeName(mode) << " seed " << seed;
    }
  }
  return as_sent;
}

Doc Lsid() { return Doc().Bin("id", 4, std::string(16, '\x11')); }

TEST(MongoDbParserTest, OpMsgFindWithCursorBatch) {
  const Doc find = Doc()
                       .Str("find", "users")
                       .Sub("filter", Doc().Sub("age", Doc().Int("$gt", 30)))
                       .Int("limit", 10)
                       .Sub("lsid", Lsid())
                       .Str("$db", "shop");
  const Doc reply =
      Doc()
          .Sub("cursor", Doc()
                             .Arr("firstBatch", {Doc().Str("name", "ann"), Doc().Str("name", "bo")})
                             .Long("id", 0)
                             .Str("ns", "shop.users"))
          .Dbl("ok", 1);
  const Recorded r =
      FeedAll({{Side::kClient, Msg(7, 0, find)}, {Side::kServer, Msg(90, 7, reply)}});
  ASSERT_EQ(r.queries.size(), 1u);
  const DbQuery& q = r.queries[0];
  EXPECT_EQ(q.command, "find");
  EXPECT_EQ(q.query_type, "FIND");
  EXPECT_EQ(q.database, "shop");
  EXPECT_EQ(q.text, "{find: \"users\", filter: {age: {$gt: 30}}, limit: 10}");
  EXPECT_EQ(q.status, QueryStatus::kOk);
  EXPECT_TRUE(q.has_rows);
  EXPECT_EQ(q.rows, 2u);
  EXPECT_EQ(q.request.frame, 1u);
  EXPECT_EQ(q.response.frame, 2u);
  ASSERT_EQ(r.messages.size(), 2u);
  EXPECT_EQ(r.messages[0].type, "OP_MSG");
  EXPECT_EQ(r.messages[0].summary, "shop: " + q.text);
  EXPECT_EQ(r.messages[0].length, Msg(7, 0, find).size());
  std::string fields;
  for (const auto& [k, v] : r.messages[0].fields) absl::StrAppend(&fields, k, "=", v, ";");
  EXPECT_EQ(fields,
            "request_id=7;response_to=0;flags=none;command=find;database=shop;collection=users;");
  EXPECT_EQ(r.messages[1].fields.back().second, "find");  // reply_to
}

TEST(MongoDbParserTest, RepliesPairByIdNotOrder) {
  const Doc ping = Doc().Int("ping", 1).Str("$db", "admin");
  const Doc count = Doc().Str("count", "logs").Str("$db", "app");
  const Recorded r = FeedAll({
      {Side::kClient, Msg(1, 0, count) + Msg(2, 0, ping)},
      {Side::kServer, Msg(11, 2, Doc().Dbl("ok", 1))},
      {Side::kServer, Msg(12, 1, Doc().Int("n", 42).Dbl("ok", 1))},
      {Side::kServer, Msg(13, 99, Doc().Dbl("ok", 1))},  // answers nothing we saw
  });
  ASSERT_EQ(r.queries.size(), 2u);
  EXPECT_EQ(r.queries[0].command, "ping");  // reported when answered
  EXPECT_EQ(r.queries[0].query_type, "COMMAND");
  EXPECT_EQ(r.queries[0].response.frame, 2u);
  EXPECT_EQ(r.queries[1].command, "count");
  EXPECT_EQ(r.queries[1].query_type, "READ");
  EXPECT_EQ(r.queries[1].response.frame, 3u);
  EXPECT_EQ(r.messages.back().summary, "reply: {ok: 1}");
}

TEST(MongoDbParserTest, ErrorsFromOkZeroWriteErrorsAndQueryFailure) {
  const Recorded r = FeedAll({
      {Side::kClient, Msg(1, 0, Doc().Str("drop", "nope").Str("$db", "app"))},
      {Side::kServer, Msg(2, 1,
                          Doc()
                              .Dbl("ok", 0)
                              .Str("errmsg", "ns not found")
                              .Int("code", 26)
                              .Str("codeName", "NamespaceNotFound"))},
      {Side::kClient, Msg(3, 0, Doc().Str("insert", "users").Str("$db", "app"), 0,
                          Sequence("documents", {Doc().Int("_id", 1), Doc().Int("_id", 1)}))},
      {Side::kServer,
       Msg(4, 3,
           Doc()
               .Int("n", 1)
               .Arr("writeErrors", {Doc()
                                        .Int("index", 1)
                                        .Int("code", 11000)
                                        .Str("errmsg", "E11000 duplicate key error")})
               .Dbl("ok", 1))},
      {Side::kClient, Query(5, "app.users", Doc().Sub("$where", Doc()))},
      {Side::kServer, Reply(6, 5, {Doc().Str("$err", "bad query").Int("code", 2)}, 2)},
  });
  ASSERT_EQ(r.queries.size(), 3u);
  EXPECT_EQ(r.queries[0].query_type, "DDL");
  EXPECT_EQ(r.queries[0].status, QueryStatus::kError);
  EXPECT_EQ(r.queries[0].error_code, "26");
  EXPECT_EQ(r.queries[0].error_message, "NamespaceNotFound: ns not found");
  EXPECT_EQ(r.queries[1].query_type, "INSERT");
  EXPECT_EQ(r.queries[1].text, "{insert: \"users\"} documents[2]: {_id: 1}");
  EXPECT_EQ(r.queries[1].status, QueryStatus::kError);
  EXPECT_EQ(r.queries[1].error_code, "11000");
  EXPECT_EQ(r.queries[1].error_message, "writeErrors: E11000 duplicate key error");
  EXPECT_TRUE(r.queries[1].has_affected_rows);
  EXPECT_EQ(r.queries[1].affected_rows, 1u);
  EXPECT_EQ(r.queries[2].command, "find");
  EXPECT_EQ(r.queries[2].status, QueryStatus::kError);
  EXPECT_EQ(r.queries[2].error_code, "2");
  EXPECT_EQ(r.queries[2].error_message, "bad query");
  EXPECT_FALSE(r.queries[2].has_rows);
}

TEST(MongoDbParserTest, LegacyOpcodes) {
  const std::string insert_body =
      I32(0) + "db.items" + '\0' + Doc().Int("a", 1).Bytes() + Doc().Int("a", 2).Bytes();
  const std::string update_body = I32(0) + "db.items" + '\0' + I32(2) + Doc().Int("a", 1).Bytes() +
                                  Doc().Sub("$set", Doc().Int("b", 2)).Bytes();
  const std::string delete_body = I32(0) + "db.items" + '\0' + I32(0) + Doc().Int("a", 2).Bytes();
  const std::string get_more_body = I32(0) + "db.items" + '\0' + I32(10) + I64(77);
  const std::string kill_body = I32(0) + I32(1) + I64(77);
  const Recorded r = FeedAll({
      {Side::kClient, Header(insert_body.size(), 1, 0, 2002) + insert_body},
      {Side::kClient, Header(update_body.size(), 2, 0, 2001) + update_body},
      {Side::kClient, Header(delete_body.size(), 3, 0, 2006) + delete_body},
      {Side::kClient, Query(4, "db.items", Doc().Int("a", 1), 2)},
      // User documents that happen to hold "ok: 0" or "errmsg" are data, not an error.
      {Side::kServer, Reply(5, 4, {Doc().Int("a", 1).Int("ok", 0), Doc().Str("errmsg", "x")})},
      {Side::kClient, Header(get_more_body.size(), 6, 0, 2005) + get_more_body},
      {Side::kServer, Reply(7, 6, {Doc().Int("a", 1)})},
      {Side::kClient, Header(kill_body.size(), 8, 0, 2007) + kill_body},
  });
  std::vector<std::string> got;
  for (const DbQuery& q : r.queries) {
    got.push_back(absl::StrCat(q.command, "/", q.query_type, "/", q.database, "/",
                               static_cast<int>(q.status), "/", q.rows));
  }
  EXPECT_EQ(absl::StrJoin(got, " "),
            "insert/INSERT/db/2/0 update/UPDATE/db/2/0 delete/DELETE/db/2/0 find/FIND/db/0/2 "
            "getMore/FIND/db/0/1 killCursors/COMMAND//2/0");
  EXPECT_EQ(r.queries[0].text, "OP_INSERT db.items [2 documents] {a: 1}");
  EXPECT_EQ(r.queries[1].text, "OP_UPDATE db.items {a: 1} {$set: {b: 2}}");
  EXPECT_EQ(r.queries[3].text, "OP_QUERY db.items {a: 1}");
  std::vector<std::string> types;
  for (const AppMessage& m : r.messages) types.push_back(m.type);
  EXPECT_EQ(absl::StrJoin(types, ","),
            "OP_INSERT,OP_UPDATE,OP_DELETE,OP_QUERY,OP_REPLY,OP_GET_MORE,OP_REPLY,"
            "OP_KILL_CURSORS");
}

TEST(MongoDbParserTest, OpQueryCommandsAndFacts) {
  const Doc hello =
      Doc()
          .Int("isMaster", 1)
          .Str("saslSupportedMechs", "admin.alice")
          .Sub("client", Doc()
                             .Sub("driver", Doc().Str("name", "nodejs").Str("version", "4.1.0"))
                             .Sub("application", Doc().Str("name", "billing")));
  const Recorded r = FeedAll({
      {Side::kClient, Query(1, "admin.$cmd", hello)},
      {Side::kServer, Reply(2, 1, {Doc().Bool("ismaster", true).Dbl("ok", 1)})},
      {Side::kClient,
       Query(3, "admin.$cmd",
             Doc().Sub("$query", Doc().Int("buildInfo", 1)).Sub("$readPreference", Doc()))},
      {Side::kServer, Reply(4, 3, {Doc().Str("version", "4.4.29").Dbl("ok", 1)})},
      {Side::kClient, Msg(5, 0,
                          Doc()
                              .Int("saslStart", 1)
                              .Str("mechanism", "SCRAM-SHA-256")
                              .Bin("payload", 0, "n,,n=bob=2Cjr,r=abcdef")
                              .Str("$db", "admin"))},
      {Side::kServer, Msg(6, 5, Doc().Int("conversationId", 1).Bool("done", false).Dbl("ok", 1))},
  });
  ASSERT_EQ(r.queries.size(), 3u);
  EXPECT_EQ(r.queries[0].command, "isMaster");
  EXPECT_EQ(r.queries[0].database, "admin");
  EXPECT_FALSE(r.queries[0].has_rows);  // a command's reply document is not a row
  EXPECT_EQ(r.queries[1].command, "buildInfo");
  EXPECT_EQ(r.queries[2].query_type, "AUTH");
  EXPECT_EQ(r.queries[2].text,
            "{saslStart: 1, mechanism: \"SCRAM-SHA-256\", payload: BinData(0, 22 bytes)}");
  EXPECT_EQ(r.facts.server_version, "4.4.29");
  EXPECT_EQ(r.facts.client_software, "billing (nodejs 4.1.0)");
  EXPECT_EQ(r.facts.user, "bob,jr");  // SCRAM's n= wins over the hello hint
  EXPECT_EQ(r.facts.auth_method, "SCRAM-SHA-256");
  EXPECT_TRUE(r.credentials.empty());
}

TEST(MongoDbParserTest, PlainPasswordIsACredential) {
  const Recorded r = FeedAll({
      {Side::kClient, Msg(1, 0,
                          Doc()
                              .Int("saslStart", 1)
                              .Str("mechanism", "PLAIN")
                              .Bin("payload", 0, std::string("\0ldapuser\0Secret123", 18))
                              .Str("$db", "$external"))},
      {Side::kServer, Msg(2, 1, Doc().Bool("done", true).Dbl("ok", 1))},
  });
  ASSERT_EQ(r.credentials.size(), 1u);
  EXPECT_EQ(r.credentials[0].kind, "mongodb_plain_password");
  EXPECT_EQ(r.credentials[0].user, "ldapuser");
  EXPECT_EQ(r.credentials[0].evidence, "saslStart PLAIN payload: user ldapuser, password S****");
  EXPECT_EQ(r.facts.user, "ldapuser");
  for (const AppMessage& m : r.messages) EXPECT_EQ(m.summary.find("Secret"), std::string::npos);
}

TEST(MongoDbParserTest, MoreToComeAndChecksum) {
  const Recorded r = FeedAll({
      {Side::kClient, Msg(1, 0, Doc().Str("delete", "t").Str("$db", "d"), /*flags=*/3,
                          Sequence("deletes", {Doc().Sub("q", Doc()).Int("limit", 0)}))},
      {Side::kClient, Msg(2, 0, Doc().Str("update", "t").Str("$db", "d"), 1)},
      {Side::kServer, Msg(3, 2, Doc().Int("n", 3).Int("nModified", 2).Dbl("ok", 1), 1)},
  });
  ASSERT_EQ(r.queries.size(), 2u);
  EXPECT_EQ(r.queries[0].command, "delete");
  EXPECT_EQ(r.queries[0].status, QueryStatus::kNoResponse);  // w:0, no reply will come
  EXPECT_EQ(r.queries[1].affected_rows, 2u);                 // nModified for update
  EXPECT_EQ(r.messages[0].fields[2].second, "checksum_present,more_to_come");
}

TEST(MongoDbParserTest, CompressedIsReportedNotInspected) {
  const std::string body = I32(2013) + I32(100) + std::string(1, '\x03') + std::string(40, 'z');
  const Recorded r = FeedAll({
      {Side::kClient, Header(body.size(), 1, 0, 2012) + body},
      {Side::kServer, Header(body.size(), 2, 1, 2012) + body},
  });
  EXPECT_TRUE(r.queries.empty());
  ASSERT_EQ(r.messages.size(), 2u);
  EXPECT_EQ(r.messages[0].type, "OP_COMPRESSED");
  EXPECT_EQ(r.messages[0].summary,
            "compressed OP_MSG (zstd, 100 bytes uncompressed): contents not inspected");
  ASSERT_EQ(r.facts.notes.size(), 1u);
}

TEST(MongoDbParserTest, LargeMessageReadsAPrefixAndSkipsTheRest) {
  const Doc big = Doc().Str("insert", "blobs").Str("$db", "d");
  const std::string seq = Sequence("documents", {Doc().Str("data", std::string(300000, 'x'))});
  const std::string insert = Msg(1, 0, big, 0, seq);
  std::vector<Chunk> talk;
  for (size_t i = 0; i < insert.size(); i += 1400)
    talk.push_back({Side::kClient, insert.substr(i, 1400)});
  talk.push_back({Side::kServer, Msg(2, 1, Doc().Int("n", 1).Dbl("ok", 1))});
  talk.push_back({Side::kClient, Msg(3, 0, Doc().Int("ping", 1).Str("$db", "d"))});
  talk.push_back({Side::kServer, Msg(4, 3, Doc().Dbl("ok", 1))});
  for (SplitMode mode : {SplitMode::kAsSent, SplitMode::kRandom}) {
    const Recorded r = Feed(MakeMongoDbParser, talk, mode);
    ASSERT_EQ(r.queries.size(), 2u) << SplitModeName(mode);
    EXPECT_EQ(r.queries[0].affected_rows, 1u);
    EXPECT_EQ(r.queries[0].text, "{insert: \"blobs\"} documents[1]: {data: \"" +
                                     std::string(128, 'x') + "...\", ...}");
    EXPECT_EQ(r.queries[1].command, "ping");
    EXPECT_EQ(r.messages[0].length, insert.size());
    EXPECT_TRUE(r.client_stop.empty()) << r.client_stop;
  }
}

TEST(MongoDbParserTest, GapResyncsOnlyAtASaneHeader) {
  const std::string ping = Msg(1, 0, Doc().Int("ping", 1).Str("$db", "d"));
  const Recorded ok = FeedAll({
      {Side::kClient, ping},
      {Side::kClient, "", 100},  // a whole message lost
      {Side::kClient, Msg(3, 0, Doc().Int("ping", 1).Str("$db", "d"))},
      {Side::kServer, Msg(4, 3, Doc().Dbl("ok", 1))},
  });
  ASSERT_EQ(ok.queries.size(), 2u);
  EXPECT_EQ(ok.queries[0].request.frame, 3u);  // answered, so reported first
  EXPECT_EQ(ok.queries[0].status, QueryStatus::kOk);
  EXPECT_EQ(ok.queries[1].status, QueryStatus::kNoResponse);
  EXPECT_TRUE(ok.client_stop.empty());
  const Recorded lost = FeedAll({
      {Side::kClient, ping.substr(0, 20)},
      {Side::kClient, "", 10},  // resumes inside a message
      {Side::kClient, ping.substr(30) + ping},
  });
  EXPECT_EQ(lost.client_stop, "lost_sync_after_gap");
}

TEST(MongoDbParserTest, NotMongoStops) {
  const Recorded r = FeedAll({{Side::kClient, "GET / HTTP/1.1\r\nHost: example\r\n\r\n"}});
  EXPECT_EQ(r.client_stop, "not_recognised");
  // Sane length, unknown opcode.
  EXPECT_EQ(Feed(MakeMongoDbParser, {{Side::kClient, Header(4, 1, 0, 2003) + "abcd"}}).client_stop,
            "not_recognised");
}

TEST(MongoDbParserTest, HostileBsonIsBounded) {
  // Nested length past its parent, string length negative, key without NUL, 200 levels deep.
  std::string deep = Doc().Int("x", 1).Bytes();
  for (int i = 0; i < 200; ++i)
    deep = Doc().Raw(std::string(1, '\x03') + "a" + '\0' + deep).Bytes();
  const std::vector<std::string> bodies = {
      Doc().Raw(std::string(1, '\x03') + "f" + '\0' + I32(1000) + "xx").Bytes(),
      Doc().Raw(std::string(1, '\x02') + "s" + '\0' + I32(-5) + "abc").Bytes(),
      Doc().Raw(std::string(1, '\x10') + "nonul").Bytes(),
      Doc().Raw(std::string(1, '\x42') + "k" + '\0').Bytes(),
      I32(3) + std::string(10, 'q'),
      deep,
  };
  for (const std::string& body : bodies) {
    const std::string b = I32(0) + '\0' + body;
    const Recorded r = FeedAll({{Side::kClient, Header(b.size(), 1, 0, 2013) + b}});
    ASSERT_EQ(r.messages.size(), 1u);
    EXPECT_LE(r.messages[0].summary.size(), kMaxTextBytes);
    EXPECT_TRUE(r.client_stop.empty());  // framing held: the next message would be read
  }
  BsonReader deep_reader(Bytes(reinterpret_cast<const uint8_t*>(deep.data()), deep.size()));
  BsonElement e;
  ASSERT_TRUE(deep_reader.Next(&e));
  BsonTextOptions options;
  options.max_depth = 1000;  // capped at kBsonMaxDepth
  const std::string text =
      BsonToText(Bytes(reinterpret_cast<const uint8_t*>(deep.data()), deep.size()), options);
  EXPECT_NE(text.find("{...}"), std::string::npos);
  EXPECT_LT(text.size(), 200u);
}

TEST(BsonTest, ReaderAndText) {
  const std::string doc = Doc()
                              .Str("s", "a\"b")
                              .Dbl("d", 2.5)
                              .Long("l", -3)
                              .Null("n")
                              .Oid("_id")
                              .Bool("t", true)
                              .Arr("a", {Doc().Int("x", 1)})
                              .Bytes();
  const Bytes bytes(reinterpret_cast<const uint8_t*>(doc.data()), doc.size());
  EXPECT_EQ(BsonToText(bytes, {}),
            "{s: \"a\\\"b\", d: 2.5, l: -3, n: null, _id: ObjectId(\"554769b19370af252b761fe4\"), "
            "t: true, a: [{x: 1}]}");
  EXPECT_EQ(BsonCount(bytes), 7u);
  // A cut document still shows its whole elements.
  const std::string text = BsonToText(bytes.first(20), {});
  EXPECT_EQ(text, "{s: \"a\\\"b\", ...}");
  BsonReader cut(bytes.first(20));
  BsonElement e;
  EXPECT_TRUE(cut.Next(&e));
  EXPECT_FALSE(cut.Next(&e));
  EXPECT_TRUE(cut.truncated());
  EXPECT_FALSE(cut.malformed());
  // A bounded text ends in "...".
  BsonTextOptions small;
  small.max_bytes = 16;
  EXPECT_EQ(BsonToText(bytes, small), "{s: \"a\\\"b\", d...");
}

struct CountingSink : PayloadEvents {
  uint64_t events = 0;
  void OnMessage(AppMessage) override { ++events; }
  void OnQuery(DbQuery) override { ++events; }
  void OnCredential(Credential) override { ++events; }
};

// Not a pass/fail check: prints MB/s of insert and find traffic through StreamFeeder.
TEST(MongoDbParserTest, ThroughputIsPrinted) {
  std::vector<std::pair<Side, std::string>> segments;
  uint64_t bytes = 0;
  std::vector<Doc> batch;
  for (int i = 0; i < 10; ++i) {
    batch.push_back(Doc().Int("_id", i).Str("name", "someone").Str("email", "a@example.test"));
  }
  for (int i = 2; i < 2002; i += 2) {  // request ids from 2: 0 means "not a reply"
    const Doc user = Doc().Int("_id", i).Str("name", "someone").Str("bio", std::string(150, 'b'));
    std::string client =
        Msg(i, 0, Doc().Str("insert", "users").Str("$db", "app"), 0, Sequence("documents", {user}));
    client += Msg(i + 1, 0,
                  Doc()
                      .Str("find", "users")
                      .Sub("filter", Doc().Sub("_id", Doc().Int("$gt", i)))
                      .Str("$db", "app"));
    std::string server = Msg(100000 + i, i, Doc().Int("n", 1).Dbl("ok", 1));
    server += Msg(100001 + i, i + 1,
                  Doc().Sub("cursor", Doc().Arr("firstBatch", batch).Long("id", 0)).Dbl("ok", 1));
    bytes += client.size() + server.size();
    segments.emplace_back(Side::kClient, std::move(client));
    segments.emplace_back(Side::kServer, std::move(server));
  }
  constexpr int kRounds = 10;
  CountingSink sink;
  FlowFacts facts;
  const auto start = std::chrono::steady_clock::now();
  for (int round = 0; round < kRounds; ++round) {
    std::unique_ptr<StreamParser> parser = MakeMongoDbParser(&sink, &facts);
    StreamFeeder feeder(parser.get());
    uint64_t frame = 1;
    for (const auto& [side, data] : segments) {
      feeder.OnData(side, Bytes(reinterpret_cast<const uint8_t*>(data.data()), data.size()),
                    {frame++, 0});
    }
    feeder.Finish();
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double mb = static_cast<double>(bytes) * kRounds / 1e6;
  std::printf("mongodb parser: %.1f MB in %.3f s = %.1f MB/s (%llu events)\n", mb, seconds,
              mb / seconds, static_cast<unsigned long long>(sink.events));
  EXPECT_EQ(sink.events, uint64_t{kRounds} * 2000 * 3);
}

}  // namespace
}  // namespace mcpcap::payload
