// The Redis and MongoDB parsers under the capture scan (RunPayloadScan), over real traffic:
// redis_*.pcap recorded here from redis-server 7.0 and redis-cli on port 16380
// (tests/analysis/payload/data/record_redis.sh), and the shared public captures with Redis (zeek)
// and MongoDB (packetbeat).
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "backend/analysis/payload/payload_scan.h"
#include "gtest/gtest.h"

namespace mcpcap {
namespace {

using payload::Protocol;
using payload::QueryStatus;

PayloadScanResult Scan(const std::string& path) {
  AnalysisInput input;
  input.source = input.local_path = path;
  PayloadScanOptions options;
  options.max_messages_per_flow = 1000;
  absl::StatusOr<PayloadScanResult> result = RunPayloadScan(input, options);
  EXPECT_TRUE(result.ok()) << path << ": " << result.status();
  return result.ok() ? std::move(*result) : PayloadScanResult{};
}

std::string Data(const std::string& name) {
  return std::string(MCPCAP_PAYLOAD_TEST_DATA) + "/" + name;
}

// "SET|WRITE|ok|rows=-|affected=-" for a query, compactly.
std::string Digest(const payload::DbQuery& q) {
  const char* status = q.status == QueryStatus::kOk      ? "ok"
                       : q.status == QueryStatus::kError ? "error"
                                                         : "none";
  return absl::StrCat(q.command, "|", q.query_type, "|", status, q.error_code.empty() ? "" : ":",
                      q.error_code, "|rows=", q.has_rows ? absl::StrCat(q.rows) : "-",
                      "|affected=", q.has_affected_rows ? absl::StrCat(q.affected_rows) : "-");
}

std::vector<std::string> ServerTypes(const PayloadFlowResult& flow) {
  std::vector<std::string> types;
  for (const payload::AppMessage& m : flow.messages) {
    if (m.from == payload::Side::kServer) types.push_back(m.type);
  }
  return types;
}

void ExpectCleanRedisFlow(const PayloadFlowResult& flow) {
  EXPECT_EQ(flow.detection.protocol, Protocol::kRedis);
  EXPECT_EQ(flow.detection.detected_by, "signature");  // port 16380 is not Redis's
  EXPECT_TRUE(flow.parsed);
  EXPECT_EQ(flow.client_stop_reason, "");
  EXPECT_EQ(flow.server_stop_reason, "");
  EXPECT_EQ(flow.server_port, 16380);
}

TEST(KvCaptureTest, RedisBasicCommandsOnePerConnection) {
  const PayloadScanResult r = Scan(Data("redis_basic.pcap"));
  ASSERT_EQ(r.flows.size(), 13u);
  // Each redis-cli run: AUTH alice, SELECT 1, then the command.
  const std::vector<std::string> expected = {
      "SET|WRITE|ok|rows=-|affected=-",
      "GET|READ|ok|rows=-|affected=-",
      "INCR|WRITE|ok|rows=-|affected=-",
      "INCR|WRITE|ok|rows=-|affected=-",
      "HSET|WRITE|ok|rows=-|affected=2",
      "HGETALL|READ|ok|rows=4|affected=-",
      "LPUSH|WRITE|ok|rows=-|affected=-",
      "LRANGE|READ|ok|rows=3|affected=-",
      "LPUSH|WRITE|error:WRONGTYPE|rows=-|affected=-",
      "DEL|WRITE|ok|rows=-|affected=2",
      "GET|READ|ok|rows=-|affected=-",
      "INFO|ADMIN|ok|rows=-|affected=-",
  };
  for (size_t i = 0; i < expected.size(); ++i) {
    const PayloadFlowResult& f = r.flows[i];
    SCOPED_TRACE(absl::StrCat("flow ", i));
    ExpectCleanRedisFlow(f);
    ASSERT_EQ(f.queries.size(), 3u);
    EXPECT_EQ(Digest(f.queries[0]), "AUTH|AUTH|ok|rows=-|affected=-");
    EXPECT_EQ(f.queries[0].text, "AUTH alice al****");
    EXPECT_EQ(Digest(f.queries[1]), "SELECT|CONNECTION|ok|rows=-|affected=-");
    EXPECT_EQ(f.queries[1].database, "");
    EXPECT_EQ(Digest(f.queries[2]), expected[i]);
    EXPECT_EQ(f.queries[2].database, "1");
    EXPECT_EQ(f.facts.user, "alice");
    EXPECT_EQ(f.facts.database, "1");
    ASSERT_EQ(f.credentials.size(), 1u);
    EXPECT_EQ(f.credentials[0].kind, "redis_auth");
    EXPECT_EQ(f.credentials[0].user, "alice");
    EXPECT_EQ(f.credentials[0].evidence, "AUTH alice al****");
    ASSERT_EQ(f.messages.size(), 6u);
    EXPECT_EQ(f.messages[4].start.frame, f.queries[2].request.frame);
    EXPECT_EQ(f.messages[5].start.frame, f.queries[2].response.frame);
  }
  EXPECT_EQ(r.flows[0].queries[2].text, "SET greeting hello");
  EXPECT_EQ(r.flows[4].queries[2].text, "HSET user:1 name Ada lang C");
  EXPECT_EQ(r.flows[8].queries[2].error_message,
            "Operation against a key holding the wrong kind of value");
  EXPECT_EQ(r.flows[8].messages[5].type, "-WRONGTYPE");
  EXPECT_EQ(r.flows[10].messages[5].type, "$-1");
  EXPECT_EQ(r.flows[11].facts.server_version, "7.0.15");  // from INFO's redis_version
  EXPECT_EQ(r.flows[11].messages[5].type, "$629");
  // A wrong password: the attempt is still a visible credential; the user is not confirmed.
  const PayloadFlowResult& wrong = r.flows[12];
  ExpectCleanRedisFlow(wrong);
  ASSERT_EQ(wrong.queries.size(), 2u);
  EXPECT_EQ(Digest(wrong.queries[0]), "AUTH|AUTH|error:WRONGPASS|rows=-|affected=-");
  EXPECT_EQ(Digest(wrong.queries[1]), "PING|CONNECTION|error:NOAUTH|rows=-|affected=-");
  ASSERT_EQ(wrong.credentials.size(), 1u);
  EXPECT_EQ(wrong.credentials[0].evidence, "AUTH alice wr****");
  EXPECT_EQ(wrong.facts.user, "");
}

TEST(KvCaptureTest, RedisPipelineSharesSegments) {
  const PayloadScanResult r = Scan(Data("redis_pipeline.pcap"));
  ASSERT_EQ(r.flows.size(), 1u);
  const PayloadFlowResult& f = r.flows[0];
  ExpectCleanRedisFlow(f);
  ASSERT_EQ(f.queries.size(), 10u);  // AUTH, 8 pipelined commands, redis-cli's closing ECHO
  std::vector<std::string> texts;
  for (size_t i = 1; i <= 8; ++i) {
    texts.push_back(f.queries[i].text);
    // All eight were sent in one segment and answered in one.
    EXPECT_EQ(f.queries[i].request.frame, 8u);
    EXPECT_EQ(f.queries[i].response.frame, 9u);
    EXPECT_EQ(f.queries[i].status, QueryStatus::kOk);
  }
  EXPECT_EQ(absl::StrJoin(texts, "; "),
            "SET pk:1 1; SET pk:2 2; SET pk:3 3; SET pk:4 4; SET pk:5 5; INCR pk:1; "
            "MGET pk:1 pk:2; DEL pk:3");
  EXPECT_EQ(Digest(f.queries[7]), "MGET|READ|ok|rows=2|affected=-");
  EXPECT_EQ(Digest(f.queries[8]), "DEL|WRITE|ok|rows=-|affected=1");
  EXPECT_EQ(absl::StrJoin(ServerTypes(f), ","), "+OK,+OK,+OK,+OK,+OK,+OK,:2,*2,:1,$20");
  EXPECT_EQ(f.queries[9].command, "ECHO");
  EXPECT_EQ(f.credentials.size(), 1u);
  EXPECT_EQ(f.credentials[0].evidence, "AUTH de****");
}

TEST(KvCaptureTest, RedisResp3RepliesAndPush) {
  const PayloadScanResult r = Scan(Data("redis_resp3.pcap"));
  ASSERT_EQ(r.flows.size(), 12u);
  // redis-cli -3: AUTH alice, HELLO 3 (a map), then the command, whose reply is RESP3.
  const std::vector<std::string> replies = {"+OK,%7,:2", "+OK,%7,%2", "+OK,%7,:3",
                                            "+OK,%7,~3", "+OK,%7,:1", "+OK,%7,,1.5",
                                            "+OK,%7,_",  "+OK,%7,:1", "+OK,%7,:1"};
  for (size_t i = 0; i < replies.size(); ++i) {
    const PayloadFlowResult& f = r.flows[i + 1];
    SCOPED_TRACE(absl::StrCat("flow ", i + 1));
    ExpectCleanRedisFlow(f);
    EXPECT_EQ(absl::StrJoin(ServerTypes(f), ","), replies[i]);
    ASSERT_EQ(f.queries.size(), 3u);
    EXPECT_EQ(f.queries[1].text, "HELLO 3");
    EXPECT_EQ(Digest(f.queries[1]), "HELLO|CONNECTION|ok|rows=7|affected=-");
    EXPECT_EQ(f.facts.server_version, "7.0.15");  // HELLO's "version"
    ASSERT_EQ(f.facts.notes.size(), 1u);
    EXPECT_EQ(f.facts.notes[0], "client switched to RESP3 (HELLO 3)");
  }
  EXPECT_EQ(Digest(r.flows[2].queries[2]), "HGETALL|READ|ok|rows=2|affected=-");
  EXPECT_EQ(Digest(r.flows[4].queries[2]), "SMEMBERS|READ|ok|rows=3|affected=-");
  EXPECT_EQ(Digest(r.flows[7].queries[2]), "GET|READ|ok|rows=-|affected=-");
  // The subscriber: its SUBSCRIBE is confirmed by a push; the published message is a push too,
  // not a reply.
  const PayloadFlowResult& sub = r.flows[10];
  ExpectCleanRedisFlow(sub);
  EXPECT_EQ(absl::StrJoin(ServerTypes(sub), ","), "+OK,%7,subscribe,message");
  ASSERT_EQ(sub.queries.size(), 3u);
  EXPECT_EQ(Digest(sub.queries[2]), "SUBSCRIBE|PUBSUB|ok|rows=-|affected=-");
  const payload::AppMessage& message = sub.messages.back();
  EXPECT_EQ(message.summary, "push of 3 elements");
  EXPECT_EQ(message.fields[1].first, "channel");
  EXPECT_EQ(message.fields[1].second, "news");
  EXPECT_EQ(Digest(r.flows[11].queries[1]), "PUBLISH|PUBSUB|ok|rows=-|affected=-");
}

TEST(KvCaptureTest, RedisLargeValueIsSkipped) {
  const PayloadScanResult r = Scan(Data("redis_large.pcap"));
  ASSERT_EQ(r.flows.size(), 2u);
  const PayloadFlowResult& f = r.flows[0];
  ExpectCleanRedisFlow(f);
  ASSERT_EQ(f.queries.size(), 2u);
  EXPECT_EQ(f.queries[1].text, "SET bigvalue " + std::string(256, 'x') + "...(200000 bytes)");
  EXPECT_EQ(f.queries[1].status, QueryStatus::kOk);
  const payload::AppMessage& set = f.messages[2];
  EXPECT_EQ(set.type, "SET");
  EXPECT_EQ(set.length, 4 + 9 + 14 + 9 + 200000u + 2);  // *3, $3 SET, $8 bigvalue, $200000
  EXPECT_GT(f.payload_bytes_client_to_server, 200000u);
  EXPECT_EQ(Digest(r.flows[1].queries[1]), "STRLEN|READ|ok|rows=-|affected=-");
  EXPECT_EQ(ServerTypes(r.flows[1]).back(), ":200000");
}

// tests/analysis/payload/data/make_edge_captures.py: inline commands (any case, extra spaces, blank
// lines, LF-only line ends) then RESP commands with RESP3 null, empty and attributed replies, on
// a port that is not Redis's.
TEST(KvCaptureTest, RedisInlineCommandsAndResp3Edges) {
  const PayloadScanResult r = Scan(Data("redis_inline.pcap"));
  ASSERT_EQ(r.flows.size(), 2u);
  std::vector<std::string> got;
  for (const PayloadFlowResult& flow : r.flows) {
    EXPECT_EQ(flow.detection.protocol, Protocol::kRedis) << flow.client_port;
    EXPECT_EQ(flow.detection.detected_by, "signature") << flow.client_port;
    EXPECT_EQ(flow.client_stop_reason, "") << flow.client_port;
    EXPECT_EQ(flow.server_stop_reason, "") << flow.client_port;
    for (const payload::DbQuery& q : flow.queries) got.push_back(q.text + " => " + Digest(q));
  }
  EXPECT_EQ(got, (std::vector<std::string>{
                     "ping => PING|CONNECTION|ok|rows=-|affected=-",
                     "set greeting hello => SET|WRITE|ok|rows=-|affected=-",
                     "GET greeting => GET|READ|ok|rows=-|affected=-",
                     "incr visits => INCR|WRITE|ok|rows=-|affected=-",
                     "incr visits => INCR|WRITE|ok|rows=-|affected=-",
                     "HELLO 3 => HELLO|CONNECTION|ok|rows=2|affected=-",
                     "GET missing => GET|READ|ok|rows=-|affected=-",
                     "LRANGE empty 0 -1 => LRANGE|READ|ok|rows=0|affected=-",
                     "GET greeting => GET|READ|ok|rows=-|affected=-",
                     "QUIT => QUIT|CONNECTION|ok|rows=-|affected=-",
                     "dbsize => DBSIZE|READ|ok|rows=-|affected=-",
                     "keys * => KEYS|READ|ok|rows=1|affected=-",
                 }));
}

TEST(KvCaptureTest, ZeekRedisSet) {
  if (!std::filesystem::is_directory(MCPCAP_SHARED_CAPTURES)) {
    GTEST_SKIP() << "no shared captures at " << MCPCAP_SHARED_CAPTURES;
  }
  const PayloadScanResult r = Scan(std::string(MCPCAP_SHARED_CAPTURES) + "/zeek__set.pcap");
  ASSERT_EQ(r.flows.size(), 1u);
  const PayloadFlowResult& f = r.flows[0];
  EXPECT_EQ(f.detection.protocol, Protocol::kRedis);
  ASSERT_EQ(f.queries.size(), 3u);
  std::vector<std::string> texts;
  for (const payload::DbQuery& q : f.queries) {
    texts.push_back(
        absl::StrCat(q.request.frame, ">", q.response.frame, " ", q.text, " ", Digest(q)));
  }
  EXPECT_EQ(absl::StrJoin(texts, "\n"),
            "1>3 SET test hi SET|WRITE|ok|rows=-|affected=-\n"
            "5>7 SET one:1 2 SET|WRITE|ok|rows=-|affected=-\n"
            "9>11 SET two:2 three SET|WRITE|ok|rows=-|affected=-");
}

TEST(KvCaptureTest, PacketbeatMongoDbInserts) {
  if (!std::filesystem::is_directory(MCPCAP_SHARED_CAPTURES)) {
    GTEST_SKIP() << "no shared captures at " << MCPCAP_SHARED_CAPTURES;
  }
  const PayloadScanResult r =
      Scan(std::string(MCPCAP_SHARED_CAPTURES) + "/pbeat__mongodb_inserts.pcap");
  ASSERT_EQ(r.flows.size(), 1u);
  const PayloadFlowResult& f = r.flows[0];
  EXPECT_EQ(f.detection.protocol, Protocol::kMongoDb);
  EXPECT_EQ(f.server_port, 27017);
  EXPECT_EQ(f.client_stop_reason, "");
  EXPECT_EQ(f.server_stop_reason, "");
  std::vector<std::string> got;
  for (const payload::DbQuery& q : f.queries) {
    got.push_back(absl::StrCat(q.request.frame, ">", q.response.frame, " ", q.database, " ",
                               Digest(q), " ", q.text));
  }
  EXPECT_EQ(absl::StrJoin(got, "\n"),
            "1>2 admin isMaster|COMMAND|ok|rows=-|affected=- {isMaster: 1}\n"
            "4>5 testDB insert|INSERT|ok|rows=-|affected=1 {insert: \"testCollection\", "
            "documents: [{_id: ObjectId(\"554769b19370af252b761fe4\"), testKey: \"value1\"}], "
            "ordered: true}\n"
            "6>7 testDB isMaster|COMMAND|ok|rows=-|affected=- {isMaster: 1, forShell: 1}\n"
            "9>10 testDB insert|INSERT|ok|rows=-|affected=1 {insert: \"testCollection\", "
            "documents: [{_id: ObjectId(\"554769cc9370af252b761fe5\"), testKey: \"value2\"}], "
            "ordered: true}\n"
            "12>13 testDB isMaster|COMMAND|ok|rows=-|affected=- {isMaster: 1, forShell: 1}");
  ASSERT_EQ(f.messages.size(), 10u);
  EXPECT_EQ(f.messages[0].type, "OP_QUERY");
  EXPECT_EQ(f.messages[1].type, "OP_REPLY");
  std::string fields;
  for (const auto& [k, v] : f.messages[1].fields) absl::StrAppend(&fields, k, "=", v, ";");
  EXPECT_EQ(fields, "request_id=116;response_to=14;number_returned=1;status=ok;reply_to=isMaster;");
  EXPECT_EQ(f.messages[1].length, 194u);
}

}  // namespace
}  // namespace mcpcap
