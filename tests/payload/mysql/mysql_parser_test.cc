// The MySQL parser on hand-built wire messages (formats from the MySQL client/server protocol
// documentation), fed through the real StreamFeeder in every split mode.
#include "backend/payload/mysql/mysql_parser.h"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/match.h"
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
using testing::SplitMode;
using testing::SplitModeName;

constexpr uint32_t kProtocol41 = 1u << 9;
constexpr uint32_t kSsl = 1u << 11;
constexpr uint32_t kSecureConnection = 1u << 15;
constexpr uint32_t kConnectWithDb = 1u << 3;
constexpr uint32_t kPluginAuth = 1u << 19;
constexpr uint32_t kConnectAttrs = 1u << 20;
constexpr uint32_t kDeprecateEof = 1u << 24;
constexpr uint32_t kMultiResults = 1u << 17;
constexpr uint32_t kBaseCaps = 1 | kProtocol41 | kSecureConnection | kConnectWithDb | kPluginAuth |
                               kConnectAttrs | kMultiResults;
constexpr uint16_t kMoreResults = 0x0008;

std::string Le(uint64_t v, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  return out;
}
std::string Lenenc(uint64_t v) {
  if (v < 251) return std::string(1, static_cast<char>(v));
  if (v < 65536) return "\xfc" + Le(v, 2);
  if (v < (1u << 24)) return "\xfd" + Le(v, 3);
  return "\xfe" + Le(v, 8);
}
std::string LenencStr(const std::string& s) { return Lenenc(s.size()) + s; }
std::string Pkt(uint8_t seq, const std::string& payload) {
  return Le(payload.size(), 3) + std::string(1, static_cast<char>(seq)) + payload;
}

std::string Greeting(uint32_t caps, const std::string& version = "8.0.36",
                     const std::string& plugin = "caching_sha2_password") {
  std::string p = "\x0a" + version + std::string(1, '\0') + Le(42, 4) + "abcdefgh" +
                  std::string(1, '\0') + Le(caps & 0xFFFF, 2) + "\x21" + Le(2, 2) +
                  Le(caps >> 16, 2) + "\x15" + std::string(10, '\0') + "ijklmnopqrst" +
                  std::string(1, '\0') + plugin + std::string(1, '\0');
  return Pkt(0, p);
}

std::string Login(uint32_t caps, const std::string& user, const std::string& db,
                  const std::string& plugin, const std::string& auth, uint8_t seq = 1) {
  std::string p = Le(caps, 4) + Le(1 << 24, 4) + "\x21" + std::string(23, '\0') + user +
                  std::string(1, '\0') + std::string(1, static_cast<char>(auth.size())) + auth;
  if (caps & kConnectWithDb) p += db + std::string(1, '\0');
  if (caps & kPluginAuth) p += plugin + std::string(1, '\0');
  if (caps & kConnectAttrs) {
    const std::string attrs = LenencStr("_client_name") + LenencStr("libmysql") +
                              LenencStr("_client_version") + LenencStr("8.0.36");
    p += LenencStr(attrs);
  }
  return Pkt(seq, p);
}

std::string Ok(uint8_t seq, uint64_t affected, uint16_t status = 2, uint8_t header = 0) {
  return Pkt(seq, std::string(1, static_cast<char>(header)) + Lenenc(affected) + Lenenc(0) +
                      Le(status, 2) + Le(0, 2));
}
std::string Err(uint8_t seq, uint16_t code, const std::string& state, const std::string& msg) {
  return Pkt(seq, "\xff" + Le(code, 2) + "#" + state + msg);
}
std::string Eof(uint8_t seq, uint16_t status = 2) {
  return Pkt(seq, "\xfe" + Le(0, 2) + Le(status, 2));
}
std::string Query(const std::string& sql) { return Pkt(0, "\x03" + sql); }
std::string Command(uint8_t command, const std::string& arg = "") {
  return Pkt(0, std::string(1, static_cast<char>(command)) + arg);
}
std::string ColumnDef(uint8_t seq, const std::string& name) {
  return Pkt(seq, LenencStr("def") + LenencStr("shop") + LenencStr("t") + LenencStr("t") +
                      LenencStr(name) + LenencStr(name) + "\x0c" + Le(33, 2) + Le(40, 4) + "\xfd" +
                      Le(0, 2) + "\x00" + Le(0, 2));
}

// A text result set: column count, definitions, [EOF], rows, EOF or OK(0xFE).
std::string ResultSet(uint8_t& seq, int columns, int rows, bool deprecate_eof, uint16_t status = 2,
                      bool binary = false) {
  std::string out = Pkt(seq++, Lenenc(columns));
  for (int c = 0; c < columns; ++c) out += ColumnDef(seq++, "c" + std::to_string(c));
  if (!deprecate_eof) out += Eof(seq++);
  for (int r = 0; r < rows; ++r) {
    std::string row;
    if (binary) {
      row = std::string(1, '\0') + std::string((columns + 7 + 2) / 8, '\0');
      for (int c = 0; c < columns; ++c) row += Le(r * 10 + c, 4);
    } else {
      for (int c = 0; c < columns; ++c) row += LenencStr("v" + std::to_string(r * 10 + c));
    }
    out += Pkt(seq++, row);
  }
  out += deprecate_eof ? Ok(seq++, 0, status, 0xFE) : Eof(seq++, status);
  return out;
}
std::string ResultSet(int columns, int rows, bool deprecate_eof, uint16_t status = 2) {
  uint8_t seq = 1;
  return ResultSet(seq, columns, rows, deprecate_eof, status);
}

// Feeds `talk` in every split mode, checks they agree, returns the as-sent result.
Recorded FeedAll(const std::vector<Chunk>& talk) {
  return testing::FeedEverySplit(MakeMySqlParser, talk, {1u, 7u});
}

TEST(MySqlParserTest, LoginQueriesAndResponses) {
  const uint32_t caps = kBaseCaps;  // no CLIENT_DEPRECATE_EOF: EOF packets
  const std::vector<Chunk> talk = {
      {Side::kServer, Greeting(caps)},  // 1
      {Side::kClient,
       Login(caps, "alice", "shop", "mysql_native_password", "0123456789abcdef0123")},
      {Side::kServer, Ok(2, 0)},                                                       // 3
      {Side::kClient, Query("SELECT id, name FROM items")},                            // 4
      {Side::kServer, ResultSet(2, 3, false)},                                         // 5
      {Side::kClient, Query("UPDATE items SET price = 1 WHERE id < 3")},               // 6
      {Side::kServer, Ok(1, 2)},                                                       // 7
      {Side::kClient, Query("SELEC 1")},                                               // 8
      {Side::kServer, Err(1, 1064, "42000", "You have an error in your SQL syntax")},  // 9
      {Side::kClient, Command(0x02, "other")},                                         // 10 INIT_DB
      {Side::kServer, Ok(1, 0)},                                                       // 11
      {Side::kClient, Command(0x0e)},                                                  // 12 PING
      {Side::kServer, Ok(1, 0)},                                                       // 13
      {Side::kClient, Command(0x01)},                                                  // 14 QUIT
  };
  const Recorded r = FeedAll(talk);
  EXPECT_EQ(r.facts.server_version, "8.0.36");
  EXPECT_EQ(r.facts.user, "alice");
  EXPECT_EQ(r.facts.database, "other");  // COM_INIT_DB succeeded
  EXPECT_EQ(r.facts.auth_method, "mysql_native_password");
  EXPECT_EQ(r.facts.client_software, "libmysql 8.0.36");
  EXPECT_FALSE(r.facts.encrypted);
  EXPECT_EQ(r.client_stop, "");
  EXPECT_EQ(r.server_stop, "");
  EXPECT_TRUE(r.credentials.empty());
  EXPECT_EQ(MessageTypes(r),
            (std::vector<std::string>{"Greeting", "Login", "OK", "COM_QUERY", "ResultSet",
                                      "COM_QUERY", "OK", "COM_QUERY", "ERR", "COM_INIT_DB", "OK",
                                      "COM_PING", "OK", "COM_QUIT"}));
  ASSERT_EQ(r.queries.size(), 5u);
  const DbQuery& select = r.queries[0];
  EXPECT_EQ(select.text, "SELECT id, name FROM items");
  EXPECT_EQ(select.command, "COM_QUERY");
  EXPECT_EQ(select.query_type, "SELECT");
  EXPECT_EQ(select.database, "shop");
  EXPECT_EQ(select.status, QueryStatus::kOk);
  EXPECT_TRUE(select.has_rows);
  EXPECT_EQ(select.rows, 3u);
  EXPECT_FALSE(select.has_affected_rows);
  EXPECT_EQ(select.request.frame, 4u);
  EXPECT_EQ(select.response.frame, 5u);
  EXPECT_EQ(r.messages[4].summary, "2 columns, 3 rows");
  EXPECT_EQ(r.messages[4].length, ResultSet(2, 3, false).size());

  const DbQuery& update = r.queries[1];
  EXPECT_EQ(update.query_type, "UPDATE");
  EXPECT_TRUE(update.has_affected_rows);
  EXPECT_EQ(update.affected_rows, 2u);
  EXPECT_FALSE(update.has_rows);

  const DbQuery& bad = r.queries[2];
  EXPECT_EQ(bad.status, QueryStatus::kError);
  EXPECT_EQ(bad.error_code, "1064");
  EXPECT_EQ(bad.error_message, "You have an error in your SQL syntax");
  EXPECT_EQ(bad.query_type, "OTHER");
  EXPECT_EQ(r.messages[8].fields[1], (std::pair<std::string, std::string>{"sql_state", "42000"}));

  EXPECT_EQ(r.queries[3].command, "COM_INIT_DB");
  EXPECT_EQ(r.queries[3].text, "other");
  EXPECT_EQ(r.queries[3].query_type, "USE");
  EXPECT_EQ(r.queries[3].database, "shop");  // the database when it was sent
  EXPECT_EQ(r.queries[4].command, "COM_PING");
  EXPECT_EQ(r.queries[4].query_type, "COMMAND");
  EXPECT_EQ(r.queries[4].database, "other");
}

TEST(MySqlParserTest, DeprecateEofResultSetOverManySegments) {
  const uint32_t caps = kBaseCaps | kDeprecateEof;
  const std::string response = ResultSet(3, 1000, true);
  std::vector<Chunk> talk = {
      {Side::kServer, Greeting(caps)},
      {Side::kClient, Login(caps, "bob", "", "caching_sha2_password", "")},
      {Side::kServer, Ok(2, 0)},
      {Side::kClient, Query("SELECT * FROM big")},
  };
  for (size_t i = 0; i < response.size(); i += 1400) {
    talk.push_back({Side::kServer, response.substr(i, 1400)});
  }
  talk.push_back({Side::kClient, Query("SELECT 1")});
  talk.push_back({Side::kServer, ResultSet(1, 1, true)});
  const Recorded r = FeedAll(talk);
  ASSERT_EQ(r.queries.size(), 2u);
  EXPECT_EQ(r.queries[0].rows, 1000u);
  EXPECT_EQ(r.queries[0].response.frame, 5u);  // where the response began
  EXPECT_EQ(r.queries[1].rows, 1u);
  EXPECT_EQ(r.queries[1].status, QueryStatus::kOk);
  EXPECT_EQ(r.facts.database, "");
}

TEST(MySqlParserTest, SeveralPacketsInOneSegmentPairInOrder) {
  // No handshake captured: the parser starts in the command phase.
  const std::vector<Chunk> talk = {
      {Side::kClient,
       Query("INSERT INTO t VALUES (1)") + Query("SELECT a FROM t") + Query("DELETE FROM nope")},
      {Side::kServer, Ok(1, 1) + ResultSet(1, 2, false) +
                          Err(1, 1146, "42S02", "Table 'shop.nope' doesn't exist")},
  };
  const Recorded r = FeedAll(talk);
  ASSERT_EQ(r.queries.size(), 3u);
  EXPECT_EQ(r.queries[0].affected_rows, 1u);
  EXPECT_EQ(r.queries[1].rows, 2u);
  EXPECT_EQ(r.queries[2].status, QueryStatus::kError);
  EXPECT_EQ(r.queries[2].error_code, "1146");
  for (const DbQuery& q : r.queries) {
    EXPECT_EQ(q.request.frame, 1u);
    EXPECT_EQ(q.response.frame, 2u);
  }
}

TEST(MySqlParserTest, MultiResultSets) {
  uint8_t seq = 1;
  std::string response = ResultSet(seq, 1, 2, false, 2 | kMoreResults);
  response += ResultSet(seq, 2, 1, false, 2 | kMoreResults);
  response += Ok(seq++, 0);
  const std::vector<Chunk> talk = {
      {Side::kClient, Query("CALL report()")},
      {Side::kServer, response},
      {Side::kClient, Query("SELECT 1; UPDATE t SET a = 1")},
      {Side::kServer, ResultSet(1, 1, false, 2 | kMoreResults) + Ok(4, 5)},
  };
  const Recorded r = FeedAll(talk);
  ASSERT_EQ(r.queries.size(), 2u);
  EXPECT_EQ(r.queries[0].query_type, "CALL");
  EXPECT_TRUE(r.queries[0].has_rows);
  EXPECT_EQ(r.queries[0].rows, 3u);  // over both result sets
  EXPECT_TRUE(r.queries[0].has_affected_rows);
  EXPECT_EQ(r.queries[1].rows, 1u);
  EXPECT_EQ(r.queries[1].affected_rows, 5u);
  EXPECT_EQ(MessageTypes(r), (std::vector<std::string>{"COM_QUERY", "ResultSet", "ResultSet", "OK",
                                                       "COM_QUERY", "ResultSet", "OK"}));
}

TEST(MySqlParserTest, PreparedStatementsCarryTheirText) {
  const uint32_t caps = kBaseCaps;
  std::string prepare_ok = Pkt(
      1, std::string("\x00", 1) + Le(7, 4) + Le(1, 2) + Le(2, 2) + std::string(1, '\0') + Le(0, 2));
  prepare_ok += ColumnDef(2, "?") + ColumnDef(3, "?") + Eof(4) + ColumnDef(5, "qty") + Eof(6);
  uint8_t seq = 1;
  const std::string binary_rows = ResultSet(seq, 1, 4, false, 2, /*binary=*/true);
  const std::string execute = Le(7, 4) + std::string(1, '\0') + Le(1, 4);
  const std::vector<Chunk> talk = {
      {Side::kServer, Greeting(caps)},
      {Side::kClient, Login(caps, "app", "shop", "mysql_native_password", "x")},
      {Side::kServer, Ok(2, 0)},
      {Side::kClient, Command(0x16, "SELECT qty FROM stock WHERE id = ? AND qty > ?")},  // 4
      {Side::kServer, prepare_ok},                                                       // 5
      {Side::kClient, Command(0x17, execute)},                                           // 6
      {Side::kServer, binary_rows},                                                      // 7
      {Side::kClient, Command(0x19, Le(7, 4))},                                          // 8 close
      {Side::kClient, Command(0x17, Le(99, 4) + std::string(1, '\0') + Le(1, 4))},       // 9
      {Side::kServer, Err(1, 1243, "HY000", "Unknown prepared statement handler")},
  };
  const Recorded r = FeedAll(talk);
  ASSERT_EQ(r.queries.size(), 3u);
  EXPECT_EQ(r.queries[0].command, "COM_STMT_PREPARE");
  EXPECT_EQ(r.queries[0].query_type, "PREPARE");
  EXPECT_EQ(r.queries[0].status, QueryStatus::kOk);
  EXPECT_EQ(r.queries[1].command, "COM_STMT_EXECUTE");
  EXPECT_EQ(r.queries[1].text, "SELECT qty FROM stock WHERE id = ? AND qty > ?");
  EXPECT_EQ(r.queries[1].query_type, "SELECT");
  EXPECT_EQ(r.queries[1].rows, 4u);
  EXPECT_EQ(r.queries[1].request.frame, 6u);
  EXPECT_EQ(r.queries[1].response.frame, 7u);
  EXPECT_EQ(r.queries[2].text, "");  // statement 99 was never prepared here
  EXPECT_EQ(r.queries[2].query_type, "OTHER");
  EXPECT_EQ(r.queries[2].error_code, "1243");
  EXPECT_EQ(MessageTypes(r),
            (std::vector<std::string>{"Greeting", "Login", "OK", "COM_STMT_PREPARE", "PrepareOK",
                                      "COM_STMT_EXECUTE", "ResultSet", "COM_STMT_CLOSE",
                                      "COM_STMT_EXECUTE", "ERR"}));
  EXPECT_EQ(r.messages[6].summary, "1 column, 4 rows (binary)");
}

TEST(MySqlParserTest, PrepareWithoutHandshakeSwallowsTheFinalEof) {
  // Without the handshake the parser cannot know whether EOFs follow the definitions.
  std::string prepare_ok = Pkt(
      1, std::string("\x00", 1) + Le(3, 4) + Le(1, 2) + Le(0, 2) + std::string(1, '\0') + Le(0, 2));
  prepare_ok += ColumnDef(2, "a") + Eof(3);
  const std::vector<Chunk> talk = {
      {Side::kClient, Command(0x16, "SELECT a FROM t")},
      {Side::kServer, prepare_ok},
      {Side::kClient, Command(0x17, Le(3, 4) + std::string(1, '\0') + Le(1, 4))},
      {Side::kServer, ResultSet(1, 2, false)},
  };
  const Recorded r = FeedAll(talk);
  ASSERT_EQ(r.queries.size(), 2u);
  EXPECT_EQ(r.queries[1].text, "SELECT a FROM t");
  EXPECT_EQ(r.queries[1].rows, 2u);
}

TEST(MySqlParserTest, CursorFetch) {
  // COM_STMT_EXECUTE with a cursor: definitions and an EOF with SERVER_STATUS_CURSOR_EXISTS,
  // then COM_STMT_FETCH returns rows and an EOF.
  std::string open = Pkt(1, Lenenc(1)) + ColumnDef(2, "a") + Eof(3, 2 | 0x0040);
  std::string rows;
  for (int i = 0; i < 3; ++i)
    rows += Pkt(static_cast<uint8_t>(1 + i), std::string(2, '\0') + Le(i, 4));
  rows += Eof(4, 2 | 0x0040);
  const std::vector<Chunk> talk = {
      {Side::kClient, Command(0x17, Le(1, 4) + "\x01" + Le(1, 4))},
      {Side::kServer, open},
      {Side::kClient, Command(0x1c, Le(1, 4) + Le(100, 4))},
      {Side::kServer, rows},
      {Side::kClient, Query("SELECT 1")},
      {Side::kServer, ResultSet(1, 1, false)},
  };
  const Recorded r = FeedAll(talk);
  ASSERT_EQ(r.queries.size(), 3u);
  EXPECT_EQ(r.queries[0].rows, 0u);
  EXPECT_TRUE(r.queries[0].has_rows);
  EXPECT_EQ(r.queries[1].command, "COM_STMT_FETCH");
  EXPECT_EQ(r.queries[1].rows, 3u);
  EXPECT_EQ(r.queries[2].rows, 1u);
}

TEST(MySqlParserTest, SslRequestStopsPolitely) {
  const uint32_t caps = kBaseCaps | kSsl;
  const std::string ssl_request =
      Pkt(1, Le(caps, 4) + Le(1 << 24, 4) + "\x21" + std::string(23, '\0'));
  const std::vector<Chunk> talk = {
      {Side::kServer, Greeting(caps)},
      {Side::kClient, ssl_request},
      {Side::kClient, "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 random client hello bytes"},
      {Side::kServer, "\x16\x03\x03\x00\x7a\x02\x00\x00\x76\x03\x03 server hello and more"},
      {Side::kClient, "\x17\x03\x03\x00\x20 application data that is encrypted........."},
  };
  const Recorded r = FeedAll(talk);
  EXPECT_TRUE(r.facts.encrypted);
  EXPECT_EQ(r.facts.encryption, "mysql_tls");
  EXPECT_EQ(r.client_stop, "");
  EXPECT_EQ(r.server_stop, "");
  EXPECT_EQ(MessageTypes(r), (std::vector<std::string>{"Greeting", "SSLRequest"}));
  EXPECT_TRUE(r.queries.empty());
}

TEST(MySqlParserTest, ClearTextPasswordIsReportedMasked) {
  const uint32_t caps = kBaseCaps;
  // The client offers mysql_clear_password in its login.
  const std::vector<Chunk> direct = {
      {Side::kServer, Greeting(caps)},
      {Side::kClient,
       Login(caps, "carol", "db", "mysql_clear_password", std::string("hunter2\0", 8))},
      {Side::kServer, Ok(2, 0)},
  };
  Recorded r = FeedAll(direct);
  ASSERT_EQ(r.credentials.size(), 1u);
  EXPECT_EQ(r.credentials[0].kind, "mysql_cleartext_password");
  EXPECT_EQ(r.credentials[0].user, "carol");
  EXPECT_EQ(r.credentials[0].from, Side::kClient);
  EXPECT_EQ(r.credentials[0].at.frame, 2u);
  EXPECT_FALSE(absl::StrContains(r.credentials[0].evidence, "hunter2"));
  EXPECT_TRUE(absl::StrContains(r.credentials[0].evidence, MaskSecret("hunter2")));
  EXPECT_EQ(r.facts.auth_method, "mysql_clear_password");

  // The server switches the client to mysql_clear_password (PAM, LDAP).
  const std::vector<Chunk> switched = {
      {Side::kServer, Greeting(caps)},
      {Side::kClient, Login(caps, "dave", "db", "mysql_native_password", "01234567890123456789")},
      {Side::kServer, Pkt(2, "\xfe" + std::string("mysql_clear_password") + std::string(1, '\0'))},
      {Side::kClient, Pkt(3, std::string("correct horse\0", 14))},
      {Side::kServer, Ok(4, 0)},
      {Side::kClient, Query("SELECT 1")},
      {Side::kServer, ResultSet(1, 1, false)},
  };
  r = FeedAll(switched);
  ASSERT_EQ(r.credentials.size(), 1u);
  EXPECT_EQ(r.credentials[0].user, "dave");
  EXPECT_EQ(r.credentials[0].at.frame, 4u);
  EXPECT_FALSE(absl::StrContains(r.credentials[0].evidence, "horse"));
  EXPECT_EQ(r.facts.auth_method, "mysql_clear_password");
  EXPECT_EQ(MessageTypes(r),
            (std::vector<std::string>{"Greeting", "Login", "AuthSwitchRequest", "AuthData", "OK",
                                      "COM_QUERY", "ResultSet"}));
  ASSERT_EQ(r.queries.size(), 1u);
}

TEST(MySqlParserTest, FailedLoginIsNoted) {
  const uint32_t caps = kBaseCaps;
  const std::vector<Chunk> talk = {
      {Side::kServer, Greeting(caps)},
      {Side::kClient, Login(caps, "eve", "db", "mysql_native_password", "01234567890123456789")},
      {Side::kServer, Err(2, 1045, "28000", "Access denied for user 'eve'@'localhost'")},
  };
  const Recorded r = FeedAll(talk);
  EXPECT_TRUE(r.queries.empty());
  ASSERT_EQ(r.facts.notes.size(), 1u);
  EXPECT_TRUE(absl::StrContains(r.facts.notes[0], "login failed: ERR 1045"));
}

TEST(MySqlParserTest, LocalInfile) {
  const std::vector<Chunk> talk = {
      {Side::kClient, Query("LOAD DATA LOCAL INFILE '/etc/passwd' INTO TABLE t")},
      {Side::kServer, Pkt(1, "\xfb/etc/passwd")},
      {Side::kClient, Pkt(2, "root:x:0:0:root:/root:/bin/bash\n") + Pkt(3, "")},
      {Side::kServer, Ok(4, 1)},
      {Side::kClient, Query("SELECT 1")},
      {Side::kServer, ResultSet(1, 1, false)},
  };
  const Recorded r = FeedAll(talk);
  ASSERT_EQ(r.queries.size(), 2u);
  EXPECT_EQ(r.queries[0].status, QueryStatus::kOk);
  EXPECT_EQ(r.queries[0].affected_rows, 1u);
  EXPECT_EQ(r.queries[0].response.frame, 2u);
  EXPECT_EQ(MessageTypes(r),
            (std::vector<std::string>{"COM_QUERY", "LocalInfileRequest", "LocalInfileData", "OK",
                                      "COM_QUERY", "ResultSet"}));
  ASSERT_EQ(r.facts.notes.size(), 1u);
  EXPECT_TRUE(absl::StrContains(r.facts.notes[0], "/etc/passwd"));
}

TEST(MySqlParserTest, PacketsOf16MiBAreSkipped) {
  // A 16 MiB + 10 byte query: a 0xFFFFFF-long packet, then the rest in the next one.
  const std::string sql =
      "INSERT INTO blobs VALUES ('" + std::string(0xFFFFFF + 10 - 29, 'x') + "')";
  const std::string first = "\x03" + sql.substr(0, 0xFFFFFF - 1);
  const std::string wire = Pkt(0, first) + Pkt(1, sql.substr(0xFFFFFF - 1));
  const std::vector<Chunk> talk = {
      {Side::kClient, wire},
      {Side::kServer, Ok(2, 1)},
      {Side::kClient, Query("SELECT 1")},
      {Side::kServer, ResultSet(1, 1, false)},
  };
  for (SplitMode mode : {SplitMode::kAsSent, SplitMode::kRandom}) {
    const Recorded r = Feed(MakeMySqlParser, talk, mode);
    ASSERT_EQ(r.queries.size(), 2u) << SplitModeName(mode);
    EXPECT_EQ(r.queries[0].text.size(), kMaxTextBytes);
    EXPECT_TRUE(absl::EndsWith(r.queries[0].text, "...")) << SplitModeName(mode);
    EXPECT_TRUE(absl::StartsWith(r.queries[0].text, "INSERT INTO blobs"));
    EXPECT_EQ(r.queries[0].affected_rows, 1u);
    EXPECT_EQ(r.queries[1].rows, 1u);
    EXPECT_EQ(r.messages[0].length, 4u + 0xFFFFFF);  // the first packet
    EXPECT_EQ(r.client_stop, "");
  }
}

TEST(MySqlParserTest, ResyncsAfterAGapInAResultSet) {
  const std::string big = ResultSet(2, 50, false);
  const size_t lost_at = 300;
  const std::vector<Chunk> talk = {
      {Side::kClient, Query("SELECT * FROM big")},
      {Side::kServer, big.substr(0, lost_at)},
      {Side::kServer, big.substr(lost_at + 100), /*gap=*/100},
      {Side::kClient, Query("UPDATE t SET a = 2")},
      {Side::kServer, Ok(1, 7)},
  };
  const Recorded r = FeedAll(talk);
  EXPECT_EQ(r.server_stop, "");
  ASSERT_EQ(r.queries.size(), 2u);
  EXPECT_EQ(r.queries[0].status, QueryStatus::kNoResponse);  // its response was cut by the gap
  EXPECT_EQ(r.queries[1].status, QueryStatus::kOk);
  EXPECT_EQ(r.queries[1].affected_rows, 7u);
  EXPECT_EQ(r.queries[1].response.frame, 5u);
}

TEST(MySqlParserTest, ResyncsAfterAClientGap) {
  const std::string lost = Query("SELECT 'lost'");
  const std::vector<Chunk> talk = {
      {Side::kClient, Query("SELECT 1")},
      {Side::kServer, ResultSet(1, 1, false)},
      {Side::kClient, lost.substr(5) + Query("SELECT 2"), /*gap=*/5},
      {Side::kServer, ResultSet(1, 1, false) + ResultSet(1, 1, false)},
  };
  const Recorded r = FeedAll(talk);
  EXPECT_EQ(r.client_stop, "");
  ASSERT_EQ(r.queries.size(), 2u);
  EXPECT_EQ(r.queries[1].text, "SELECT 2");
}

TEST(MySqlParserTest, GapWithNoPacketStartStops) {
  const std::vector<Chunk> talk = {
      {Side::kClient, Query("SELECT 1")},
      {Side::kClient, std::string(70000, '\x07'), /*gap=*/10},
  };
  const Recorded r = Feed(MakeMySqlParser, talk);
  EXPECT_EQ(r.client_stop, "lost_sync_after_gap");
  ASSERT_EQ(r.queries.size(), 1u);
  EXPECT_EQ(r.queries[0].status, QueryStatus::kNoResponse);
}

TEST(MySqlParserTest, OtherProtocolsAreRejected) {
  const std::vector<Chunk> http = {{Side::kClient, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"},
                                   {Side::kServer, "HTTP/1.1 200 OK\r\n\r\n"}};
  Recorded r = Feed(MakeMySqlParser, http);
  EXPECT_EQ(r.client_stop, "");  // a 2 MB "packet" that never completes: waits, no event
  EXPECT_TRUE(r.queries.empty());
  // A server whose first packet is no greeting, a client with an unknown command.
  const std::vector<Chunk> junk = {{Side::kServer, Pkt(0, "\x42junk")},
                                   {Side::kClient, Pkt(0, "\x99junk")}};
  r = Feed(MakeMySqlParser, junk);
  EXPECT_EQ(r.server_stop, "not_recognised");
  EXPECT_EQ(r.client_stop, "not_recognised");
}

TEST(MySqlParserTest, UnansweredQueriesAtTheEnd) {
  const std::vector<Chunk> talk = {{Side::kClient, Query("SELECT SLEEP(100)")}};
  const Recorded r = FeedAll(talk);
  ASSERT_EQ(r.queries.size(), 1u);
  EXPECT_EQ(r.queries[0].status, QueryStatus::kNoResponse);
  EXPECT_EQ(r.queries[0].response.frame, 0u);
}

TEST(MySqlParserTest, MariaDbVersionPrefixAndProgressReports) {
  const uint32_t caps = kBaseCaps & ~1u;  // MariaDB: no CLIENT_MYSQL
  const std::vector<Chunk> talk = {
      {Side::kServer, Greeting(caps, "5.5.5-10.11.6-MariaDB-0+deb12u1", "mysql_native_password")},
      {Side::kClient, Login(caps, "app", "shop", "mysql_native_password", "x")},
      {Side::kServer, Ok(2, 0)},
      {Side::kClient, Query("ALTER TABLE t ADD c INT")},
      {Side::kServer,
       Pkt(1, "\xff\xff\xff\x01\x01\x02\x10\x00\x00" + LenencStr("copy to tmp table")) + Ok(2, 0)},
  };
  const Recorded r = FeedAll(talk);
  EXPECT_EQ(r.facts.server_version, "10.11.6-MariaDB-0+deb12u1");
  ASSERT_EQ(r.queries.size(), 1u);
  EXPECT_EQ(r.queries[0].status, QueryStatus::kOk);
  EXPECT_EQ(r.queries[0].query_type, "DDL");
}

TEST(MySqlParserTest, CommentsBeforeAQueryAndUseStatements) {
  const uint32_t caps = kBaseCaps & ~kConnectWithDb;  // no database in the login
  const std::vector<Chunk> talk = {
      {Side::kServer, Greeting(caps)},
      {Side::kClient, Login(caps, "app", "", "caching_sha2_password", "x")},
      {Side::kServer, Ok(2, 0)},
      {Side::kClient, Query("SELECT name FROM items")},                // 4
      {Side::kServer, Err(1, 1046, "3D000", "No database selected")},  // 5
      {Side::kClient, Query("/* app=web */ USE shop")},                // 6
      {Side::kServer, Ok(1, 0)},                                       // 7
      {Side::kClient, Query("-- c\nSELECT 2")},                        // 8
      {Side::kServer, ResultSet(1, 1, false)},                         // 9
      {Side::kClient, Query("# c\nSELECT 3")},                         // 10
      {Side::kServer, ResultSet(1, 1, false)},                         // 11
      {Side::kClient, Query("\n \t /* plain */ SELECT 4")},            // 12
      {Side::kServer, ResultSet(1, 1, false)},                         // 13
      {Side::kClient, Query("use `stock` /* c */; SELECT 1")},         // 14
      {Side::kServer, Ok(1, 0, 2 | kMoreResults)},                     // 15
      {Side::kServer,
       [] {
         uint8_t seq = 2;
         return ResultSet(seq, 1, 1, false);
       }()},                                                        // 16
      {Side::kClient, Query("USE")},                                // 17: no name
      {Side::kServer, Err(1, 1064, "42000", "You have an error")},  // 18
  };
  const Recorded r = FeedAll(talk);
  ASSERT_EQ(r.queries.size(), 7u);
  EXPECT_EQ(r.queries[0].status, QueryStatus::kError);
  EXPECT_EQ(r.queries[0].error_code, "1046");
  EXPECT_EQ(r.queries[0].database, "");
  EXPECT_TRUE(r.queries[0].database_known);
  EXPECT_EQ(r.queries[1].query_type, "USE");
  EXPECT_EQ(r.queries[1].database, "");
  EXPECT_EQ(r.queries[2].text, "-- c\nSELECT 2");
  EXPECT_EQ(r.queries[2].query_type, "SELECT");
  EXPECT_EQ(r.queries[2].database, "shop");
  EXPECT_EQ(r.queries[2].rows, 1u);
  EXPECT_EQ(r.queries[3].query_type, "SELECT");
  EXPECT_EQ(r.queries[4].query_type, "SELECT");
  EXPECT_EQ(r.queries[5].query_type, "USE");
  EXPECT_EQ(r.queries[5].status, QueryStatus::kOk);
  EXPECT_EQ(r.queries[6].status, QueryStatus::kError);
  EXPECT_EQ(r.queries[6].database, "stock");
  EXPECT_EQ(r.facts.database, "stock");
}

// A multi-statement is answered by one result per statement: the OK of the n-th result is the
// n-th statement's, so a USE anywhere in it switches the database when its OK comes. After a CALL
// (which may send several results) the statements are not followed.
TEST(MySqlParserTest, UseInsideMultiStatements) {
  const uint32_t caps = kBaseCaps;
  const auto rows_then_ok = [](uint16_t more) {
    uint8_t seq = 1;
    std::string out = ResultSet(seq, 1, 1, false, 2 | kMoreResults);
    return out + Ok(seq, 0, 2 | more);
  };
  const std::vector<Chunk> talk = {
      {Side::kServer, Greeting(caps)},
      {Side::kClient, Login(caps, "app", "shop", "caching_sha2_password", "x")},
      {Side::kServer, Ok(2, 0)},
      {Side::kClient, Query("SELECT 2; USE stock")},           // 4
      {Side::kServer, rows_then_ok(0)},                        // 5
      {Side::kClient, Query("SELECT 1")},                      // 6
      {Side::kServer, ResultSet(1, 1, false)},                 // 7
      {Side::kClient, Query("USE `a``b`; USE \"c\"")},         // 8
      {Side::kServer, Ok(1, 0, 2 | kMoreResults) + Ok(2, 0)},  // 9
      {Side::kClient, Query("SELECT 1")},                      // 10
      {Side::kServer, ResultSet(1, 1, false)},                 // 11
      {Side::kClient, Query("CALL p(); USE other")},           // 12
      {Side::kServer, rows_then_ok(kMoreResults) + Ok(4, 0)},  // 13
      {Side::kClient, Query("SELECT 1")},                      // 14
      {Side::kServer, ResultSet(1, 1, false)},                 // 15
  };
  const Recorded r = FeedAll(talk);
  ASSERT_EQ(r.queries.size(), 6u);
  EXPECT_EQ(r.queries[0].database, "shop");
  EXPECT_EQ(r.queries[0].query_type, "SELECT");
  EXPECT_EQ(r.queries[1].database, "stock");  // the second statement's OK switched it
  EXPECT_EQ(r.queries[2].query_type, "USE");
  EXPECT_EQ(r.queries[3].database, "c");  // the last USE wins
  EXPECT_EQ(r.queries[4].status, QueryStatus::kOk);
  EXPECT_EQ(r.queries[5].database, "c");  // not followed past the CALL
  EXPECT_EQ(r.facts.database, "c");
}

// COM_QUERY under CLIENT_QUERY_ATTRIBUTES: parameter_count, parameter_set_count, then (count > 0)
// the NULL bitmap, new_params_bind_flag, types and names, and the non-NULL values.
std::string Attributes(const std::vector<std::pair<uint16_t, std::string>>& typed_names,
                       uint8_t null_bitmap, const std::string& values) {
  std::string out = Lenenc(typed_names.size()) + Lenenc(1);
  if (typed_names.empty()) return out;
  out += std::string(1, static_cast<char>(null_bitmap)) + "\x01";
  for (const auto& [type, name] : typed_names) out += Le(type, 2) + LenencStr(name);
  return out + values;
}

TEST(MySqlParserTest, QueryAttributesPrecedeTheText) {
  constexpr uint32_t kQueryAttributes = 1u << 27;
  const uint32_t caps = kBaseCaps | kDeprecateEof | kQueryAttributes;
  const std::string none = Attributes({}, 0, "");
  // A string, a NULL (no value), a LONGLONG (8 bytes), a DATETIME (length-prefixed).
  const std::string four =
      Attributes({{0xFE, "traceparent"}, {0x0F, "gone"}, {0x08, "retry"}, {0x0C, "at"}}, 0x02,
                 LenencStr("00-abc-01") + Le(3, 8) + "\x04" + Le(2026, 2) + "\x0c\x07");
  const std::vector<Chunk> talk = {
      {Side::kServer, Greeting(caps)},
      {Side::kClient, Login(caps, "app", "shop", "caching_sha2_password", "x")},
      {Side::kServer, Ok(2, 0)},
      {Side::kClient, Pkt(0, "\x03" + none + "SELECT 1")},
      {Side::kServer, ResultSet(1, 1, true)},
      {Side::kClient, Pkt(0, "\x03" + four + "SELECT name FROM items")},
      {Side::kServer, ResultSet(1, 2, true)},
      // A value longer than the packet: the attributes are malformed, the text unknown.
      {Side::kClient,
       Pkt(0, "\x03" + Attributes({{0xFE, "n"}}, 0, std::string("\xfc\xff\x00", 3)) + "SELECT 9")},
      {Side::kServer, ResultSet(1, 1, true)},
  };
  const Recorded r = FeedAll(talk);
  ASSERT_EQ(r.queries.size(), 3u);
  EXPECT_EQ(r.queries[0].text, "SELECT 1");
  EXPECT_EQ(r.queries[1].text, "SELECT name FROM items");
  EXPECT_EQ(r.queries[1].query_type, "SELECT");
  EXPECT_EQ(r.queries[1].rows, 2u);
  EXPECT_EQ(r.queries[2].text, "");
}

TEST(MySqlParserTest, QueryAttributesWithoutTheHandshake) {
  // Mid-connection: no capabilities known; the attributes' shape gives them away.
  const std::vector<Chunk> talk = {
      {Side::kClient, Pkt(0, "\x03" + Attributes({}, 0, "") + "SELECT 1")},
      {Side::kServer, ResultSet(1, 1, false)},
      {Side::kClient, Pkt(0, "\x03" + Attributes({{0xFE, "a"}}, 0, LenencStr("b")) + "SELECT 2")},
      {Side::kServer, ResultSet(1, 1, false)},
      {Side::kClient, Query("\tSELECT 3")},
      {Side::kServer, ResultSet(1, 1, false)},
  };
  const Recorded r = FeedAll(talk);
  ASSERT_EQ(r.queries.size(), 3u);
  EXPECT_EQ(r.queries[0].text, "SELECT 1");
  EXPECT_EQ(r.queries[1].text, "SELECT 2");
  EXPECT_EQ(r.queries[2].text, "\tSELECT 3");
  EXPECT_FALSE(r.queries[0].database_known);
}

// Counts events without keeping them.
// Throughput over ~100 MB of synthetic traffic (queries with 20-row result sets, 1460-byte
// segments). A measurement, not a test: run with --gtest_also_run_disabled_tests.
TEST(MySqlParserTest, DISABLED_Throughput) {
  std::string client;
  std::string server;
  for (int i = 0; i < 8; ++i) {
    client +=
        Query("SELECT id, name, price, stock FROM items WHERE category = " + std::to_string(i) +
              " ORDER BY id LIMIT 20");
    server += ResultSet(4, 20, false);
  }
  testing::CountingSink sink;
  FlowFacts facts;
  std::unique_ptr<StreamParser> parser = MakeMySqlParser(&sink, &facts);
  StreamFeeder feeder(parser.get());
  const uint64_t target = 100u << 20;
  uint64_t fed = 0;
  uint64_t frame = 0;
  const auto start = std::chrono::steady_clock::now();
  auto feed = [&](Side side, const std::string& bytes) {
    fed += testing::FeedSegments(feeder, side, bytes, 1460, &frame);
  };
  while (fed < target) {
    // Strict request/response: each query, then its result set.
    size_t c = 0;
    size_t s = 0;
    for (int i = 0; i < 8; ++i) {
      const size_t cn = static_cast<size_t>(client[c]) | static_cast<size_t>(client[c + 1]) << 8;
      feed(Side::kClient, client.substr(c, cn + 4));
      c += cn + 4;
      const size_t sn = server.size() / 8;
      feed(Side::kServer, server.substr(s, sn));
      s += sn;
    }
  }
  feeder.Finish();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("mysql parser: %.1f MB in %.2f s = %.1f MB/s (%llu queries, %llu messages)\n",
              fed / 1e6, seconds, fed / 1e6 / seconds,
              static_cast<unsigned long long>(sink.queries),
              static_cast<unsigned long long>(sink.messages));
  EXPECT_EQ(feeder.stop_reason(Side::kServer), "");
  EXPECT_EQ(sink.rows, sink.queries * 20);
}

}  // namespace
}  // namespace mcpcap::payload
