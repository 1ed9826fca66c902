// Every parser's MemoryBytes() against what the heap really holds for it, after conversations
// that fill its state to its caps (prepared statements, requests waiting for responses, a
// handshake message being put together): the payload scan's memory budget relies on these
// figures. The heap is counted by tests/testing/heap_meter (this binary's operator new).
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "backend/payload/common/heap_bytes.h"
#include "backend/payload/common/line_protocols.h"
#include "backend/payload/common/stream_feeder.h"
#include "backend/payload/http/http_parser.h"
#include "backend/payload/mongodb/mongodb_parser.h"
#include "backend/payload/mysql/mysql_parser.h"
#include "backend/payload/postgresql/postgresql_parser.h"
#include "backend/payload/redis/redis_parser.h"
#include "backend/payload/tls/tls_parser.h"
#include "gtest/gtest.h"
#include "tests/testing/heap_meter.h"

namespace mcpcap::payload {
namespace {

struct Discard : PayloadEvents {
  void OnMessage(AppMessage) override {}
  void OnQuery(DbQuery) override {}
  void OnCredential(Credential) override {}
};

struct Held {
  int64_t heap = 0;      // what the heap holds for the parser and its feeder
  size_t accounted = 0;  // what they say they hold
};

// What each side sends, in turn.
using Talk = std::vector<std::pair<Side, std::string>>;

// Feeds the conversation to a new parser through a feeder and measures both, the parser not
// finished (its state is what a live flow holds).
Held Measure(ParserFactory make, const Talk& talk) {
  Discard events;
  FlowFacts facts;
  const int64_t before = testing::LiveHeapBytes();
  std::unique_ptr<StreamParser> parser = make(&events, &facts);
  auto feeder = std::make_unique<StreamFeeder>(parser.get());
  const auto feed = [&](Side side, const std::string& bytes) {
    // In pieces, as segments come.
    for (size_t at = 0; at < bytes.size(); at += 1448) {
      const std::string piece = bytes.substr(at, 1448);
      feeder->OnData(side, Bytes(reinterpret_cast<const uint8_t*>(piece.data()), piece.size()),
                     Position{at / 1448 + 1, 0});
    }
  };
  for (const auto& [side, bytes] : talk) feed(side, bytes);
  Held held;
  held.heap = testing::LiveHeapBytes() - before - static_cast<int64_t>(HeapBytes(facts));
  held.accounted = parser->MemoryBytes() + feeder->MemoryBytes();
  return held;
}

// The accounted figure is within a fifth of the heap (malloc rounds sizes up; containers are
// estimated from their layout), and the state is large enough for that to mean something.
void ExpectAccounted(const Held& held, int64_t at_least, const char* what) {
  std::printf("%s: heap %lld bytes, accounted %zu bytes\n", what, static_cast<long long>(held.heap),
              held.accounted);
  EXPECT_GE(held.heap, at_least) << what;
  EXPECT_GE(static_cast<double>(held.accounted), 0.8 * static_cast<double>(held.heap)) << what;
  EXPECT_LE(static_cast<double>(held.accounted), 1.25 * static_cast<double>(held.heap)) << what;
}

std::string Le(uint64_t v, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  return out;
}
std::string Be(uint64_t v, int n) {
  std::string out;
  for (int i = n - 1; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  return out;
}
std::string Statement(int i, size_t bytes) {
  std::string sql = "SELECT /* " + std::to_string(i) + " */ '";
  sql.append(bytes > sql.size() + 1 ? bytes - sql.size() - 1 : 0, 'x');
  return sql + "'";
}

// MySQL: 300 statements prepared (256 remembered), then 64 queries waiting for their results.
TEST(ParserMemoryTest, MySqlPreparedStatementsAndPendingQueries) {
  const auto packet = [](uint8_t seq, const std::string& payload) {
    return Le(payload.size(), 3) + std::string(1, static_cast<char>(seq)) + payload;
  };
  const std::string zero(1, '\0');
  Talk talk;
  for (int i = 0; i < 300; ++i) {
    talk.emplace_back(Side::kClient, packet(0, "\x16" + Statement(i, 1000)));  // COM_STMT_PREPARE
    // PREPARE_OK: the statement's id, no columns, no parameters.
    talk.emplace_back(Side::kServer,
                      packet(1, zero + Le(i + 1, 4) + Le(0, 2) + Le(0, 2) + zero + Le(0, 2)));
  }
  for (int i = 0; i < 64; ++i) {
    talk.emplace_back(Side::kClient, packet(0, "\x03" + Statement(i, 2000)));  // COM_QUERY
  }
  ExpectAccounted(Measure(MakeMySqlParser, talk), 256 * 1000 + 64 * 2000, "mysql");
}

std::string PgMessage(char type, const std::string& body) {
  return std::string(1, type) + Be(body.size() + 4, 4) + body;
}
std::string CString(const std::string& s) { return s + std::string(1, '\0'); }

// PostgreSQL: 300 named statements and portals (256 of each remembered), 1000 queries waiting.
TEST(ParserMemoryTest, PostgreSqlStatementsPortalsAndPendingQueries) {
  Talk talk;
  for (int i = 0; i < 300; ++i) {
    const std::string name = "statement_" + std::to_string(i);
    talk.emplace_back(Side::kClient,
                      PgMessage('P', CString(name) + CString(Statement(i, 1000)) + Be(0, 2)) +
                          PgMessage('B', CString("portal_" + std::to_string(i)) + CString(name) +
                                             Be(0, 2) + Be(0, 2) + Be(0, 2)) +
                          PgMessage('S', ""));
    talk.emplace_back(Side::kServer, PgMessage('1', "") + PgMessage('2', "") + PgMessage('Z', "I"));
  }
  std::string queries;
  for (int i = 0; i < 1000; ++i) queries += PgMessage('Q', CString(Statement(i, 500)));
  talk.emplace_back(Side::kClient, queries);
  ExpectAccounted(Measure(MakePostgreSqlParser, talk), 2 * 256 * 1000 + 1000 * 500, "postgresql");
}

// Redis: 1000 pipelined commands, no replies yet.
TEST(ParserMemoryTest, RedisPipelinedCommands) {
  std::string client;
  for (int i = 0; i < 1000; ++i) {
    const std::string key = "key:" + std::to_string(i);
    const std::string value(200, 'v');
    client += "*3\r\n$3\r\nSET\r\n$" + std::to_string(key.size()) + "\r\n" + key + "\r\n$" +
              std::to_string(value.size()) + "\r\n" + value + "\r\n";
  }
  ExpectAccounted(Measure(MakeRedisParser, {{Side::kClient, client}}), 1000 * 200, "redis");
}

// MongoDB: 1000 OP_MSG finds, no replies yet.
TEST(ParserMemoryTest, MongoDbPendingRequests) {
  const auto element = [](char type, const std::string& key, const std::string& value) {
    return std::string(1, type) + CString(key) + value;
  };
  const auto string_value = [](const std::string& s) { return Le(s.size() + 1, 4) + CString(s); };
  const auto document = [](const std::string& elements) {
    return Le(elements.size() + 5, 4) + elements + std::string(1, '\0');
  };
  std::string client;
  for (int i = 0; i < 1000; ++i) {
    const std::string filter =
        document(element('\x02', "name", string_value(std::string(300, 'n'))));
    const std::string body =
        document(element('\x02', "find", string_value("items")) +
                 element('\x03', "filter", filter) + element('\x02', "$db", string_value("shop")));
    const std::string payload = Le(0, 4) + std::string(1, '\0') + body;  // flags, section kind 0
    client += Le(16 + payload.size(), 4) + Le(i + 1, 4) + Le(0, 4) + Le(2013, 4) + payload;
  }
  ExpectAccounted(Measure(MakeMongoDbParser, {{Side::kClient, client}}), 1000 * 300, "mongodb");
}

// HTTP: 200 pipelined requests with long URIs (128 remembered), no responses yet.
TEST(ParserMemoryTest, HttpPipelinedRequests) {
  std::string client;
  for (int i = 0; i < 200; ++i) {
    client += "GET /" + std::string(400, 'p') + std::to_string(i) +
              " HTTP/1.1\r\nHost: example.test\r\n\r\n";
  }
  ExpectAccounted(Measure(MakeHttpParser, {{Side::kClient, client}}), 128 * 200, "http");
}

// TLS: a 60000-byte Certificate message of which 48000 bytes arrived.
TEST(ParserMemoryTest, TlsHandshakeMessageBeingPutTogether) {
  const auto record = [](const std::string& body) {
    return std::string("\x16\x03\x03", 3) + Be(body.size(), 2) + body;
  };
  std::string server = record(std::string("\x0b", 1) + Be(60000, 3) + std::string(15996, 'c'));
  server += record(std::string(16000, 'c')) + record(std::string(16000, 'c'));
  ExpectAccounted(Measure(MakeTlsParser, {{Side::kServer, server}}), 48000, "tls");
}

// FTP: 100 commands sent ahead of their replies (64 remembered).
TEST(ParserMemoryTest, FtpPendingCommands) {
  std::string client;
  for (int i = 0; i < 100; ++i) client += "NOOP\r\n";
  ExpectAccounted(Measure(MakeFtpParser, {{Side::kClient, client}}), 1000, "ftp");
}

}  // namespace
}  // namespace mcpcap::payload
