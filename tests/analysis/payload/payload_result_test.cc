// The result shapes of the three payload tools: endpoints, enums for closed sets, Timestamps,
// Durations and PacketRefs (also in findings' examples), over recorded captures.
#include <string>

#include "backend/analysis/database/database_queries.h"
#include "backend/analysis/payload/detect_protocols.h"
#include "backend/analysis/payload/payload.h"
#include "backend/base/proto_time.h"
#include "gtest/gtest.h"

namespace mcpcap {
namespace {

// 2026-11-27T17:11:50Z, the TLS 1.2 capture's first second; 2026-11-27T16:52:00Z, the MySQL one's.
constexpr int64_t kTlsCaptureSecond = 1795799510;
constexpr int64_t kMySqlCaptureSecond = 1795798320;

AnalysisInput InputFor(const std::string& name) {
  AnalysisInput input;
  input.source = name;
  input.local_path = std::string(MCPCAP_PAYLOAD_TEST_DATA) + "/" + name;
  input.listings.max = 100;
  return input;
}

TEST(PayloadResultTest, DetectedFlowHasEndpointsAndEnums) {
  absl::StatusOr<v1::DetectProtocolsResponse> r =
      DetectProtocols(InputFor("tls_1_2.pcap"), v1::DetectProtocolsRequest());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_GT(r->analysis_timestamp().seconds(), 0);
  ASSERT_EQ(r->flows_size(), 1);
  const v1::DetectedFlow& f = r->flows(0);
  EXPECT_EQ(f.client().ip(), "127.0.0.1");
  EXPECT_EQ(f.client().port(), 60546u);
  EXPECT_EQ(f.server().ip(), "127.0.0.1");
  EXPECT_EQ(f.server().port(), 8445u);
  EXPECT_EQ(f.transport(), v1::TRANSPORT_TCP);
  EXPECT_EQ(f.detected_by(), v1::DETECTION_METHOD_SIGNATURE);
  EXPECT_EQ(f.first_packet().packet_number(), 1u);
  EXPECT_EQ(f.first_packet().timestamp().seconds(), kTlsCaptureSecond);
  EXPECT_EQ(f.first_packet().timestamp().nanos(), 962567000);
}

TEST(PayloadResultTest, PayloadFlowHasEnumsTimestampsAndFindingExamples) {
  absl::StatusOr<v1::AnalyzePayloadResponse> r =
      AnalyzePayload(InputFor("tls_1_2.pcap"), v1::AnalyzePayloadRequest());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_GT(r->analysis_timestamp().seconds(), 0);
  ASSERT_EQ(r->flows_size(), 1);
  const v1::PayloadFlow& f = r->flows(0);
  EXPECT_EQ(f.client().port(), 60546u);
  EXPECT_EQ(f.server().port(), 8445u);
  EXPECT_EQ(f.detected_by(), v1::DETECTION_METHOD_SIGNATURE);
  EXPECT_EQ(f.encryption(), v1::ENCRYPTION_TLS);
  EXPECT_EQ(f.transport(), v1::TRANSPORT_TCP);
  ASSERT_GE(f.messages_size(), 2);
  EXPECT_EQ(f.messages(0).direction(), v1::PAYLOAD_DIRECTION_CLIENT_TO_SERVER);
  EXPECT_EQ(f.messages(0).packet_number(), 4u);
  EXPECT_EQ(f.messages(0).timestamp().seconds(), kTlsCaptureSecond);
  EXPECT_EQ(f.messages(0).timestamp().nanos(), 962904000);
  EXPECT_EQ(f.messages(1).direction(), v1::PAYLOAD_DIRECTION_SERVER_TO_CLIENT);
  ASSERT_EQ(f.tls().certificates_size(), 1);
  EXPECT_EQ(f.tls().certificates(0).not_before().seconds(), 1795799501);  // 2026-11-27T17:11:41Z
  EXPECT_EQ(f.tls().certificates(0).not_after().seconds(), 1827335501);   // 2027-11-27T17:11:41Z

  const v1::Finding* self_signed = nullptr;
  for (const v1::Finding& finding : r->findings()) {
    if (finding.indicator() == "self_signed_certificate") self_signed = &finding;
  }
  ASSERT_NE(self_signed, nullptr);
  ASSERT_EQ(self_signed->examples_size(), 1);
  EXPECT_EQ(self_signed->examples(0).packet_number(), 1u);
  EXPECT_EQ(self_signed->examples(0).timestamp().seconds(), kTlsCaptureSecond);
  EXPECT_EQ(self_signed->examples(0).timestamp().nanos(), 962567000);
}

TEST(PayloadResultTest, DatabaseQueryHasStatusLatencyAndResponsePacket) {
  absl::StatusOr<v1::ExtractDatabaseQueriesResponse> r =
      ExtractDatabaseQueries(InputFor("mysql_cleartext.pcap"), v1::ExtractDatabaseQueriesRequest());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_GT(r->analysis_timestamp().seconds(), 0);
  ASSERT_EQ(r->queries_size(), 1);
  const v1::DatabaseQuery& q = r->queries(0);
  EXPECT_EQ(q.packet_number(), 11u);
  EXPECT_EQ(q.timestamp().seconds(), kMySqlCaptureSecond);
  EXPECT_EQ(q.timestamp().nanos(), 20520000);
  EXPECT_EQ(q.client().ip(), "127.0.0.1");
  EXPECT_EQ(q.client().port(), 47878u);
  EXPECT_EQ(q.server().port(), 13306u);
  EXPECT_EQ(q.status(), v1::QUERY_STATUS_OK);
  ASSERT_TRUE(q.has_latency());
  EXPECT_NEAR(DurationMillis(q.latency()), 0.251, 0.0005);
  EXPECT_EQ(q.response_packet().packet_number(), 12u);
  EXPECT_EQ(q.response_packet().timestamp().seconds(), kMySqlCaptureSecond);
  EXPECT_EQ(DurationNanos(q.latency()),
            int64_t{q.response_packet().timestamp().nanos()} - q.timestamp().nanos());

  ASSERT_EQ(r->most_frequent_size(), 1);
  const v1::QueryStat& s = r->most_frequent(0);
  EXPECT_EQ(DurationNanos(s.total_latency()), DurationNanos(q.latency()));
  EXPECT_EQ(DurationNanos(s.average_latency()), DurationNanos(q.latency()));
  EXPECT_EQ(DurationNanos(s.max_latency()), DurationNanos(q.latency()));
  EXPECT_EQ(s.slowest_packet().packet_number(), 11u);
  EXPECT_EQ(s.slowest_packet().timestamp().nanos(), q.timestamp().nanos());
  EXPECT_NEAR(DurationMillis(r->latency().max()), 0.251, 0.0005);

  ASSERT_EQ(r->connections_size(), 2);
  EXPECT_EQ(r->connections(0).client().port(), 47878u);
  EXPECT_EQ(r->connections(1).client().port(), 47886u);

  ASSERT_GE(r->findings_size(), 2);
  EXPECT_EQ(r->findings(0).indicator(), "cleartext_credentials");
  EXPECT_EQ(r->findings(0).severity(), v1::SEVERITY_HIGH);
  ASSERT_EQ(r->findings(0).examples_size(), 1);
  EXPECT_EQ(r->findings(0).examples(0).packet_number(), 6u);
  EXPECT_EQ(r->findings(0).examples(0).timestamp().seconds(), kMySqlCaptureSecond);
  EXPECT_EQ(r->findings(1).indicator(), "unencrypted_database_session");
  ASSERT_EQ(r->findings(1).examples_size(), 2);
  EXPECT_EQ(r->findings(1).examples(0).packet_number(), 1u);
  EXPECT_EQ(r->findings(1).examples(0).timestamp().nanos(), 6104000);
  EXPECT_EQ(r->findings(1).examples(1).packet_number(), 17u);
  EXPECT_EQ(r->findings(1).examples(1).timestamp().nanos(), 75722000);
}

}  // namespace
}  // namespace mcpcap
