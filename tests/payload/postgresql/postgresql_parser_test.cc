// The PostgreSQL parser on hand-built protocol-3 messages (formats from the PostgreSQL "Message
// Formats" documentation), fed through the real StreamFeeder in every split mode.
#include "backend/payload/postgresql/postgresql_parser.h"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "backend/payload/common/stream_feeder.h"
#include "backend/payload/common/text_bounds.h"
#include "gtest/gtest.h"
#include "tests/payload/parser_harness.h"

namespace mcpcap::payload {
namespace {

using testing::Chunk;
using testing::Feed;
using testing::MessageTypes;
using testing::Recorded;

std::string Be(uint64_t v, int n) {
  std::string out;
  for (int i = n - 1; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  return out;
}
std::string Z(const std::string& s) { return s + std::string(1, '\0'); }
std::string Msg(char type, const std::string& body) {
  return std::string(1, type) + Be(body.size() + 4, 4) + body;
}
std::string Untyped(uint32_t code, const std::string& body = "") {
  return Be(body.size() + 8, 4) + Be(code, 4) + body;
}
std::string Startup(const std::string& user, const std::string& db, const std::string& app) {
  std::string body = Z("user") + Z(user);
  if (!db.empty()) body += Z("database") + Z(db);
  body += Z("application_name") + Z(app) + std::string(1, '\0');
  return Untyped(196608, body);
}
std::string Auth(uint32_t code, const std::string& extra = "") {
  return Msg('R', Be(code, 4) + extra);
}
std::string ParamStatus(const std::string& k, const std::string& v) {
  return Msg('S', Z(k) + Z(v));
}
std::string Ready(char status = 'I') { return Msg('Z', std::string(1, status)); }
std::string Query(const std::string& sql) { return Msg('Q', Z(sql)); }
std::string RowDesc(int columns) {
  std::string body = Be(columns, 2);
  for (int c = 0; c < columns; ++c) {
    body += Z("c" + std::to_string(c)) + Be(0, 4) + Be(0, 2) + Be(23, 4) + Be(4, 2) +
            Be(0xFFFFFFFF, 4) + Be(0, 2);
  }
  return Msg('T', body);
}
std::string DataRow(int columns, int value) {
  std::string body = Be(columns, 2);
  for (int c = 0; c < columns; ++c) {
    const std::string v = std::to_string(value + c);
    body += Be(v.size(), 4) + v;
  }
  return Msg('D', body);
}
std::string Rows(int columns, int rows) {
  std::string out = RowDesc(columns);
  for (int r = 0; r < rows; ++r) out += DataRow(columns, r * 10);
  return out;
}
std::string Complete(const std::string& tag) { return Msg('C', Z(tag)); }
std::string Error(const std::string& code, const std::string& message,
                  const std::string& severity = "ERROR") {
  return Msg('E', "S" + Z(severity) + "V" + Z(severity) + "C" + Z(code) + "M" + Z(message) +
                      std::string(1, '\0'));
}
std::string Parse(const std::string& name, const std::string& sql) {
  return Msg('P', Z(name) + Z(sql) + Be(0, 2));
}
std::string Bind(const std::string& portal, const std::string& stmt) {
  return Msg('B', Z(portal) + Z(stmt) + Be(0, 2) + Be(0, 2) + Be(0, 2));
}
std::string Describe(char what, const std::string& name) {
  return Msg('D', std::string(1, what) + Z(name));
}
std::string Execute(const std::string& portal, uint32_t max_rows = 0) {
  return Msg('E', Z(portal) + Be(max_rows, 4));
}
std::string Sync() { return Msg('S', ""); }
std::string Simple(char type) { return Msg(type, ""); }

Recorded FeedAll(const std::vector<Chunk>& talk) {
  return testing::FeedEverySplit(MakePostgreSqlParser, talk, {1u, 7u});
}

TEST(PostgreSqlParserTest, StartupPasswordAndSimpleQueries) {
  const std::vector<Chunk> talk = {
      {Side::kClient, Untyped(80877103)},                    // 1 SSLRequest
      {Side::kServer, "N"},                                  // 2
      {Side::kClient, Startup("alice", "shop", "billing")},  // 3
      {Side::kServer, Auth(3)},                              // 4 cleartext
      {Side::kClient, Msg('p', Z("hunter2"))},               // 5
      {Side::kServer, Auth(0) + ParamStatus("server_version", "16.2") +
                          Msg('K', Be(77, 4) + Be(9, 4)) + Ready()},                     // 6
      {Side::kClient, Query("SELECT id, name FROM items;")},                             // 7
      {Side::kServer, Rows(2, 3) + Complete("SELECT 3") + Ready()},                      // 8
      {Side::kClient, Query("UPDATE items SET price = 2 WHERE id < 3")},                 // 9
      {Side::kServer, Complete("UPDATE 2") + Ready('I')},                                // 10
      {Side::kClient, Query("SELECT * FROM missing")},                                   // 11
      {Side::kServer, Error("42P01", "relation \"missing\" does not exist") + Ready()},  // 12
      {Side::kClient, Query("INSERT INTO t VALUES (1)")},                                // 13
      {Side::kServer, Complete("INSERT 0 1") + Ready()},                                 // 14
      {Side::kClient, Simple('X')},                                                      // 15
  };
  const Recorded r = FeedAll(talk);
  EXPECT_EQ(r.facts.user, "alice");
  EXPECT_EQ(r.facts.database, "shop");
  EXPECT_EQ(r.facts.client_software, "billing");
  EXPECT_EQ(r.facts.server_version, "16.2");
  EXPECT_EQ(r.facts.auth_method, "cleartext");
  EXPECT_FALSE(r.facts.encrypted);
  EXPECT_EQ(r.client_stop, "");
  EXPECT_EQ(r.server_stop, "");
  ASSERT_EQ(r.credentials.size(), 1u);
  EXPECT_EQ(r.credentials[0].kind, "postgresql_password");
  EXPECT_EQ(r.credentials[0].user, "alice");
  EXPECT_EQ(r.credentials[0].at.frame, 5u);
  EXPECT_FALSE(absl::StrContains(r.credentials[0].evidence, "hunter2"));
  EXPECT_TRUE(absl::StrContains(r.credentials[0].evidence, MaskSecret("hunter2")));

  ASSERT_EQ(r.queries.size(), 4u);
  const DbQuery& select = r.queries[0];
  EXPECT_EQ(select.text, "SELECT id, name FROM items;");  // one statement: exactly as sent
  EXPECT_EQ(select.command, "Query");
  EXPECT_EQ(select.query_type, "SELECT");
  EXPECT_EQ(select.database, "shop");
  EXPECT_EQ(select.status, QueryStatus::kOk);
  EXPECT_TRUE(select.has_rows);
  EXPECT_EQ(select.rows, 3u);
  EXPECT_FALSE(select.has_affected_rows);
  EXPECT_EQ(select.request.frame, 7u);
  EXPECT_EQ(select.response.frame, 8u);
  EXPECT_TRUE(r.queries[1].has_affected_rows);
  EXPECT_EQ(r.queries[1].affected_rows, 2u);
  EXPECT_FALSE(r.queries[1].has_rows);
  EXPECT_EQ(r.queries[2].status, QueryStatus::kError);
  EXPECT_EQ(r.queries[2].error_code, "42P01");
  EXPECT_EQ(r.queries[2].error_message, "relation \"missing\" does not exist");
  EXPECT_EQ(r.queries[3].affected_rows, 1u);

  EXPECT_EQ(MessageTypes(r),
            (std::vector<std::string>{"SSLRequest",      "SSLResponse",
                                      "StartupMessage",  "AuthenticationCleartextPassword",
                                      "PasswordMessage", "AuthenticationOk",
                                      "ParameterStatus", "BackendKeyData",
                                      "ReadyForQuery",   "Query",
                                      "ResultSet",       "CommandComplete",
                                      "ReadyForQuery",   "Query",
                                      "CommandComplete", "ReadyForQuery",
                                      "Query",           "ErrorResponse",
                                      "ReadyForQuery",   "Query",
                                      "CommandComplete", "ReadyForQuery",
                                      "Terminate"}));
  EXPECT_EQ(r.messages[10].summary, "2 columns, 3 rows");
  EXPECT_EQ(r.messages[10].length, Rows(2, 3).size());
}

TEST(PostgreSqlParserTest, MultiStatementQueryPairsEachCompletionInOrder) {
  const std::vector<Chunk> talk = {
      {Side::kClient, Query("INSERT INTO t VALUES (1); SELECT a FROM t; DELETE FROM t")},
      {Side::kServer,
       Complete("INSERT 0 1") + Rows(1, 2) + Complete("SELECT 2") + Complete("DELETE 2") + Ready()},
      {Side::kClient, Query("SELECT 1; SELECT * FROM nope; SELECT 2")},
      {Side::kServer, Rows(1, 1) + Complete("SELECT 1") +
                          Error("42P01", "relation \"nope\" does not exist") + Ready()},
  };
  const Recorded r = FeedAll(talk);
  ASSERT_EQ(r.queries.size(), 6u);
  EXPECT_EQ(r.queries[0].text, "INSERT INTO t VALUES (1)");
  EXPECT_EQ(r.queries[0].affected_rows, 1u);
  EXPECT_EQ(r.queries[1].text, "SELECT a FROM t");
  EXPECT_EQ(r.queries[1].rows, 2u);
  EXPECT_EQ(r.queries[2].text, "DELETE FROM t");
  EXPECT_EQ(r.queries[2].query_type, "DELETE");
  EXPECT_EQ(r.queries[2].affected_rows, 2u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(r.queries[i].request.frame, 1u);
  EXPECT_EQ(r.queries[3].status, QueryStatus::kOk);
  EXPECT_EQ(r.queries[4].status, QueryStatus::kError);
  EXPECT_EQ(r.queries[4].error_code, "42P01");
  EXPECT_EQ(r.queries[5].text, "SELECT 2");
  EXPECT_EQ(r.queries[5].status, QueryStatus::kError);  // never run: the Query stopped
  EXPECT_TRUE(absl::StartsWith(r.queries[5].error_message, "not executed"));
}

TEST(PostgreSqlParserTest, ExtendedProtocolPipelined) {
  const std::vector<Chunk> talk = {
      // Named statement, Describe, Execute; unnamed statement: all before any answer.
      {Side::kClient, Parse("s1", "SELECT $1::int + n FROM nums") + Bind("", "s1") +
                          Describe('P', "") + Execute("") + Sync() +
                          Parse("", "UPDATE t SET a = $1") + Bind("p2", "") + Execute("p2") +
                          Sync()},
      {Side::kServer, Msg('1', "") + Msg('2', "") + RowDesc(1) + DataRow(1, 5) + DataRow(1, 6) +
                          Complete("SELECT 2") + Ready() + Msg('1', "") + Msg('2', "") +
                          Complete("UPDATE 3") + Ready()},
      // A statement prepared on its own (PQprepare), then executed twice.
      {Side::kClient, Parse("ins", "INSERT INTO t VALUES ($1)") + Sync()},
      {Side::kServer, Msg('1', "") + Ready()},
      {Side::kClient,
       Bind("", "ins") + Execute("") + Sync() + Bind("", "ins") + Execute("") + Sync()},
      {Side::kServer, Msg('2', "") + Complete("INSERT 0 1") + Ready() + Msg('2', "") +
                          Complete("INSERT 0 1") + Ready()},
      // A failing Parse: the server skips to Sync; the Execute carries the error.
      {Side::kClient, Parse("", "SELECT nope FROM t") + Bind("", "") + Execute("") + Sync()},
      {Side::kServer, Error("42703", "column \"nope\" does not exist") + Ready()},
  };
  const Recorded r = FeedAll(talk);
  ASSERT_EQ(r.queries.size(), 6u);
  EXPECT_EQ(r.queries[0].command, "Execute");
  EXPECT_EQ(r.queries[0].text, "SELECT $1::int + n FROM nums");
  EXPECT_EQ(r.queries[0].query_type, "SELECT");
  EXPECT_EQ(r.queries[0].rows, 2u);
  EXPECT_EQ(r.queries[0].request.frame, 1u);
  EXPECT_EQ(r.queries[0].response.frame, 2u);
  EXPECT_EQ(r.queries[1].text, "UPDATE t SET a = $1");
  EXPECT_EQ(r.queries[1].affected_rows, 3u);
  EXPECT_EQ(r.queries[2].command, "Parse");
  EXPECT_EQ(r.queries[2].query_type, "PREPARE");
  EXPECT_EQ(r.queries[2].text, "INSERT INTO t VALUES ($1)");
  EXPECT_EQ(r.queries[2].status, QueryStatus::kOk);
  EXPECT_EQ(r.queries[3].text, "INSERT INTO t VALUES ($1)");
  EXPECT_EQ(r.queries[3].query_type, "INSERT");
  EXPECT_EQ(r.queries[4].affected_rows, 1u);
  EXPECT_EQ(r.queries[5].status, QueryStatus::kError);
  EXPECT_EQ(r.queries[5].error_code, "42703");
  EXPECT_EQ(r.queries[5].text, "SELECT nope FROM t");
  EXPECT_EQ(r.client_stop, "");
  EXPECT_EQ(r.server_stop, "");
  // The Describe's RowDescription comes first, the rows are one ResultSet message.
  const std::vector<std::string> types = MessageTypes(r);
  EXPECT_EQ(std::vector<std::string>(types.begin() + 9, types.begin() + 15),
            (std::vector<std::string>{"ParseComplete", "BindComplete", "RowDescription",
                                      "ResultSet", "CommandComplete", "ReadyForQuery"}));
}

TEST(PostgreSqlParserTest, EveryParseOfAPipelineIsAQuery) {
  const std::vector<Chunk> talk = {
      // One group prepares a statement it does not execute and executes another.
      {Side::kClient, Parse("later", "DELETE FROM t WHERE a = $1") + Parse("now", "SELECT 1") +
                          Bind("", "now") + Execute("") + Sync()},
      {Side::kServer,
       Msg('1', "") + Msg('1', "") + Msg('2', "") + DataRow(1, 1) + Complete("SELECT 1") + Ready()},
      // Parse answered after a Flush, executed in a later group (no Sync in between).
      {Side::kClient, Parse("f", "UPDATE t SET a = 1") + Simple('H')},
      {Side::kServer, Msg('1', "")},
      // A notice and a parameter change between the answers.
      {Side::kClient, Bind("", "f") + Execute("") + Sync()},
      {Side::kServer, Msg('2', "") + Msg('N', Z("SNOTICE") + Z("C00000") + Z("Mhello") + Z("")) +
                          ParamStatus("TimeZone", "UTC") + Complete("UPDATE 4") + Ready()},
      // Two statements never executed, in a group whose Execute fails.
      {Side::kClient, Parse("a", "SELECT 2") + Parse("", "SELECT nope") + Bind("", "") +
                          Execute("") + Parse("b", "SELECT 3") + Sync()},
      {Side::kServer, Msg('1', "") + Error("42703", "column \"nope\" does not exist") + Ready()},
  };
  const Recorded r = FeedAll(talk);
  std::vector<std::string> got;
  for (const DbQuery& q : r.queries) {
    got.push_back(absl::StrCat(q.command, " ", q.text, " ", static_cast<int>(q.status)));
  }
  EXPECT_EQ(got, (std::vector<std::string>{
                     "Parse DELETE FROM t WHERE a = $1 0",
                     "Execute SELECT 1 0",
                     "Parse UPDATE t SET a = 1 0",
                     "Execute UPDATE t SET a = 1 0",
                     "Parse SELECT 2 0",
                     "Execute SELECT nope 1",
                     "Parse SELECT 3 1",
                 }));
  EXPECT_EQ(r.queries[3].affected_rows, 4u);
  EXPECT_EQ(r.client_stop, "");
  EXPECT_EQ(r.server_stop, "");
}

TEST(PostgreSqlParserTest, UnusualStartups) {
  const std::string startup_3_2 =
      Untyped(196610, Z("user") + Z("app") + Z("database") + Z("shop") + Z(""));
  const std::vector<Chunk> talk = {
      {Side::kClient, Untyped(80877104)},  // GSSENCRequest
      {Side::kServer, "N"},
      {Side::kClient, startup_3_2},
      {Side::kServer, Msg('v', Be(0, 4) + Be(0, 4)) + Auth(0) + Ready()},
      {Side::kClient, Query("SELECT 1")},
      {Side::kServer, Rows(1, 1) + Complete("SELECT 1") + Ready()},
  };
  const Recorded r = FeedAll(talk);
  ASSERT_EQ(r.queries.size(), 1u);
  EXPECT_EQ(r.queries[0].status, QueryStatus::kOk);
  EXPECT_EQ(r.facts.user, "app");
  EXPECT_EQ(r.facts.database, "shop");
  EXPECT_EQ(r.client_stop, "");
  EXPECT_EQ(r.server_stop, "");
}

TEST(PostgreSqlParserTest, PortalSuspendedAndUnknownPortal) {
  const std::vector<Chunk> talk = {
      {Side::kClient, Execute("cursor_1", 2) + Sync()},  // its Bind was not captured
      {Side::kServer, DataRow(1, 1) + DataRow(1, 2) + Msg('s', "") + Ready('T')},
  };
  const Recorded r = FeedAll(talk);
  ASSERT_EQ(r.queries.size(), 1u);
  EXPECT_EQ(r.queries[0].text, "");
  EXPECT_EQ(r.queries[0].query_type, "OTHER");
  EXPECT_EQ(r.queries[0].rows, 2u);
  EXPECT_EQ(r.queries[0].status, QueryStatus::kOk);
}

TEST(PostgreSqlParserTest, SslAcceptedStopsPolitely) {
  const std::vector<Chunk> talk = {
      {Side::kClient, Untyped(80877103)},
      {Side::kServer, "S"},
      {Side::kClient, "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 client hello bytes"},
      {Side::kServer, "\x16\x03\x03\x00\x7a\x02\x00\x00\x76\x03\x03 server hello bytes"},
  };
  const Recorded r = FeedAll(talk);
  EXPECT_TRUE(r.facts.encrypted);
  EXPECT_EQ(r.facts.encryption, "postgresql_ssl");
  EXPECT_EQ(r.client_stop, "");
  EXPECT_EQ(r.server_stop, "");
  EXPECT_EQ(MessageTypes(r), (std::vector<std::string>{"SSLRequest", "SSLResponse"}));
}

TEST(PostgreSqlParserTest, GssEncryptionAndCancelRequest) {
  Recorded r = FeedAll({{Side::kClient, Untyped(80877104)}, {Side::kServer, "G"}});
  EXPECT_TRUE(r.facts.encrypted);
  EXPECT_EQ(r.facts.encryption, "postgresql_gssenc");
  r = FeedAll({{Side::kClient, Untyped(80877102, Be(4242, 4) + Be(1, 4))}});
  ASSERT_EQ(r.messages.size(), 1u);
  EXPECT_EQ(r.messages[0].type, "CancelRequest");
  EXPECT_EQ(r.messages[0].fields[0].second, "4242");
}

TEST(PostgreSqlParserTest, ScramAndMd5AuthMethods) {
  Recorded r = FeedAll({
      {Side::kClient, Startup("bob", "", "psql")},
      {Side::kServer, Auth(10, Z("SCRAM-SHA-256") + std::string(1, '\0'))},
      {Side::kClient,
       Msg('p', Z("SCRAM-SHA-256") + Be(32, 4) + "n,,n=,r=abcdefghijklmnopqrstuvwx")},
      {Side::kServer, Auth(11, "r=abc,s=salt,i=4096")},
      {Side::kClient, Msg('p', "c=biws,r=abc,p=proof")},
      {Side::kServer, Auth(12, "v=signature") + Auth(0) + Ready()},
  });
  EXPECT_EQ(r.facts.auth_method, "scram-sha-256");
  EXPECT_EQ(r.facts.database, "bob");  // no database parameter: the user name
  EXPECT_TRUE(r.credentials.empty());
  EXPECT_EQ(r.messages[2].type, "SASLInitialResponse");
  EXPECT_EQ(r.messages[4].type, "SASLResponse");
  r = FeedAll({
      {Side::kClient, Startup("carol", "db", "psql")},
      {Side::kServer, Auth(5, "salt")},
      {Side::kClient, Msg('p', Z("md5a3556571e93b0d20722ba62be61e8c2d"))},
      {Side::kServer, Error("28P01", "password authentication failed for user \"carol\"", "FATAL")},
  });
  EXPECT_EQ(r.facts.auth_method, "md5");
  EXPECT_TRUE(r.credentials.empty());
  ASSERT_EQ(r.facts.notes.size(), 1u);
  EXPECT_TRUE(absl::StrContains(r.facts.notes[0], "28P01"));
}

TEST(PostgreSqlParserTest, CopyInAndOut) {
  const std::vector<Chunk> talk = {
      {Side::kClient, Query("COPY t FROM STDIN")},
      {Side::kServer, Msg('G', std::string(1, '\0') + Be(1, 2) + Be(0, 2))},
      {Side::kClient, Msg('d', "1\tapple\n") + Msg('d', "2\tpear\n") + Simple('c')},
      {Side::kServer, Complete("COPY 2") + Ready()},
      {Side::kClient, Query("COPY t TO STDOUT")},
      {Side::kServer, Msg('H', std::string(1, '\0') + Be(1, 2) + Be(0, 2)) + Msg('d', "1\n") +
                          Msg('d', "2\n") + Msg('d', "3\n") + Simple('c') + Complete("COPY 3") +
                          Ready()},
  };
  const Recorded r = FeedAll(talk);
  ASSERT_EQ(r.queries.size(), 2u);
  EXPECT_EQ(r.queries[0].query_type, "COPY");
  EXPECT_TRUE(r.queries[0].has_affected_rows);
  EXPECT_EQ(r.queries[0].affected_rows, 2u);
  EXPECT_TRUE(r.queries[1].has_rows);
  EXPECT_EQ(r.queries[1].rows, 3u);
  EXPECT_EQ(MessageTypes(r), (std::vector<std::string>{
                                 "Query", "CopyInResponse", "CopyData", "CopyDone",
                                 "CommandComplete", "ReadyForQuery", "Query", "CopyOutResponse",
                                 "CopyData", "CopyDone", "CommandComplete", "ReadyForQuery"}));
  EXPECT_EQ(r.messages[2].from, Side::kClient);
  EXPECT_EQ(r.messages[2].length, 2 * 5 + 8u + 7u);
}

TEST(PostgreSqlParserTest, ResultSetOverManySegments) {
  const std::string response = Rows(3, 2000) + Complete("SELECT 2000") + Ready();
  std::vector<Chunk> talk = {{Side::kClient, Query("SELECT * FROM big")}};
  for (size_t i = 0; i < response.size(); i += 1448)
    talk.push_back({Side::kServer, response.substr(i, 1448)});
  const Recorded r = FeedAll(talk);
  ASSERT_EQ(r.queries.size(), 1u);
  EXPECT_EQ(r.queries[0].rows, 2000u);
  EXPECT_EQ(r.queries[0].response.frame, 2u);
  ASSERT_GE(r.messages.size(), 2u);
  EXPECT_EQ(r.messages[1].type, "ResultSet");
  EXPECT_EQ(r.messages[1].summary, "3 columns, 2000 rows");
}

TEST(PostgreSqlParserTest, ResyncsAfterGaps) {
  const std::string rows = Rows(2, 100);
  const std::vector<Chunk> talk = {
      {Side::kClient, Query("SELECT * FROM big")},
      {Side::kServer, rows.substr(0, 500)},
      {Side::kServer, rows.substr(700) + Complete("SELECT 100") + Ready(), /*gap=*/200},
      {Side::kClient, Query("SELECT 'lost one'").substr(3) + Query("SELECT 2"), /*gap=*/3},
      {Side::kServer,
       Rows(1, 1) + Complete("SELECT 1") + Ready() + Rows(1, 1) + Complete("SELECT 1") + Ready()},
  };
  const Recorded r = FeedAll(talk);
  EXPECT_EQ(r.client_stop, "");
  EXPECT_EQ(r.server_stop, "");
  ASSERT_EQ(r.queries.size(), 2u);
  EXPECT_EQ(r.queries[0].status, QueryStatus::kOk);
  EXPECT_EQ(r.queries[0].rows, 100u);  // from the CommandComplete tag, rows were lost
  EXPECT_EQ(r.queries[1].text, "SELECT 2");
}

TEST(PostgreSqlParserTest, GapWithoutAMessageStartStops) {
  const std::vector<Chunk> talk = {
      {Side::kClient, Query("SELECT 1")},
      {Side::kServer, std::string(70000, '\x01'), /*gap=*/10},
  };
  const Recorded r = Feed(MakePostgreSqlParser, talk);
  EXPECT_EQ(r.server_stop, "lost_sync_after_gap");
  ASSERT_EQ(r.queries.size(), 1u);
  EXPECT_EQ(r.queries[0].status, QueryStatus::kNoResponse);
}

TEST(PostgreSqlParserTest, OtherProtocolsAreRejected) {
  const Recorded r = Feed(MakePostgreSqlParser, {{Side::kClient, "GET / HTTP/1.1\r\n\r\n"},
                                                 {Side::kServer, "HTTP/1.1 200 OK\r\n\r\n"}});
  EXPECT_EQ(r.client_stop, "not_recognised");
  EXPECT_EQ(r.server_stop, "not_recognised");
  EXPECT_TRUE(r.messages.empty());
}

TEST(PostgreSqlParserTest, UnansweredAtTheEnd) {
  const Recorded r =
      FeedAll({{Side::kClient, Query("SELECT pg_sleep(100); SELECT 2")},
               {Side::kClient, Parse("", "SELECT 3") + Bind("", "") + Execute("") + Sync()}});
  ASSERT_EQ(r.queries.size(), 3u);
  for (const DbQuery& q : r.queries) {
    EXPECT_EQ(q.status, QueryStatus::kNoResponse) << q.text;
    EXPECT_EQ(q.response.frame, 0u);
  }
  EXPECT_EQ(r.queries[2].text, "SELECT 3");
}

TEST(PostgreSqlParserTest, LongQueriesAreBounded) {
  const std::string sql = "SELECT '" + std::string(100000, 'x') + "'";
  const Recorded r = FeedAll(
      {{Side::kClient, Query(sql)}, {Side::kServer, Rows(1, 1) + Complete("SELECT 1") + Ready()}});
  ASSERT_EQ(r.queries.size(), 1u);
  EXPECT_EQ(r.queries[0].text.size(), kMaxTextBytes);
  EXPECT_TRUE(absl::EndsWith(r.queries[0].text, "..."));
  EXPECT_EQ(r.queries[0].rows, 1u);
  EXPECT_EQ(r.messages[0].length, sql.size() + 6);
}

// Throughput over ~100 MB of synthetic traffic (simple and extended queries with 20-row results,
// 1460-byte segments). A measurement, not a test: run with --gtest_also_run_disabled_tests.
TEST(PostgreSqlParserTest, DISABLED_Throughput) {
  const std::string client =
      Query("SELECT id, name, price, stock FROM items WHERE category = 3 ORDER BY id LIMIT 20") +
      Parse("", "SELECT id, name, price, stock FROM items WHERE category = $1") + Bind("", "") +
      Execute("") + Sync();
  const std::string server = Rows(4, 20) + Complete("SELECT 20") + Ready() + Msg('1', "") +
                             Msg('2', "") + Rows(4, 20) + Complete("SELECT 20") + Ready();
  testing::CountingSink sink;
  FlowFacts facts;
  std::unique_ptr<StreamParser> parser = MakePostgreSqlParser(&sink, &facts);
  StreamFeeder feeder(parser.get());
  const uint64_t target = 100u << 20;
  uint64_t fed = 0;
  uint64_t frame = 0;
  const auto start = std::chrono::steady_clock::now();
  auto feed = [&](Side side, const std::string& bytes) {
    fed += testing::FeedSegments(feeder, side, bytes, 1460, &frame);
  };
  while (fed < target) {
    feed(Side::kClient, client);
    feed(Side::kServer, server);
  }
  feeder.Finish();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("postgresql parser: %.1f MB in %.2f s = %.1f MB/s (%llu queries, %llu messages)\n",
              fed / 1e6, seconds, fed / 1e6 / seconds,
              static_cast<unsigned long long>(sink.queries),
              static_cast<unsigned long long>(sink.messages));
  EXPECT_EQ(feeder.stop_reason(Side::kServer), "");
  EXPECT_EQ(sink.rows, sink.queries * 20);
}

}  // namespace
}  // namespace mcpcap::payload
