// What each recorded scenario must show, stated as facts a TCP engineer would check by hand,
// plus the original's bugs that must stay fixed and the request validation.
#include <filesystem>
#include <map>
#include <string>

#include "backend/analysis/tcp/tcp_anomalies.h"
#include "backend/analysis/tcp/tcp_connections.h"
#include "backend/analysis/tcp/tcp_retransmissions.h"
#include "backend/analysis/tcp/traffic_flow.h"
#include "backend/base/proto_time.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/analysis/tcp/tcp_test_inputs.h"

namespace mcpcap {
namespace {

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

uint64_t Event(const v1::AnalyzeTcpAnomaliesResponse& r, v1::TcpEventKind kind) {
  for (const auto& e : r.events()) {
    if (e.kind() == kind) return e.count();
  }
  return 0;
}

bool HasDiagnosis(const v1::AnalyzeTcpAnomaliesResponse& r, const std::string& id) {
  for (const auto& d : r.findings()) {
    if (d.indicator() == id) {
      EXPECT_GE(d.confidence(), 0.0);
      EXPECT_LE(d.confidence(), 1.0);
      EXPECT_FALSE(d.recommendation().empty());
      uint64_t previous = 0;
      for (const v1::PacketRef& x : d.examples()) {
        EXPECT_GT(x.packet_number(), previous) << id << ": examples in frame order";
        EXPECT_GT(x.timestamp().seconds(), 0) << id << ": example without its capture time";
        previous = x.packet_number();
      }
      return true;
    }
  }
  return false;
}

TEST(TcpScenario, HttpClosesNormallyOverBothIpVersions) {
  const auto r = Connections(Data("http.pcap"));
  ASSERT_EQ(r.connections_size(), 2);
  for (const auto& c : r.connections()) {
    EXPECT_EQ(c.conn_state(), v1::TCP_CONN_STATE_SF) << c.client().ShortDebugString();
    EXPECT_TRUE(c.handshake_completed());
    EXPECT_EQ(c.state(), v1::TCP_CONNECTION_STATE_CLOSED);
    EXPECT_EQ(c.close_reason(), v1::TCP_CLOSE_REASON_NORMAL);
    EXPECT_EQ(c.reset_by(), v1::TCP_RESET_BY_UNSPECIFIED);
    EXPECT_EQ(c.retransmissions(), 0u);
    EXPECT_EQ(c.syn_count(), 1u);  // SYN-ACKs are not SYNs (the original counted 2)
    EXPECT_EQ(c.role_source(), v1::TCP_ROLE_SOURCE_HANDSHAKE);
    ASSERT_TRUE(c.has_handshake_rtt());
    EXPECT_GT(DurationNanos(c.handshake_rtt()), 0);
    EXPECT_GE(DurationNanos(c.duration()), DurationNanos(c.handshake_rtt()));
    EXPECT_EQ(c.history().substr(0, 3), "ShA");
    // The first segment's time is the connection's start; the last comes a duration later.
    EXPECT_EQ(c.start_time().seconds(), c.first_packet().timestamp().seconds());
    EXPECT_EQ(c.start_time().nanos(), c.first_packet().timestamp().nanos());
    EXPECT_LT(c.first_packet().packet_number(), c.last_packet().packet_number());
    const int64_t span =
        (c.last_packet().timestamp().seconds() - c.first_packet().timestamp().seconds()) *
            1000000000 +
        (c.last_packet().timestamp().nanos() - c.first_packet().timestamp().nanos());
    EXPECT_EQ(span, DurationNanos(c.duration()));
    EXPECT_TRUE(c.client().has_port());
    EXPECT_TRUE(c.client_to_server().has_mss());
  }
  EXPECT_EQ(r.connections(1).server().ip(), "fd00:77::2");
  EXPECT_EQ(r.connections(1).server().port(), 8080u);
  EXPECT_FALSE(r.has_filter() && r.filter().has_server());
  EXPECT_EQ(r.summary().successful_handshakes(), 2u);
}

TEST(TcpScenario, RefusedPortIsRej) {
  const auto r = Connections(Data("refused.pcap"));
  ASSERT_EQ(r.connections_size(), 1);
  EXPECT_EQ(r.connections(0).conn_state(), v1::TCP_CONN_STATE_REJ);
  EXPECT_EQ(r.connections(0).reset_by(), v1::TCP_RESET_BY_SERVER);
  EXPECT_EQ(r.connections(0).close_reason(), v1::TCP_CLOSE_REASON_RESET);
  EXPECT_FALSE(r.connections(0).handshake_completed());
  EXPECT_FALSE(r.connections(0).has_handshake_rtt());
  const auto a = Anomalies(Data("refused.pcap"));
  EXPECT_EQ(a.rst_patterns().refused_connections(), 1u);
  ASSERT_GE(a.rst_patterns().examples_size(), 1);
  EXPECT_GT(a.rst_patterns().examples(0).timestamp().seconds(), 0);
  EXPECT_TRUE(HasDiagnosis(a, "connection_refused"));
}

TEST(TcpScenario, UnansweredSynIsS0WithRetries) {
  const auto r = Connections(Data("unanswered.pcap"));
  ASSERT_EQ(r.connections_size(), 1);
  EXPECT_EQ(r.connections(0).conn_state(), v1::TCP_CONN_STATE_S0);
  EXPECT_GE(r.connections(0).syn_retries(), 2u);
  const auto a = Anomalies(Data("unanswered.pcap"));
  EXPECT_EQ(a.syn_unanswered(), 1u);
  EXPECT_EQ(a.syn_retried(), 1u);
  EXPECT_TRUE(HasDiagnosis(a, "syn_unanswered"));
}

TEST(TcpScenario, LossShowsRetransmissionsAndDupAcks) {
  const auto a = Anomalies(Data("loss.pcap"));
  EXPECT_GT(Event(a, v1::TCP_EVENT_KIND_DUPLICATE_ACK), 0u);
  EXPECT_GT(Event(a, v1::TCP_EVENT_KIND_FAST_RETRANSMISSION) +
                Event(a, v1::TCP_EVENT_KIND_RETRANSMISSION),
            0u);
  EXPECT_TRUE(HasDiagnosis(a, "packet_loss"));
  ASSERT_GE(a.by_connection_size(), 1);
  for (const auto& e : a.by_connection(0).events()) {
    ASSERT_EQ(e.examples_size(), 1);  // the connection's first event of the kind
    EXPECT_GE(e.examples(0).packet_number(), a.by_connection(0).first_packet().packet_number());
  }
  auto r =
      AnalyzeTcpRetransmissions(Input(Data("loss.pcap")), v1::AnalyzeTcpRetransmissionsRequest());
  ASSERT_TRUE(r.ok());
  EXPECT_GT(r->total_retransmissions(), 0u);
  EXPECT_EQ(r->threshold(), 0.02);
  ASSERT_EQ(r->by_connection_size(), 1);
  using google::protobuf::util::MessageDifferencer;
  EXPECT_TRUE(MessageDifferencer::Equals(r->summary().client(), r->by_connection(0).client()));
  EXPECT_TRUE(MessageDifferencer::Equals(r->summary().server(), r->by_connection(0).server()));
  EXPECT_EQ(r->summary().server().ip(), "10.77.0.2");
}

// Every frame seen twice, 20 us apart (a SPAN port, or two capture interfaces). A repeated SYN
// ends exactly where the original did, so it is a retransmission, not out-of-order, however
// soon it comes: the SYN's sequence number counts in that comparison. Totals as tshark gives.
TEST(TcpScenario, DuplicatedFramesCountAsRetransmissions) {
  auto r = AnalyzeTcpRetransmissions(Input(Data("duplicated.pcap")),
                                     v1::AnalyzeTcpRetransmissionsRequest());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->tcp_packets_found(), 320u);
  EXPECT_EQ(r->total_retransmissions(), 51u);
  EXPECT_EQ(r->fast_retransmissions(), 11u);
  EXPECT_EQ(r->spurious_retransmissions(), 11u);
  const auto a = Anomalies(Data("duplicated.pcap"));
  EXPECT_EQ(Event(a, v1::TCP_EVENT_KIND_OUT_OF_ORDER), 70u);
  EXPECT_EQ(Event(a, v1::TCP_EVENT_KIND_DUPLICATE_ACK), 75u);
}

// MariaDB over loopback with input drops (record_mysql.sh): a handshake RTT of microseconds
// makes the out-of-order window tiny, so the repeats (a FIN among them) are retransmissions.
TEST(TcpScenario, MysqlOverLoopbackWithLoss) {
  auto r = AnalyzeTcpRetransmissions(Input(Data("mysql_loopback.pcap")),
                                     v1::AnalyzeTcpRetransmissionsRequest());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->tcp_packets_found(), 314u);
  EXPECT_EQ(r->total_retransmissions(), 18u);
  EXPECT_EQ(r->spurious_retransmissions(), 3u);
  EXPECT_EQ(r->by_connection_size(), 8);
  const auto a = Anomalies(Data("mysql_loopback.pcap"));
  EXPECT_EQ(Event(a, v1::TCP_EVENT_KIND_OUT_OF_ORDER), 4u);
  EXPECT_EQ(Event(a, v1::TCP_EVENT_KIND_DUPLICATE_ACK), 7u);
}

TEST(TcpScenario, ServerResetMidStream) {
  const auto r = Connections(Data("reset.pcap"));
  ASSERT_EQ(r.connections_size(), 1);
  EXPECT_EQ(r.connections(0).conn_state(), v1::TCP_CONN_STATE_RSTR);
  EXPECT_EQ(r.connections(0).reset_by(), v1::TCP_RESET_BY_SERVER);
  const auto a = Anomalies(Data("reset.pcap"));
  EXPECT_EQ(a.rst_patterns().mid_stream_resets(), 1u);
  EXPECT_TRUE(HasDiagnosis(a, "server_aborts_connections"));
}

TEST(TcpScenario, StoppedReaderGivesZeroWindowStall) {
  const auto a = Anomalies(Data("zerowindow.pcap"));
  EXPECT_GT(Event(a, v1::TCP_EVENT_KIND_ZERO_WINDOW), 0u);
  EXPECT_GT(Event(a, v1::TCP_EVENT_KIND_WINDOW_FULL), 0u);
  ASSERT_GE(a.zero_window_stall_count(), 1u);
  const v1::TcpZeroWindowStall& stall = a.zero_window_stalls(0);
  EXPECT_GT(DurationNanos(stall.duration()), 2'000'000'000);  // the server slept 3 s
  EXPECT_EQ(stall.receiver(), v1::TCP_ROLE_SERVER);
  EXPECT_EQ(stall.server().ip(), "10.77.0.2");
  EXPECT_GT(stall.start_packet().packet_number(), 0u);
  if (stall.has_end_packet()) {
    EXPECT_GT(stall.end_packet().packet_number(), stall.start_packet().packet_number());
    const int64_t span =
        (stall.end_packet().timestamp().seconds() - stall.start_packet().timestamp().seconds()) *
            1000000000 +
        (stall.end_packet().timestamp().nanos() - stall.start_packet().timestamp().nanos());
    EXPECT_EQ(span, DurationNanos(stall.duration()));
  }
  EXPECT_TRUE(HasDiagnosis(a, "receiver_window_exhausted"));
}

TEST(TcpScenario, KeepAlivesAreNotRetransmissions) {
  const auto a = Anomalies(Data("keepalive.pcap"));
  EXPECT_GE(Event(a, v1::TCP_EVENT_KIND_KEEP_ALIVE), 2u);
  EXPECT_GE(Event(a, v1::TCP_EVENT_KIND_KEEP_ALIVE_ACK), 2u);
  EXPECT_EQ(Event(a, v1::TCP_EVENT_KIND_RETRANSMISSION), 0u);
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
  EXPECT_EQ(r.connections(3).conn_state(), v1::TCP_CONN_STATE_RSTO);
  EXPECT_EQ(r.connections(3).history(), "ShAR");
  // 10.0.0.3:40002: two SYNs, no answer.
  EXPECT_EQ(r.connections(2).conn_state(), v1::TCP_CONN_STATE_S0);
  EXPECT_EQ(r.connections(2).syn_retries(), 1u);
  // 10.0.0.1:40004 is mid-stream: the server is port 80, stated as a guess.
  EXPECT_EQ(r.connections(4).server().ip(), "10.0.0.2");
  EXPECT_EQ(r.connections(4).server().port(), 80u);
  EXPECT_EQ(r.connections(4).role_source(), v1::TCP_ROLE_SOURCE_PORT_GUESS);
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
  EXPECT_EQ(r->filter().server().ip(), "fd00:77::2");
  EXPECT_FALSE(r->filter().server().has_port());
  req.set_server_port(9999);
  r = AnalyzeTcpConnections(Input(Data("http.pcap")), req);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->summary().total_connections(), 0u);
  EXPECT_EQ(r->filter().server().port(), 9999u);
  v1::AnalyzeTcpRetransmissionsRequest rr;
  rr.set_threshold(2);
  EXPECT_EQ(AnalyzeTcpRetransmissions(Input(Data("http.pcap")), rr).status().code(),
            absl::StatusCode::kInvalidArgument);
  // An explicit 0 is a threshold of its own (any retransmission), not the default.
  rr.set_threshold(0);
  auto zero = AnalyzeTcpRetransmissions(Input(Data("loss.pcap")), rr);
  ASSERT_TRUE(zero.ok()) << zero.status();
  EXPECT_EQ(zero->threshold(), 0.0);
  EXPECT_TRUE(zero->exceeds_threshold());
  rr.set_threshold(0.5);
  rr.set_server_port(8080);
  auto rt = AnalyzeTcpRetransmissions(Input(Data("http.pcap")), rr);
  ASSERT_TRUE(rt.ok());
  EXPECT_EQ(rt->by_connection_size(), 2);
}

// Listings are paged: a page holds `max` entries from the token's offset, the totals and the
// worst connection stay those of the whole capture, and another listing's page leaves it empty.
TEST(TcpRequests, ListingsArePaged) {
  AnalysisInput in = Input(Data("mysql_loopback.pcap"));
  auto all = AnalyzeTcpRetransmissions(in, v1::AnalyzeTcpRetransmissionsRequest());
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->by_connection_size(), 8);
  in.listings.max = 3;
  in.listings.page_listing = "by_connection";
  in.listings.offset = 6;
  auto page = AnalyzeTcpRetransmissions(in, v1::AnalyzeTcpRetransmissionsRequest());
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->by_connection_size(), 2);
  using google::protobuf::util::MessageDifferencer;
  EXPECT_TRUE(MessageDifferencer::Equals(page->by_connection(0), all->by_connection(6)));
  EXPECT_TRUE(MessageDifferencer::Equals(page->summary(), all->summary()));
  ASSERT_EQ(page->capture().partial_listings_size(), 1);
  EXPECT_EQ(page->capture().partial_listings(0).total(), 8u);
  EXPECT_EQ(page->capture().partial_listings(0).returned(), 2u);

  in.listings.page_listing = "zero_window_stalls";
  in.listings.offset = 0;
  v1::AnalyzeTcpConnectionsRequest detailed;
  detailed.set_detailed(true);
  auto conns = AnalyzeTcpConnections(in, detailed);
  ASSERT_TRUE(conns.ok()) << conns.status();
  EXPECT_EQ(conns->connections_size(), 0);
  EXPECT_EQ(conns->summary().total_connections(), 8u);
  in.listings.page_listing = "connections";
  in.listings.offset = 3;
  conns = AnalyzeTcpConnections(in, detailed);
  ASSERT_TRUE(conns.ok()) << conns.status();
  ASSERT_EQ(conns->connections_size(), 3);
  EXPECT_TRUE(MessageDifferencer::Equals(conns->connections(0),
                                         Connections(Data("mysql_loopback.pcap")).connections(3)));
}

TEST(TcpRequests, TrafficFlowSplitsByServer) {
  v1::AnalyzeTrafficFlowRequest req;
  req.set_server_ip("10.77.0.2");
  auto r = AnalyzeTrafficFlow(Input(Data("reset.pcap")), req);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->server().ip(), "10.77.0.2");
  EXPECT_FALSE(r->server().has_port());
  EXPECT_EQ(r->client_to_server().syn_count(), 1u);
  EXPECT_EQ(r->server_to_client().syn_ack_count(), 1u);
  EXPECT_EQ(r->analysis().primary_rst_source(), v1::TCP_RST_SOURCE_SERVER);
  EXPECT_NE(r->analysis().data_flow_direction(), v1::TCP_DATA_DIRECTION_UNSPECIFIED);
  EXPECT_TRUE(r->has_analysis_timestamp());
  EXPECT_NE(r->analysis().interpretation().find("server"), std::string::npos);
}

}  // namespace
}  // namespace mcpcap
