#include "backend/payload/redis/redis_parser.h"

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
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

// A command as redis-cli sends it: an array of bulk strings.
std::string Cmd(const std::vector<std::string>& args) {
  std::string out = absl::StrCat("*", args.size(), "\r\n");
  for (const std::string& a : args) absl::StrAppend(&out, "$", a.size(), "\r\n", a, "\r\n");
  return out;
}
std::string Bulk(const std::string& s) { return absl::StrCat("$", s.size(), "\r\n", s, "\r\n"); }

// Everything a parser reported, as text, to compare split modes.
std::string Describe(const Recorded& r) {
  std::string out;
  for (const AppMessage& m : r.messages) {
    absl::StrAppend(&out, "M ", m.from == Side::kClient ? "c " : "s ", m.start.frame, " ", m.type,
                    " | ", m.summary, " | ", m.length, " | ", m.head.size(), "\n");
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
  absl::StrAppend(&out, "F ", r.facts.server_version, " ", r.facts.user, " ", r.facts.database, " ",
                  absl::StrJoin(r.facts.notes, ";"), " stop=", r.client_stop, "/", r.server_stop,
                  "\n");
  return out;
}

// Feeds `talk` in every split mode, checks they all agree, returns the as-sent result.
Recorded FeedAll(const std::vector<Chunk>& talk) {
  const Recorded as_sent = Feed(MakeRedisParser, talk, SplitMode::kAsSent);
  const std::string expected = Describe(as_sent);
  for (SplitMode mode : kAllSplitModes) {
    for (uint32_t seed = 1; seed <= 3; ++seed) {
      EXPECT_EQ(Describe(Feed(MakeRedisParser, talk, mode, seed)), expected)
          << SplitModeName(mode) << " seed " << seed;
    }
  }
  return as_sent;
}

TEST(RedisParserTest, PipelinedCommandsPairInOrder) {
  const std::vector<Chunk> talk = {
      {Side::kClient, Cmd({"SET", "k", "v"}) + Cmd({"GET", "k"}) + Cmd({"DEL", "k", "x"}) +
                          Cmd({"INCR", "n"}) + Cmd({"LRANGE", "l", "0", "-1"})},
      {Side::kServer, "+OK\r\n$1\r\nv\r\n:1\r\n:5\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n"},
  };
  const Recorded r = FeedAll(talk);
  ASSERT_EQ(r.queries.size(), 5u);
  EXPECT_EQ(r.queries[0].text, "SET k v");
  EXPECT_EQ(r.queries[0].command, "SET");
  EXPECT_EQ(r.queries[0].query_type, "WRITE");
  EXPECT_EQ(r.queries[0].status, QueryStatus::kOk);
  EXPECT_EQ(r.queries[0].request.frame, 1u);
  EXPECT_EQ(r.queries[0].response.frame, 2u);
  EXPECT_EQ(r.queries[1].query_type, "READ");
  EXPECT_FALSE(r.queries[1].has_rows);
  EXPECT_EQ(r.queries[2].text, "DEL k x");
  EXPECT_TRUE(r.queries[2].has_affected_rows);
  EXPECT_EQ(r.queries[2].affected_rows, 1u);
  EXPECT_FALSE(r.queries[3].has_affected_rows);  // INCR's integer is a value
  EXPECT_TRUE(r.queries[4].has_rows);
  EXPECT_EQ(r.queries[4].rows, 2u);
  std::vector<std::string> types;
  for (const AppMessage& m : r.messages) types.push_back(m.type);
  EXPECT_EQ(absl::StrJoin(types, ","), "SET,GET,DEL,INCR,LRANGE,+OK,$1,:1,:5,*2");
  EXPECT_EQ(r.messages[0].length, Cmd({"SET", "k", "v"}).size());
  EXPECT_EQ(r.messages[0].head, Cmd({"SET", "k", "v"}));
  EXPECT_EQ(r.messages[5].summary, "OK");
  EXPECT_EQ(r.messages[6].summary, "bulk_string, 1 bytes: v");
  EXPECT_TRUE(r.client_stop.empty());
  EXPECT_TRUE(r.server_stop.empty());
}

TEST(RedisParserTest, LargeBulkIsSkippedNotBuffered) {
  const std::string big(300000, 'x');
  // One message spread over many 1000-byte segments, then more commands after it.
  std::vector<Chunk> talk;
  const std::string set = Cmd({"SET", "big", big}) + Cmd({"GET", "big"});
  for (size_t i = 0; i < set.size(); i += 1000)
    talk.push_back({Side::kClient, set.substr(i, 1000)});
  talk.push_back({Side::kServer, "+OK\r\n"});
  const std::string reply = Bulk(big);
  for (size_t i = 0; i < reply.size(); i += 1400) {
    talk.push_back({Side::kServer, reply.substr(i, 1400)});
  }
  talk.push_back({Side::kClient, Cmd({"STRLEN", "big"})});
  talk.push_back({Side::kServer, ":300000\r\n"});
  for (SplitMode mode : {SplitMode::kAsSent, SplitMode::kRandom}) {
    const Recorded r = Feed(MakeRedisParser, talk, mode);
    ASSERT_EQ(r.queries.size(), 3u) << SplitModeName(mode);
    EXPECT_EQ(r.queries[0].text, "SET big " + std::string(256, 'x') + "...(300000 bytes)");
    EXPECT_EQ(r.queries[0].status, QueryStatus::kOk);
    EXPECT_EQ(r.queries[1].command, "GET");
    EXPECT_EQ(r.queries[2].command, "STRLEN");
    EXPECT_EQ(r.queries[2].status, QueryStatus::kOk);
    EXPECT_EQ(r.messages[0].length, Cmd({"SET", "big", big}).size());
    EXPECT_EQ(r.messages[3].type, "$300000");
    EXPECT_EQ(r.messages[3].length, reply.size());
    EXPECT_EQ(r.messages[3].head, reply.substr(0, kPreviewBytes));
    EXPECT_TRUE(r.client_stop.empty()) << r.client_stop;
    EXPECT_TRUE(r.server_stop.empty()) << r.server_stop;
  }
}

TEST(RedisParserTest, ErrorsAndCodes) {
  const Recorded r = FeedAll({
      {Side::kClient, Cmd({"LPUSH", "k", "a"})},
      {Side::kServer, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
      {Side::kClient, Cmd({"FOO"})},
      {Side::kServer, "-ERR unknown command 'FOO', with args beginning with: \r\n"},
  });
  ASSERT_EQ(r.queries.size(), 2u);
  EXPECT_EQ(r.queries[0].status, QueryStatus::kError);
  EXPECT_EQ(r.queries[0].error_code, "WRONGTYPE");
  EXPECT_EQ(r.queries[0].error_message, "Operation against a key holding the wrong kind of value");
  EXPECT_EQ(r.queries[1].error_code, "ERR");
  EXPECT_EQ(r.queries[1].query_type, "OTHER");
  EXPECT_EQ(r.messages[1].type, "-WRONGTYPE");
  EXPECT_EQ(r.messages[3].type, "-ERR");
}

TEST(RedisParserTest, AuthSelectAndInfo) {
  const Recorded r = FeedAll({
      {Side::kClient, Cmd({"AUTH", "alice", "s3cretpassword"})},
      {Side::kServer, "+OK\r\n"},
      {Side::kClient, Cmd({"SELECT", "2"})},
      {Side::kServer, "+OK\r\n"},
      {Side::kClient, Cmd({"GET", "a"})},
      {Side::kServer, "$-1\r\n"},
      {Side::kClient, Cmd({"INFO", "server"})},
      {Side::kServer, Bulk("# Server\r\nredis_version:7.0.15\r\nredis_git_sha1:00000000\r\n")},
      {Side::kClient, Cmd({"AUTH", "pw"})},
      {Side::kServer, "-WRONGPASS invalid username-password pair or user is disabled.\r\n"},
  });
  ASSERT_EQ(r.credentials.size(), 2u);
  EXPECT_EQ(r.credentials[0].kind, "redis_auth");
  EXPECT_EQ(r.credentials[0].user, "alice");
  EXPECT_EQ(r.credentials[0].evidence, "AUTH alice s3****");
  EXPECT_EQ(r.credentials[1].evidence, "AUTH ****");
  ASSERT_EQ(r.queries.size(), 5u);
  EXPECT_EQ(r.queries[0].text, "AUTH alice s3****");
  EXPECT_EQ(r.queries[0].query_type, "AUTH");
  EXPECT_EQ(r.queries[1].database, "");
  EXPECT_EQ(r.queries[1].query_type, "CONNECTION");
  EXPECT_EQ(r.queries[2].database, "2");
  EXPECT_EQ(r.messages[5].type, "$-1");
  EXPECT_EQ(r.messages[5].summary, "nil");
  EXPECT_EQ(r.queries[3].query_type, "ADMIN");
  EXPECT_EQ(r.queries[4].error_code, "WRONGPASS");
  EXPECT_EQ(r.facts.user, "alice");
  EXPECT_EQ(r.facts.database, "2");
  EXPECT_EQ(r.facts.server_version, "7.0.15");
  for (const AppMessage& m : r.messages) {
    EXPECT_EQ(m.summary.find("s3cret"), std::string::npos);
  }
}

TEST(RedisParserTest, Resp3Types) {
  const std::string hello_reply =
      "%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n:3\r\n"
      "$2\r\nid\r\n:5\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n"
      "$7\r\nmodules\r\n*0\r\n";
  const Recorded r = FeedAll({
      {Side::kClient, Cmd({"HELLO", "3", "AUTH", "bob", "hunter22hunter"})},
      {Side::kServer, hello_reply},
      {Side::kClient, Cmd({"HGETALL", "h"}) + Cmd({"SMEMBERS", "s"}) + Cmd({"ZSCORE", "z", "m"}) +
                          Cmd({"EXISTS", "k"}) + Cmd({"GET", "none"}) + Cmd({"X", "big"}) +
                          Cmd({"LOLWUT"}) + Cmd({"GET", "annotated"})},
      {Side::kServer,
       "%1\r\n$1\r\nf\r\n$1\r\nv\r\n~2\r\n$1\r\na\r\n$1\r\nb\r\n,3.25\r\n#t\r\n_\r\n"
       "(3492890328409238509324850943850943825024385\r\n=15\r\ntxt:Some string\r\n"
       ">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n"
       "|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.1923\r\n$1\r\nv\r\n"},
  });
  EXPECT_EQ(r.facts.server_version, "7.0.15");
  EXPECT_EQ(r.facts.user, "bob");
  ASSERT_EQ(r.credentials.size(), 1u);
  EXPECT_EQ(r.credentials[0].evidence, "HELLO 3 AUTH bob hu****");
  ASSERT_EQ(r.facts.notes.size(), 1u);
  ASSERT_EQ(r.queries.size(), 9u);
  EXPECT_EQ(r.queries[0].text, "HELLO 3 AUTH bob hu****");
  EXPECT_TRUE(r.queries[1].has_rows);
  EXPECT_EQ(r.queries[1].rows, 1u);  // map: pairs
  EXPECT_EQ(r.queries[2].rows, 2u);
  EXPECT_EQ(r.queries[8].status, QueryStatus::kOk);  // the push did not take LOLWUT's place
  std::vector<std::string> types;
  for (const AppMessage& m : r.messages) {
    if (m.from == Side::kServer) types.push_back(m.type);
  }
  EXPECT_EQ(absl::StrJoin(types, ","),
            "%7,%1,~2,,3.25,#t,_,(34928903284092385093248509438...,=15,message,$1");
  EXPECT_EQ(r.messages.back().fields.back().first, "reply_to");
  bool attribute = false;
  for (const auto& [k, v] : r.messages.back().fields) attribute |= k == "attribute";
  EXPECT_TRUE(attribute);
}

TEST(RedisParserTest, InlineCommands) {
  const Recorded r = FeedAll({
      {Side::kClient, "PING\r\n\r\nset  a   b\n"},
      {Side::kServer, "+PONG\r\n+OK\r\n"},
  });
  ASSERT_EQ(r.queries.size(), 2u);
  EXPECT_EQ(r.queries[0].text, "PING");
  EXPECT_EQ(r.queries[0].query_type, "CONNECTION");
  EXPECT_EQ(r.queries[1].text, "set a b");
  EXPECT_EQ(r.queries[1].command, "SET");
  EXPECT_EQ(r.messages[0].fields.back().first, "inline");
}

TEST(RedisParserTest, ReadsOnWhereTheServerReadsOn) {
  // The server skips a command of count <= 0 and reads the lines that follow as inline commands,
  // whatever bytes they hold.
  const Recorded r = FeedAll({
      {Side::kClient, std::string("*-532450017895590926\r\n$$$4\r\nEVAL\r\nab\0c d\r\n", 42)},
      {Side::kServer,
       "-ERR unknown command '$$$4'\r\n-ERR wrong number of arguments\r\n"
       "-ERR unknown command\r\n"},
  });
  ASSERT_EQ(r.queries.size(), 3u);
  EXPECT_EQ(r.queries[1].command, "EVAL");
  EXPECT_EQ(r.queries[2].status, QueryStatus::kError);
  EXPECT_EQ(r.client_stop, "");
  EXPECT_EQ(r.server_stop, "");
}

TEST(RedisParserTest, SubscribeModeRepliesAreNotOneToOne) {
  const Recorded r = FeedAll({
      {Side::kClient, Cmd({"SUBSCRIBE", "a", "b"})},
      {Side::kServer, Cmd({"subscribe", "a"}).substr(0, 0) +
                          "*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n"
                          "*3\r\n$9\r\nsubscribe\r\n$1\r\nb\r\n:2\r\n"
                          "*3\r\n$7\r\nmessage\r\n$1\r\na\r\n$5\r\nhello\r\n"},
      {Side::kClient, Cmd({"PING"})},
      {Side::kServer, "*2\r\n$4\r\npong\r\n$0\r\n\r\n"},
      {Side::kClient, Cmd({"UNSUBSCRIBE"})},
      {Side::kServer,
       "*3\r\n$11\r\nunsubscribe\r\n$1\r\na\r\n:1\r\n"
       "*3\r\n$11\r\nunsubscribe\r\n$1\r\nb\r\n:0\r\n"},
      {Side::kClient, Cmd({"LRANGE", "l", "0", "-1"})},
      {Side::kServer, "*3\r\n$7\r\nmessage\r\n$1\r\nx\r\n$1\r\ny\r\n"},
  });
  ASSERT_EQ(r.queries.size(), 4u);
  EXPECT_EQ(r.queries[0].command, "SUBSCRIBE");
  EXPECT_EQ(r.queries[0].query_type, "PUBSUB");
  EXPECT_EQ(r.queries[0].status, QueryStatus::kOk);
  EXPECT_EQ(r.queries[1].command, "PING");
  EXPECT_EQ(r.queries[1].response.frame, 4u);
  EXPECT_EQ(r.queries[2].command, "UNSUBSCRIBE");
  EXPECT_EQ(r.queries[3].command, "LRANGE");  // no longer subscribed: an ordinary array
  EXPECT_EQ(r.queries[3].rows, 3u);
  std::vector<std::string> types;
  for (const AppMessage& m : r.messages) {
    if (m.from == Side::kServer) types.push_back(m.type);
  }
  EXPECT_EQ(absl::StrJoin(types, ","), "subscribe,subscribe,message,*2,unsubscribe,unsubscribe,*3");
}

TEST(RedisParserTest, MonitorStreamIsNotReplies) {
  const Recorded r = FeedAll({
      {Side::kClient, Cmd({"MONITOR"})},
      {Side::kServer, "+OK\r\n+1700000000.123456 [0 127.0.0.1:50000] \"get\" \"k\"\r\n"},
      {Side::kServer, "+1700000001.000001 [0 127.0.0.1:50000] \"set\" \"k\" \"" +
                          std::string(5000, 'v') + "\"\r\n"},
      {Side::kClient, Cmd({"QUIT"})},
      {Side::kServer, "+OK\r\n"},
  });
  ASSERT_EQ(r.queries.size(), 2u);
  EXPECT_EQ(r.queries[0].query_type, "ADMIN");
  EXPECT_EQ(r.queries[1].command, "QUIT");
  EXPECT_EQ(r.queries[1].response.frame, 5u);
  ASSERT_EQ(r.messages.size(), 6u);
  EXPECT_EQ(r.messages[2].type, "monitor");
  EXPECT_EQ(r.messages[3].type, "monitor");
  EXPECT_EQ(r.messages[3].length, 5000u + 53);
}

TEST(RedisParserTest, ClientReplyOffSilencesServer) {
  const Recorded r = FeedAll({
      {Side::kClient, Cmd({"CLIENT", "REPLY", "OFF"}) + Cmd({"SET", "a", "1"}) +
                          Cmd({"CLIENT", "REPLY", "ON"}) + Cmd({"GET", "a"})},
      {Side::kServer, "+OK\r\n$1\r\n1\r\n"},
  });
  ASSERT_EQ(r.queries.size(), 4u);
  EXPECT_EQ(r.queries[0].status, QueryStatus::kNoResponse);
  EXPECT_EQ(r.queries[1].status, QueryStatus::kNoResponse);
  EXPECT_EQ(r.queries[2].status, QueryStatus::kOk);
  EXPECT_EQ(r.queries[3].status, QueryStatus::kOk);
  EXPECT_EQ(r.messages.back().summary, "bulk_string, 1 bytes: 1");
}

TEST(RedisParserTest, ClientGapResyncsAtNextCommand) {
  std::vector<Chunk> talk = {
      {Side::kClient, Cmd({"SET", "a", "1"})},
      {Side::kServer, "+OK\r\n"},
      {Side::kClient, "", 17},  // a lost command
      {Side::kClient, "lue\r\n" + Cmd({"GET", "a"})},
      {Side::kServer, "+OK\r\n$1\r\n1\r\n"},
  };
  talk[4].bytes = "$1\r\n1\r\n";  // the lost command's reply was lost too
  const Recorded r = FeedAll(talk);
  ASSERT_EQ(r.queries.size(), 2u);
  EXPECT_EQ(r.queries[1].command, "GET");
  EXPECT_EQ(r.queries[1].status, QueryStatus::kOk);
  EXPECT_TRUE(r.client_stop.empty());
}

TEST(RedisParserTest, ServerGapFlushesPendingAndResyncs) {
  const Recorded r = FeedAll({
      {Side::kClient, Cmd({"GET", "big"})},
      {Side::kServer, "$100\r\n" + std::string(40, 'a')},
      {Side::kServer, "", 30},
      {Side::kServer, std::string(30, 'a') + "\r\n"},
      {Side::kClient, Cmd({"PING"})},
      {Side::kServer, "+PONG\r\n"},
  });
  ASSERT_EQ(r.queries.size(), 2u);
  EXPECT_EQ(r.queries[0].status, QueryStatus::kNoResponse);
  EXPECT_EQ(r.queries[1].status, QueryStatus::kOk);
  EXPECT_EQ(r.queries[1].response.frame, 6u);
  EXPECT_EQ(r.facts.notes.size(), 1u);
  EXPECT_TRUE(r.server_stop.empty());
}

TEST(RedisParserTest, NotRedisStops) {
  const Recorded r = FeedAll({
      {Side::kClient, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"},
      {Side::kServer, "HTTP/1.1 200 OK\r\n\r\n"},
  });
  EXPECT_EQ(r.server_stop, "not_recognised");
  const Recorded binary =
      Feed(MakeRedisParser, {{Side::kClient, std::string("\x16\x03\x01\x02", 4)}});
  EXPECT_EQ(binary.client_stop, "not_recognised");
  EXPECT_TRUE(binary.queries.empty());
}

TEST(RedisParserTest, HostileInputIsBounded) {
  // Nesting deeper than the limit is refused.
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += "*1\r\n";
  EXPECT_EQ(Feed(MakeRedisParser, {{Side::kServer, deep}}).server_stop, "not_recognised");
  // A bulk length past 4 GiB, a negative count, a line without CRLF.
  EXPECT_EQ(Feed(MakeRedisParser, {{Side::kServer, "$99999999999\r\n"}}).server_stop,
            "not_recognised");
  EXPECT_EQ(Feed(MakeRedisParser, {{Side::kServer, "*-5\r\n"}}).server_stop, "not_recognised");
  EXPECT_EQ(Feed(MakeRedisParser, {{Side::kServer, ":12\n"}}).server_stop, "not_recognised");
  // A huge announced array costs nothing until its elements arrive.
  const Recorded r = Feed(MakeRedisParser, {{Side::kClient, Cmd({"KEYS", "*"})},
                                            {Side::kServer, "*2000000000\r\n$1\r\na\r\n"}});
  EXPECT_EQ(r.queries.size(), 1u);
  EXPECT_EQ(r.queries[0].status, QueryStatus::kNoResponse);
  EXPECT_TRUE(r.server_stop.empty());
}

TEST(RedisParserTest, BinaryArgumentsAreQuoted) {
  const Recorded r = FeedAll({
      {Side::kClient, Cmd({"SET", "key with space", std::string("a\x01\"b", 4)})},
      {Side::kServer, "+OK\r\n"},
  });
  ASSERT_EQ(r.queries.size(), 1u);
  EXPECT_EQ(r.queries[0].text, "SET \"key with space\" \"a\\x01\\\"b\"");
}

struct CountingSink : PayloadEvents {
  uint64_t events = 0;
  void OnMessage(AppMessage) override { ++events; }
  void OnQuery(DbQuery) override { ++events; }
  void OnCredential(Credential) override { ++events; }
};

// Not a pass/fail check: prints MB/s of SET/GET traffic (10 commands per segment, like a
// pipelining client) through StreamFeeder, for the record.
TEST(RedisParserTest, ThroughputIsPrinted) {
  std::vector<std::pair<Side, std::string>> segments;
  uint64_t bytes = 0;
  for (int block = 0; block < 500; ++block) {
    std::string client;
    std::string server;
    for (int i = 0; i < 5; ++i) {
      const std::string key = absl::StrCat("user:", block, ":", i);
      client += Cmd({"SET", key, std::string(100, 'v')}) + Cmd({"GET", key});
      server += "+OK\r\n" + Bulk(std::string(100, 'v'));
    }
    bytes += client.size() + server.size();
    segments.emplace_back(Side::kClient, std::move(client));
    segments.emplace_back(Side::kServer, std::move(server));
  }
  constexpr int kRounds = 20;
  CountingSink sink;
  FlowFacts facts;
  const auto start = std::chrono::steady_clock::now();
  for (int round = 0; round < kRounds; ++round) {
    std::unique_ptr<StreamParser> parser = MakeRedisParser(&sink, &facts);
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
  std::printf("redis parser: %.1f MB in %.3f s = %.1f MB/s (%llu events)\n", mb, seconds,
              mb / seconds, static_cast<unsigned long long>(sink.events));
  EXPECT_EQ(sink.events, uint64_t{kRounds} * 500 * 10 * 3);  // command, reply, query each
}

}  // namespace
}  // namespace mcpcap::payload
