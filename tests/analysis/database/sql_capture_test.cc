// The MySQL and PostgreSQL parsers inside the capture scan (RunPayloadScan) over real traffic:
// captures recorded on loopback from Debian's MariaDB 10.11 and PostgreSQL 15 with their own
// clients (tests/analysis/payload/data/record_mysql.sh, record_postgresql.sh) on non-standard
// ports, so detection is by content, and zeek's public MySQL and PostgreSQL traces. The expected
// values come from the scripts' statements and the servers' answers printed when recording (rows
// inserted, updated, deleted; error codes).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "backend/analysis/payload/payload_scan.h"
#include "gtest/gtest.h"

namespace mcpcap {
namespace {

using payload::DbQuery;
using payload::Protocol;
using payload::QueryStatus;

constexpr int64_t kNone = -1;  // no rows / no affected rows reported

struct Expected {
  std::string command;
  std::string text;  // exact, or a prefix when it ends with "*"
  std::string query_type;
  QueryStatus status = QueryStatus::kOk;
  std::string error_code;
  int64_t rows = kNone;
  int64_t affected = kNone;
};

PayloadScanResult Scan(const std::string& path) {
  AnalysisInput input;
  input.source = input.local_path = path;
  PayloadScanOptions options;
  options.max_messages_per_flow = 10000;
  absl::StatusOr<PayloadScanResult> result = RunPayloadScan(input, options);
  EXPECT_TRUE(result.ok()) << path << ": " << result.status();
  return result.ok() ? std::move(*result) : PayloadScanResult{};
}

std::string Data(const std::string& name) {
  return std::string(MCPCAP_PAYLOAD_TEST_DATA) + "/" + name;
}

void ExpectQueries(const std::vector<DbQuery>& got, const std::vector<Expected>& want,
                   const std::string& where) {
  ASSERT_EQ(got.size(), want.size()) << where;
  for (size_t i = 0; i < want.size(); ++i) {
    const DbQuery& q = got[i];
    const Expected& e = want[i];
    const std::string at = where + " query " + std::to_string(i) + " " + q.text;
    EXPECT_EQ(q.command, e.command) << at;
    if (absl::EndsWith(e.text, "*")) {
      EXPECT_TRUE(absl::StartsWith(q.text, e.text.substr(0, e.text.size() - 1))) << at;
    } else {
      EXPECT_EQ(q.text, e.text) << at;
    }
    EXPECT_EQ(q.query_type, e.query_type) << at;
    EXPECT_EQ(q.status, e.status) << at;
    EXPECT_EQ(q.error_code, e.error_code) << at;
    EXPECT_EQ(q.has_rows, e.rows != kNone) << at;
    if (e.rows != kNone) {
      EXPECT_EQ(q.rows, static_cast<uint64_t>(e.rows)) << at;
    }
    EXPECT_EQ(q.has_affected_rows, e.affected != kNone) << at;
    if (e.affected != kNone) {
      EXPECT_EQ(q.affected_rows, static_cast<uint64_t>(e.affected)) << at;
    }
    EXPECT_NE(q.request.frame, 0u) << at;
    if (q.status != QueryStatus::kNoResponse) {
      EXPECT_GT(q.response.frame, q.request.frame) << at;
    }
  }
}

// The flows of `protocol`, in capture order; each parsed without a stop.
std::vector<const PayloadFlowResult*> Flows(const PayloadScanResult& r, Protocol protocol) {
  std::vector<const PayloadFlowResult*> out;
  for (const PayloadFlowResult& f : r.flows) {
    if (f.detection.protocol != protocol) continue;
    EXPECT_TRUE(f.parsed);
    EXPECT_EQ(f.client_stop_reason, "") << f.client_port;
    EXPECT_EQ(f.server_stop_reason, "") << f.client_port;
    out.push_back(&f);
  }
  return out;
}

const payload::AppMessage* FindMessage(const PayloadFlowResult& f, const std::string& type) {
  for (const payload::AppMessage& m : f.messages) {
    if (m.type == type) return &m;
  }
  return nullptr;
}

TEST(SqlCaptureTest, MySqlSession) {
  const PayloadScanResult r = Scan(Data("mysql_session.pcap"));
  const auto flows = Flows(r, Protocol::kMySql);
  ASSERT_EQ(flows.size(), 1u);
  const PayloadFlowResult& f = *flows[0];
  EXPECT_EQ(f.server_port, 13306);
  EXPECT_EQ(f.facts.server_version, "10.11.19-MariaDB-0+deb12u1");
  EXPECT_EQ(f.facts.user, "app");
  EXPECT_EQ(f.facts.database, "shop");
  EXPECT_EQ(f.facts.auth_method, "mysql_native_password");
  EXPECT_EQ(f.facts.client_software, "mysql");
  EXPECT_FALSE(f.facts.encrypted);
  ExpectQueries(
      f.queries,
      {
          {"COM_QUERY",
           "CREATE TABLE items (id INT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(40), "
           "price DECIMAL(8,2))",
           "DDL", QueryStatus::kOk, "", kNone, 0},
          {"COM_QUERY",
           "INSERT INTO items (name, price) VALUES ('apple', 1.20), ('pear', 0.80), "
           "('plum', 2.50)",
           "INSERT", QueryStatus::kOk, "", kNone, 3},
          {"COM_QUERY", "INSERT INTO items (name, price) VALUES ('kiwi', 3.10)", "INSERT",
           QueryStatus::kOk, "", kNone, 1},
          {"COM_QUERY", "SELECT id, name, price FROM items ORDER BY id", "SELECT", QueryStatus::kOk,
           "", 4, kNone},
          {"COM_QUERY", "UPDATE items SET price = price + 1 WHERE price < 2", "UPDATE",
           QueryStatus::kOk, "", kNone, 2},
          {"COM_QUERY", "DELETE FROM items WHERE name = 'plum'", "DELETE", QueryStatus::kOk, "",
           kNone, 1},
          {"COM_QUERY", "SELECT * FROM missing_table", "SELECT", QueryStatus::kError, "1146", kNone,
           kNone},
          {"COM_QUERY", "SELEC 1", "OTHER", QueryStatus::kError, "1064", kNone, kNone},
          // The CLI asks for the current database after "USE shop;", then sends COM_INIT_DB.
          {"COM_QUERY", "SELECT DATABASE()", "SELECT", QueryStatus::kOk, "", 1, kNone},
          {"COM_INIT_DB", "shop", "USE", QueryStatus::kOk, "", kNone, 0},
          // Two statements in one COM_QUERY (DELIMITER //): two result sets, rows added up.
          {"COM_QUERY", "SELECT COUNT(*) FROM items; SELECT name FROM items WHERE id = 1", "SELECT",
           QueryStatus::kOk, "", 2, kNone},
          {"COM_QUERY", "CREATE TABLE fruit (id INT, name VARCHAR(10), price DECIMAL(8,2))", "DDL",
           QueryStatus::kOk, "", kNone, 0},
          {"COM_QUERY", "LOAD DATA LOCAL INFILE '*", "OTHER", QueryStatus::kOk, "", kNone, 2},
          {"COM_QUERY", "SELECT name FROM fruit", "SELECT", QueryStatus::kOk, "", 2, kNone},
      },
      "mysql_session");
  ASSERT_EQ(f.queries.size(), 14u);
  EXPECT_EQ(f.queries[6].error_message, "Table 'shop.missing_table' doesn't exist");
  EXPECT_EQ(f.queries[0].request.frame, 9u);  // as tshark numbers them
  EXPECT_EQ(f.queries[0].response.frame, 11u);
  EXPECT_TRUE(
      absl::EndsWith(f.queries[12].text, "/fruit.csv' INTO TABLE fruit FIELDS TERMINATED BY ','"));
  const payload::AppMessage* infile = FindMessage(f, "LocalInfileRequest");
  ASSERT_NE(infile, nullptr);
  EXPECT_TRUE(absl::EndsWith(infile->summary, "/fruit.csv"));
  ASSERT_EQ(f.facts.notes.size(), 1u);
  EXPECT_TRUE(absl::StartsWith(f.facts.notes[0], "LOAD DATA LOCAL INFILE") ||
              absl::StartsWith(f.facts.notes[0], "LOCAL INFILE"));
  EXPECT_NE(FindMessage(f, "Progress"), nullptr);  // MariaDB reports LOAD DATA's progress
}

TEST(SqlCaptureTest, MySqlPreparedStatements) {
  const PayloadScanResult r = Scan(Data("mysql_prepared.pcap"));
  const auto flows = Flows(r, Protocol::kMySql);
  ASSERT_EQ(flows.size(), 1u);
  const PayloadFlowResult& f = *flows[0];
  EXPECT_EQ(f.facts.client_software.rfind("libmariadb ", 0), 0u) << f.facts.client_software;
  EXPECT_EQ(f.facts.database, "shop");
  const std::string insert = "INSERT INTO stock (id, qty) VALUES (?, ?)";
  const std::string select = "SELECT id, qty FROM stock WHERE qty > ? ORDER BY id";
  ExpectQueries(f.queries,
                {
                    {"COM_QUERY", "CREATE TABLE IF NOT EXISTS stock (id INT, qty INT)", "DDL",
                     QueryStatus::kOk, "", kNone, 0},
                    {"COM_STMT_PREPARE", insert, "PREPARE", QueryStatus::kOk, "", kNone, kNone},
                    {"COM_STMT_EXECUTE", insert, "INSERT", QueryStatus::kOk, "", kNone, 1},
                    {"COM_STMT_EXECUTE", insert, "INSERT", QueryStatus::kOk, "", kNone, 1},
                    {"COM_STMT_EXECUTE", insert, "INSERT", QueryStatus::kOk, "", kNone, 1},
                    {"COM_STMT_PREPARE", select, "PREPARE", QueryStatus::kOk, "", kNone, kNone},
                    // qty 10, 20, 30 > 15: two rows, in the binary protocol.
                    {"COM_STMT_EXECUTE", select, "SELECT", QueryStatus::kOk, "", 2, kNone},
                    {"COM_STMT_PREPARE", "SELECT nope FROM stock", "PREPARE", QueryStatus::kError,
                     "1054", kNone, kNone},
                    {"COM_PING", "", "COMMAND", QueryStatus::kOk, "", kNone, 0},
                },
                "mysql_prepared");
  const payload::AppMessage* rows = FindMessage(f, "ResultSet");
  ASSERT_NE(rows, nullptr);
  EXPECT_EQ(rows->summary, "2 columns, 2 rows (binary)");
}

TEST(SqlCaptureTest, MySqlClearTextPasswordAndFailedLogin) {
  const PayloadScanResult r = Scan(Data("mysql_cleartext.pcap"));
  const auto flows = Flows(r, Protocol::kMySql);
  ASSERT_EQ(flows.size(), 2u);
  const PayloadFlowResult& clear = *flows[0];
  ASSERT_EQ(clear.credentials.size(), 1u);
  EXPECT_EQ(clear.credentials[0].kind, "mysql_cleartext_password");
  EXPECT_EQ(clear.credentials[0].user, "app");
  EXPECT_FALSE(absl::StrContains(clear.credentials[0].evidence, "secret"));
  EXPECT_EQ(clear.credentials[0].at.frame, 6u);  // the login request
  // The server then switched the client to its own plugin.
  EXPECT_EQ(clear.facts.auth_method, "mysql_native_password");
  ExpectQueries(clear.queries,
                {{"COM_QUERY", "SELECT 1", "SELECT", QueryStatus::kOk, "", 1, kNone}},
                "mysql_cleartext");

  const PayloadFlowResult& denied = *flows[1];
  EXPECT_TRUE(denied.queries.empty());
  EXPECT_TRUE(denied.credentials.empty());
  ASSERT_EQ(denied.facts.notes.size(), 1u);
  EXPECT_TRUE(absl::StartsWith(denied.facts.notes[0], "login failed: ERR 1045 Access denied"))
      << denied.facts.notes[0];
}

TEST(SqlCaptureTest, MySqlTls) {
  const PayloadScanResult r = Scan(Data("mysql_tls.pcap"));
  const auto flows = Flows(r, Protocol::kMySql);
  ASSERT_EQ(flows.size(), 1u);
  EXPECT_TRUE(flows[0]->facts.encrypted);
  EXPECT_EQ(flows[0]->facts.encryption, "mysql_tls");
  EXPECT_EQ(flows[0]->facts.server_version, "10.11.19-MariaDB-0+deb12u1");
  EXPECT_TRUE(flows[0]->queries.empty());
  ASSERT_EQ(flows[0]->messages.size(), 2u);
  EXPECT_EQ(flows[0]->messages[1].type, "SSLRequest");
}

TEST(SqlCaptureTest, PostgreSqlSession) {
  const PayloadScanResult r = Scan(Data("postgresql_session.pcap"));
  const auto flows = Flows(r, Protocol::kPostgreSql);
  ASSERT_EQ(flows.size(), 3u);
  const PayloadFlowResult& f = *flows[0];
  EXPECT_EQ(f.server_port, 15432);
  EXPECT_EQ(f.facts.user, "app");
  EXPECT_EQ(f.facts.database, "shop");
  EXPECT_EQ(f.facts.client_software, "mcpcap-test");
  EXPECT_EQ(f.facts.auth_method, "scram-sha-256");
  EXPECT_TRUE(absl::StartsWith(f.facts.server_version, "15.")) << f.facts.server_version;
  EXPECT_FALSE(f.facts.encrypted);  // sslmode=prefer, the server has no SSL: refused
  ASSERT_GE(f.messages.size(), 2u);
  EXPECT_EQ(f.messages[0].type, "SSLRequest");
  EXPECT_EQ(f.messages[1].type, "SSLResponse");
  ExpectQueries(
      f.queries,
      {
          {"Query", "CREATE TABLE items (id serial PRIMARY KEY, name text, price numeric(8,2));",
           "DDL", QueryStatus::kOk, "", kNone, kNone},
          {"Query",
           "INSERT INTO items (name, price) VALUES ('apple', 1.20), ('pear', 0.80), "
           "('plum', 2.50);",
           "INSERT", QueryStatus::kOk, "", kNone, 3},
          {"Query", "INSERT INTO items (name, price) VALUES ('kiwi', 3.10);", "INSERT",
           QueryStatus::kOk, "", kNone, 1},
          {"Query", "SELECT id, name, price FROM items ORDER BY id;", "SELECT", QueryStatus::kOk,
           "", 4, kNone},
          {"Query", "UPDATE items SET price = price + 1 WHERE price < 2;", "UPDATE",
           QueryStatus::kOk, "", kNone, 2},
          {"Query", "DELETE FROM items WHERE name = 'plum';", "DELETE", QueryStatus::kOk, "", kNone,
           1},
          {"Query", "SELECT * FROM missing_table;", "SELECT", QueryStatus::kError, "42P01", kNone,
           kNone},
          {"Query", "SELEC 1;", "OTHER", QueryStatus::kError, "42601", kNone, kNone},
          {"Query", "COPY items TO STDOUT;", "COPY", QueryStatus::kOk, "", 3, kNone},
      },
      "postgresql_session");
  EXPECT_EQ(f.queries[6].error_message, "relation \"missing_table\" does not exist");

  // psql -c with three statements: one Query message, three completions paired in order.
  ExpectQueries(
      flows[1]->queries,
      {{"Query", "INSERT INTO items (name, price) VALUES ('fig', 4.00)", "INSERT", QueryStatus::kOk,
        "", kNone, 1},
       {"Query", "SELECT count(*) FROM items", "SELECT", QueryStatus::kOk, "", 1, kNone},
       {"Query", "DELETE FROM items WHERE name = 'fig'", "DELETE", QueryStatus::kOk, "", kNone, 1}},
      "postgresql_session multi");
  EXPECT_EQ(flows[1]->queries[0].request.frame, flows[1]->queries[2].request.frame);
  EXPECT_EQ(flows[1]->facts.client_software, "psql");

  // The failing second statement stops the Query: the third never runs.
  ExpectQueries(
      flows[2]->queries,
      {{"Query", "SELECT 1", "SELECT", QueryStatus::kOk, "", 1, kNone},
       {"Query", "SELECT * FROM nope", "SELECT", QueryStatus::kError, "42P01", kNone, kNone},
       {"Query", "SELECT 2", "SELECT", QueryStatus::kError, "", kNone, kNone}},
      "postgresql_session error");
}

TEST(SqlCaptureTest, PostgreSqlPreparedAndPasswords) {
  const PayloadScanResult r = Scan(Data("postgresql_prepared.pcap"));
  const auto flows = Flows(r, Protocol::kPostgreSql);
  ASSERT_EQ(flows.size(), 3u);
  const PayloadFlowResult& f = *flows[0];
  EXPECT_EQ(f.facts.user, "clear_user");
  EXPECT_EQ(f.facts.auth_method, "cleartext");
  EXPECT_EQ(f.facts.client_software, "prepared-test");
  ASSERT_EQ(f.credentials.size(), 1u);
  EXPECT_EQ(f.credentials[0].kind, "postgresql_password");
  EXPECT_EQ(f.credentials[0].user, "clear_user");
  EXPECT_FALSE(absl::StrContains(f.credentials[0].evidence, "clearpw"));
  const std::string insert = "INSERT INTO stock (id, qty) VALUES ($1, $2)";
  ExpectQueries(
      f.queries,
      {
          {"Query", "CREATE TABLE IF NOT EXISTS stock (id int, qty int)", "DDL", QueryStatus::kOk,
           "", kNone, kNone},
          {"Parse", insert, "PREPARE", QueryStatus::kOk, "", kNone, kNone},  // PQprepare
          {"Execute", insert, "INSERT", QueryStatus::kOk, "", kNone, 1},     // PQexecPrepared
          {"Execute", insert, "INSERT", QueryStatus::kOk, "", kNone, 1},
          {"Execute", insert, "INSERT", QueryStatus::kOk, "", kNone, 1},
          // PQexecParams: the unnamed statement.
          {"Execute", "SELECT id, qty FROM stock WHERE qty > $1 ORDER BY id", "SELECT",
           QueryStatus::kOk, "", 2, kNone},
          {"Parse", "SELECT nope FROM stock", "PREPARE", QueryStatus::kError, "42703", kNone,
           kNone},
      },
      "postgresql_prepared");

  EXPECT_EQ(flows[1]->facts.auth_method, "md5");
  EXPECT_TRUE(flows[1]->credentials.empty());  // a salted hash, not the password
  ExpectQueries(flows[1]->queries,
                {{"Query", "SELECT current_user", "SELECT", QueryStatus::kOk, "", 1, kNone}},
                "postgresql md5");

  EXPECT_TRUE(flows[2]->queries.empty());
  ASSERT_EQ(flows[2]->facts.notes.size(), 1u);
  EXPECT_TRUE(absl::StrContains(flows[2]->facts.notes[0], "FATAL 28P01"))
      << flows[2]->facts.notes[0];
}

TEST(SqlCaptureTest, PostgreSqlSslAccepted) {
  const PayloadScanResult r = Scan(Data("postgresql_ssl.pcap"));
  const auto flows = Flows(r, Protocol::kPostgreSql);
  ASSERT_EQ(flows.size(), 1u);
  EXPECT_TRUE(flows[0]->facts.encrypted);
  EXPECT_EQ(flows[0]->facts.encryption, "postgresql_ssl");
  EXPECT_TRUE(flows[0]->queries.empty());
}

// tests/analysis/payload/data/make_edge_captures.py: a MySQL 8 session with query attributes, a
// query before any database is selected, comments before queries, USE behind a comment.
TEST(SqlCaptureTest, MySqlEdgeCases) {
  const PayloadScanResult r = Scan(Data("mysql_edge.pcap"));
  const auto flows = Flows(r, Protocol::kMySql);
  ASSERT_EQ(flows.size(), 1u);
  const PayloadFlowResult& f = *flows[0];
  EXPECT_EQ(f.facts.server_version, "8.0.36");
  EXPECT_EQ(f.facts.database, "stock");
  ExpectQueries(
      f.queries,
      {
          {"COM_QUERY", "SELECT name FROM items", "SELECT", QueryStatus::kError, "1046", kNone,
           kNone},
          {"COM_QUERY", "/* app=web */ USE shop", "USE", QueryStatus::kOk, "", kNone, 0},
          {"COM_QUERY", "/* x */ SELECT 1", "SELECT", QueryStatus::kOk, "", 1, kNone},
          {"COM_QUERY", "-- c\nSELECT 2", "SELECT", QueryStatus::kOk, "", 1, kNone},
          {"COM_QUERY", "# c\nSELECT 3", "SELECT", QueryStatus::kOk, "", 1, kNone},
          {"COM_QUERY", "\n  \tSELECT 4", "SELECT", QueryStatus::kOk, "", 1, kNone},
          {"COM_QUERY", "SELECT name FROM items WHERE id = 1", "SELECT", QueryStatus::kOk, "", 1,
           kNone},
          {"COM_QUERY", "INSERT INTO items (name) VALUES ('fig')", "INSERT", QueryStatus::kOk, "",
           kNone, 1},
          {"COM_QUERY", "USE stock; SELECT 5", "USE", QueryStatus::kOk, "", 1, 0},
          {"COM_QUERY", "SELECT COUNT(*) FROM items", "SELECT", QueryStatus::kOk, "", 1, kNone},
      },
      "mysql_edge");
  ASSERT_EQ(f.queries.size(), 10u);
  EXPECT_EQ(f.queries[0].database, "");  // refused before any database was selected
  EXPECT_TRUE(f.queries[0].database_known);
  EXPECT_EQ(f.queries[0].error_message, "No database selected");
  EXPECT_EQ(f.queries[1].database, "");
  EXPECT_EQ(f.queries[2].database, "shop");
  EXPECT_EQ(f.queries[9].database, "stock");
}

// record_mysql.sh section 5: USE statements as MariaDB reads them, sent as COM_QUERY texts by
// libmariadb on a connection without a database at login: behind a comment, first and last in
// multi-statements, quoted, refused. The database of each later query follows the server's.
TEST(SqlCaptureTest, MySqlUseAsTheServerReadsIt) {
  const PayloadScanResult r = Scan(Data("mysql_use.pcap"));
  const auto flows = Flows(r, Protocol::kMySql);
  ASSERT_EQ(flows.size(), 1u);
  const PayloadFlowResult& f = *flows[0];
  ExpectQueries(
      f.queries,
      {
          {"COM_QUERY", "SELECT DATABASE()", "SELECT", QueryStatus::kOk, "", 1, kNone},
          {"COM_QUERY", "/* app=web */ USE shop", "USE", QueryStatus::kOk, "", kNone, 0},
          {"COM_QUERY", "SELECT COUNT(*) FROM items", "SELECT", QueryStatus::kOk, "", 1, kNone},
          {"COM_QUERY", "USE stock; SELECT 1", "USE", QueryStatus::kOk, "", 1, 0},
          {"COM_QUERY", "SELECT COUNT(*) FROM items", "SELECT", QueryStatus::kOk, "", 1, kNone},
          {"COM_QUERY", "SELECT 2; USE shop", "SELECT", QueryStatus::kOk, "", 1, 0},
          {"COM_QUERY", "SELECT COUNT(*) FROM items", "SELECT", QueryStatus::kOk, "", 1, kNone},
          {"COM_QUERY", "-- c\nUSE `stock`", "USE", QueryStatus::kOk, "", kNone, 0},
          {"COM_QUERY", "# c\n  use\tshop;", "USE", QueryStatus::kOk, "", kNone, 0},
          {"COM_QUERY", "USE `no``such`", "USE", QueryStatus::kError, "1049", kNone, kNone},
          {"COM_QUERY", "SELECT DATABASE()", "SELECT", QueryStatus::kOk, "", 1, kNone},
      },
      "mysql_use");
  ASSERT_EQ(f.queries.size(), 11u);
  const std::vector<std::string> databases = {"",     "",     "shop",  "shop", "stock", "stock",
                                              "shop", "shop", "stock", "shop", "shop"};
  for (size_t i = 0; i < databases.size(); ++i) {
    EXPECT_EQ(f.queries[i].database, databases[i]) << f.queries[i].text;
    EXPECT_TRUE(f.queries[i].database_known) << f.queries[i].text;
  }
  EXPECT_EQ(f.facts.database, "shop");
}

// tests/analysis/payload/data/make_edge_captures.py: PostgreSQL sessions with unusual starts (SSL
// and GSS encryption refused, protocol 3.2 negotiated down, a CancelRequest) and extended-protocol
// pipelines, COPY, async messages and a Query split over many segments.
TEST(SqlCaptureTest, PostgreSqlEdgeCases) {
  const PayloadScanResult r = Scan(Data("postgresql_edge.pcap"));
  const auto flows = Flows(r, Protocol::kPostgreSql);
  ASSERT_EQ(flows.size(), 4u);  // the CancelRequest connection too
  const PayloadFlowResult& f = *flows[0];
  EXPECT_EQ(f.facts.user, "app");
  EXPECT_EQ(f.facts.database, "shop");
  ExpectQueries(
      f.queries,
      {
          {"Execute", "SELECT name FROM items WHERE id = $1", "SELECT", QueryStatus::kOk, "", 1,
           kNone},
          {"Execute", "INSERT INTO items (name) VALUES ($1)", "INSERT", QueryStatus::kOk, "", kNone,
           1},
          {"Execute", "UPDATE items SET price = 2 WHERE name = $1", "UPDATE", QueryStatus::kOk, "",
           kNone, 1},
          {"Parse", "DELETE FROM items WHERE name = $1", "PREPARE", QueryStatus::kOk, "", kNone,
           kNone},
          {"Execute", "SELECT count(*) FROM items", "SELECT", QueryStatus::kOk, "", 1, kNone},
          {"Execute", "SELECT name FROM items ORDER BY name", "SELECT", QueryStatus::kOk, "", 2,
           kNone},
          {"Execute", "SELECT name FROM items ORDER BY name", "SELECT", QueryStatus::kOk, "", 1,
           kNone},
          {"Parse", "DELETE FROM items WHERE name = $1", "PREPARE", QueryStatus::kOk, "", kNone,
           kNone},
          {"Execute", "DELETE FROM items WHERE name = $1", "DELETE", QueryStatus::kOk, "", kNone,
           1},
          {"Query", "COPY items (name) FROM STDIN", "COPY", QueryStatus::kOk, "", kNone, 2},
          {"Query", "COPY items (name) TO STDOUT", "COPY", QueryStatus::kOk, "", 2, kNone},
          {"Query", "SELECT name FROM items WHERE name IN ('item0000'*", "SELECT", QueryStatus::kOk,
           "", 0, kNone},
          {"Execute", "SELECT nope FROM items", "SELECT", QueryStatus::kError, "42703", kNone,
           kNone},
      },
      "postgresql_edge");
  for (size_t i = 1; i < 3; ++i) {
    ASSERT_EQ(flows[i]->queries.size(), 1u) << i;
    EXPECT_EQ(flows[i]->queries[0].status, QueryStatus::kOk) << i;
    EXPECT_EQ(flows[i]->facts.database, "shop") << i;
  }
  EXPECT_NE(FindMessage(*flows[3], "CancelRequest"), nullptr);
}

TEST(SqlCaptureTest, ZeekTraces) {
  const std::string shared = MCPCAP_SHARED_CAPTURES;
  if (!std::filesystem::exists(shared + "/zeek__mysql.pcap")) {
    GTEST_SKIP() << "shared captures not found in " << shared;
  }
  const PayloadScanResult my = Scan(shared + "/zeek__mysql.pcap");
  auto flows = Flows(my, Protocol::kMySql);
  ASSERT_EQ(flows.size(), 1u);
  EXPECT_EQ(flows[0]->facts.server_version, "5.0.54");
  EXPECT_EQ(flows[0]->facts.user, "tfoerste");
  EXPECT_EQ(flows[0]->facts.database, "test");
  ASSERT_EQ(flows[0]->queries.size(), 16u);
  EXPECT_EQ(flows[0]->queries[5].command, "COM_FIELD_LIST");
  EXPECT_EQ(flows[0]->queries[9].text, "select * from foo");
  EXPECT_EQ(flows[0]->queries[9].rows, 2u);            // dog and cat
  EXPECT_EQ(flows[0]->queries[10].affected_rows, 1u);  // "Goofy" matches '%oo%'

  const PayloadScanResult pg = Scan(shared + "/zeek__psql-create-insert-select-delete-drop.pcap");
  flows = Flows(pg, Protocol::kPostgreSql);
  ASSERT_EQ(flows.size(), 1u);
  EXPECT_EQ(flows[0]->facts.user, "postgres");
  EXPECT_EQ(flows[0]->facts.auth_method, "scram-sha-256");
  ASSERT_EQ(flows[0]->queries.size(), 7u);
  EXPECT_EQ(flows[0]->queries[4].text, "SELECT * from t;");
  EXPECT_EQ(flows[0]->queries[4].rows, 2u);
  EXPECT_EQ(flows[0]->queries[5].affected_rows, 2u);
}

}  // namespace
}  // namespace mcpcap
