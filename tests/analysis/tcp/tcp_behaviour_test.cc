// What each recorded scenario must show, stated as facts a TCP engineer would check by hand,
// plus the original's bugs that must stay fixed and the request validation.
#include <filesystem>
#include <map>
#include <string>

#include "backend/analysis/tcp/tcp_anomalies.h"
#include "backend/analysis/tcp/tcp_connections.h"
#include "backend/analysis/tcp/tcp_retransmissions.h"
#include "backend/analysis/tcp/traffic_flow.h"
#include "gtest/gtest.h"

namespace mcpcap {
namespace {

AnalysisInput Input(const std::string& path) {
  AnalysisInput in;
  in.source = path;
  in.local_path = path;
  return in;
}
std::string Data(const char* name) { return std::string(MCPCAP_TCP_DATA) + "/" + name; }
std::string Ref(const char* name) {
  return std::string(MCPCAP_REFERENCE) + "/mcpcap-inputs/" + name;
}

v1::AnalyzeTcpConnectionsResponse Connections(const std::string& path) {
  v1::AnalyzeTcpConnectionsRequest req;
  req.set_detailed(true);
  auto r = AnalyzeTcpConnections(Input(path), req);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : v1::AnalyzeTcpConnectionsResponse();
}

v1::AnalyzeTcpAnomaliesResponse Anomalies(const std::string& path) {
  auto r = AnalyzeTcpAnomalies(Input(path), v1::AnalyzeTcpAnomaliesRequest());
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : v1::AnalyzeTcpAnomaliesResponse();
}

uint64_t Event(const v1::AnalyzeTcpAnomaliesResponse& r, const std::string& kind) {
  for (const auto& e : r.events()) {
    if (e.kind() == kind) return e.count();
  }
  return 0;
}

bool HasDiagnosis(const v1::AnalyzeTcpAnomaliesResponse& r, const std::string& id) {
  for (const auto& d : r.diagnoses()) {
    if (d.indicator() == id) {
      EXPECT_GE(d.confidence(), 0.0);
      EXPECT_LE(d.confidence(), 1.0);
      EXPECT_FALSE(d.recommendation().empty());
      return true;
    }
  }
  return false;
}

TEST(TcpScenario, HttpClosesNormallyOverBothIpVersions) {
  const auto r = Connections(Data("http.pcap"));
  ASSERT_EQ(r.connections_size(), 2);
  for (const auto& c : r.connections()) {
    EXPECT_EQ(c.conn_state(), "SF") << c.client();
    EXPECT_TRUE(c.handshake_completed());
    EXPECT_EQ(c.close_reason(), "normal");
    EXPECT_EQ(c.retransmissions(), 0u);
    EXPECT_EQ(c.syn_count(), 1u);  // SYN-ACKs are not SYNs (the original counted 2)
    EXPECT_EQ(c.role_source(), "handshake");
    EXPECT_GT(c.handshake_rtt_ms(), 0);
    EXPECT_EQ(c.history().substr(0, 3), "ShA");
  }
  EXPECT_EQ(r.connections(1).server(), "[fd00:77::2]:8080");
  EXPECT_EQ(r.summary().successful_handshakes(), 2u);
}

TEST(TcpScenario, RefusedPortIsRej) {
  const auto r = Connections(Data("refused.pcap"));
  ASSERT_EQ(r.connections_size(), 1);
  EXPECT_EQ(r.connections(0).conn_state(), "REJ");
  EXPECT_EQ(r.connections(0).reset_by(), "server");
  EXPECT_FALSE(r.connections(0).handshake_completed());
  const auto a = Anomalies(Data("refused.pcap"));
  EXPECT_EQ(a.rst_patterns().refused_connections(), 1u);
  EXPECT_TRUE(HasDiagnosis(a, "connection_refused"));
}

TEST(TcpScenario, UnansweredSynIsS0WithRetries) {
  const auto r = Connections(Data("unanswered.pcap"));
  ASSERT_EQ(r.connections_size(), 1);
  EXPECT_EQ(r.connections(0).conn_state(), "S0");
  EXPECT_GE(r.connections(0).syn_retries(), 2u);
  const auto a = Anomalies(Data("unanswered.pcap"));
  EXPECT_EQ(a.syn_unanswered(), 1u);
  EXPECT_EQ(a.syn_retried(), 1u);
  EXPECT_TRUE(HasDiagnosis(a, "syn_unanswered"));
}

TEST(TcpScenario, LossShowsRetransmissionsAndDupAcks) {
  const auto a = Anomalies(Data("loss.pcap"));
  EXPECT_GT(Event(a, "duplicate_ack"), 0u);
  EXPECT_GT(Event(a, "fast_retransmission") + Event(a, "retransmission"), 0u);
  EXPECT_TRUE(HasDiagnosis(a, "packet_loss"));
  auto r =
      AnalyzeTcpRetransmissions(Input(Data("loss.pcap")), v1::AnalyzeTcpRetransmissionsRequest());
  ASSERT_TRUE(r.ok());
  EXPECT_GT(r->total_retransmissions(), 0u);
  EXPECT_EQ(r->threshold(), 0.02);
  ASSERT_EQ(r->by_connection_size(), 1);
  EXPECT_EQ(r->summary().worst_connection(), r->by_connection(0).connection());
}

// Every frame seen twice, 20 us apart (a SPAN port, or two capture interfaces). A repeated SYN
// ends exactly where the original did, so it is a retransmission, not out-of-order, however
// soon it comes: the SYN's sequence number counts in that comparison. Totals as tshark gives.
TEST(TcpScenario, DuplicatedFramesCountAsRetransmissions) {
  auto r = AnalyzeTcpRetransmissions(Input(Data("duplicated.pcap")),
                                     v1::AnalyzeTcpRetransmissionsRequest());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->total_packets(), 320u);
  EXPECT_EQ(r->total_retransmissions(), 51u);
  EXPECT_EQ(r->fast_retransmissions(), 11u);
  EXPECT_EQ(r->spurious_retransmissions(), 11u);
  const auto a = Anomalies(Data("duplicated.pcap"));
  EXPECT_EQ(Event(a, "out_of_order"), 70u);
  EXPECT_EQ(Event(a, "duplicate_ack"), 75u);
}

// MariaDB over loopback with input drops (record_mysql.sh): a handshake RTT of microseconds
// makes the out-of-order window tiny, so the repeats (a FIN among them) are retransmissions.
TEST(TcpScenario, MysqlOverLoopbackWithLoss) {
  auto r = AnalyzeTcpRetransmissions(Input(Data("mysql_loopback.pcap")),
                                     v1::AnalyzeTcpRetransmissionsRequest());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->total_packets(), 314u);
  EXPECT_EQ(r->total_retransmissions(), 18u);
  EXPECT_EQ(r->spurious_retransmissions(), 3u);
  EXPECT_EQ(r->by_connection_size(), 8);
  const auto a = Anomalies(Data("mysql_loopback.pcap"));
  EXPECT_EQ(Event(a, "out_of_order"), 4u);
  EXPECT_EQ(Event(a, "duplicate_ack"), 7u);
}

TEST(TcpScenario, ServerResetMidStream) {
  const auto r = Connections(Data("reset.pcap"));
  ASSERT_EQ(r.connections_size(), 1);
  EXPECT_EQ(r.connections(0).conn_state(), "RSTR");
  EXPECT_EQ(r.connections(0).reset_by(), "server");
  const auto a = Anomalies(Data("reset.pcap"));
  EXPECT_EQ(a.rst_patterns().mid_stream_resets(), 1u);
  EXPECT_TRUE(HasDiagnosis(a, "server_aborts_connections"));
}

TEST(TcpScenario, StoppedReaderGivesZeroWindowStall) {
  const auto a = Anomalies(Data("zerowindow.pcap"));
  EXPECT_GT(Event(a, "zero_window"), 0u);
  EXPECT_GT(Event(a, "window_full"), 0u);
  ASSERT_GE(a.zero_window_stall_count(), 1u);
  EXPECT_GT(a.zero_window_stalls(0).duration_seconds(), 2.0);  // the server slept 3 s
  EXPECT_EQ(a.zero_window_stalls(0).receiver(), "server");
  EXPECT_TRUE(HasDiagnosis(a, "receiver_window_exhausted"));
}

TEST(TcpScenario, KeepAlivesAreNotRetransmissions) {
  const auto a = Anomalies(Data("keepalive.pcap"));
  EXPECT_GE(Event(a, "keep_alive"), 2u);
  EXPECT_GE(Event(a, "keep_alive_ack"), 2u);
  EXPECT_EQ(Event(a, "retransmission"), 0u);
  EXPECT_TRUE(HasDiagnosis(a, "keep_alives"));
}

// The original flagged the first data segment after a pure ACK (3 in synth_tcp.pcap where
// there is 1) and took SYN + SYN-ACK for a complete handshake.
TEST(TcpOriginalBugs, SynthTcpCountsAreRight) {
  if (!std::filesystem::exists(Ref("synth_tcp.pcap"))) GTEST_SKIP() << "reference absent";
  const auto r = Connections(Ref("synth_tcp.pcap"));
  ASSERT_EQ(r.summary().total_connections(), 5u);
  EXPECT_EQ(r.connections(0).retransmissions(), 1u);
  EXPECT_EQ(r.connections(0).syn_count(), 1u);
  // 10.0.0.1:40003: SYN, SYN-ACK, ACK, then the client's RST.
  EXPECT_TRUE(r.connections(3).handshake_completed());
  EXPECT_EQ(r.connections(3).conn_state(), "RSTO");
  EXPECT_EQ(r.connections(3).history(), "ShAR");
  // 10.0.0.3:40002: two SYNs, no answer.
  EXPECT_EQ(r.connections(2).conn_state(), "S0");
  EXPECT_EQ(r.connections(2).syn_retries(), 1u);
  // 10.0.0.1:40004 is mid-stream: the server is port 80, stated as a guess.
  EXPECT_EQ(r.connections(4).server(), "10.0.0.2:80");
  EXPECT_EQ(r.connections(4).role_source(), "port_guess");
  EXPECT_EQ(r.summary().mid_stream_connections(), 1u);
}

TEST(TcpOriginalBugs, AnomaliesAndRetransmissionsDoNotCrashOnTcp) {
  if (!std::filesystem::exists(Ref("synth_tcp.pcap"))) GTEST_SKIP() << "reference absent";
  EXPECT_EQ(Anomalies(Ref("synth_tcp.pcap")).total_connections(), 5u);
  auto r = AnalyzeTcpRetransmissions(Input(Ref("synth_tcp.pcap")),
                                     v1::AnalyzeTcpRetransmissionsRequest());
  ASSERT_TRUE(r.ok()) << r.status();
  // The data retransmission of 40000 and the SYN retransmission of 40002 (the original saw 3
  // retransmissions in 40000 alone).
  EXPECT_EQ(r->total_retransmissions(), 2u);
}

TEST(TcpRequests, TrafficFlowNeedsAServerIp) {
  v1::AnalyzeTrafficFlowRequest req;
  auto r = AnalyzeTrafficFlow(Input(Data("http.pcap")), req);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  req.set_server_ip("not-an-ip");
  r = AnalyzeTrafficFlow(Input(Data("http.pcap")), req);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("not-an-ip"), std::string::npos);
}

TEST(TcpRequests, FiltersAndThreshold) {
  v1::AnalyzeTcpConnectionsRequest req;
  req.set_server_ip("fd00:77::2");
  auto r = AnalyzeTcpConnections(Input(Data("http.pcap")), req);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->summary().total_connections(), 1u);
  req.set_server_port(9999);
  r = AnalyzeTcpConnections(Input(Data("http.pcap")), req);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->summary().total_connections(), 0u);
  v1::AnalyzeTcpRetransmissionsRequest rr;
  rr.set_threshold(2);
  EXPECT_EQ(AnalyzeTcpRetransmissions(Input(Data("http.pcap")), rr).status().code(),
            absl::StatusCode::kInvalidArgument);
  rr.set_threshold(0.5);
  rr.set_server_port(8080);
  auto rt = AnalyzeTcpRetransmissions(Input(Data("http.pcap")), rr);
  ASSERT_TRUE(rt.ok());
  EXPECT_EQ(rt->by_connection_size(), 2);
}

TEST(TcpRequests, TrafficFlowSplitsByServer) {
  v1::AnalyzeTrafficFlowRequest req;
  req.set_server_ip("10.77.0.2");
  auto r = AnalyzeTrafficFlow(Input(Data("reset.pcap")), req);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->server(), "10.77.0.2:any");
  EXPECT_EQ(r->client_to_server().syn_count(), 1u);
  EXPECT_EQ(r->server_to_client().syn_ack_count(), 1u);
  EXPECT_EQ(r->analysis().primary_rst_source(), "server");
  EXPECT_NE(r->analysis().interpretation().find("server"), std::string::npos);
}

}  // namespace
}  // namespace mcpcap
