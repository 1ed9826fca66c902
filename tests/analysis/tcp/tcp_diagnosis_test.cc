// The diagnoses weigh the explanations the evidence allows (issue 19), on captures of real
// programs (record_diagnoses.sh): a SYN scan is a scan, not an outage; several clients failing
// against one service is an outage or a filter; a capture that begins between SYN and SYN-ACK is
// not a failure; fast retransmissions are told apart from timer ones; the time to the last data
// is reported apart from the idle time before the close; handshake, established and history
// figures agree; `bytes` is frame bytes as tshark's conversation table counts them.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "backend/analysis/tcp/tcp_anomalies.h"
#include "backend/analysis/tcp/tcp_connections.h"
#include "backend/analysis/tcp/tcp_retransmissions.h"
#include "backend/analysis/tcp/traffic_flow.h"
#include "backend/base/proto_time.h"
#include "gtest/gtest.h"
#include "tests/analysis/tcp/tcp_test_inputs.h"
#include "tests/testing/tshark.h"

namespace mcpcap {
namespace {

std::string Shared(const char* name) { return std::string(MCPCAP_SHARED_CAPTURES) + "/" + name; }

v1::AnalyzeTcpConnectionsResponse Connections(const std::string& path) {
  v1::AnalyzeTcpConnectionsRequest req;
  req.set_detailed(true);
  AnalysisInput in = Input(path);
  in.listings.max = 100000;
  auto r = AnalyzeTcpConnections(in, req);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : v1::AnalyzeTcpConnectionsResponse();
}
v1::AnalyzeTcpAnomaliesResponse Anomalies(const std::string& path) {
  auto r = AnalyzeTcpAnomalies(Input(path), v1::AnalyzeTcpAnomaliesRequest());
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : v1::AnalyzeTcpAnomaliesResponse();
}
v1::AnalyzeTcpRetransmissionsResponse Retransmissions(const std::string& path) {
  auto r = AnalyzeTcpRetransmissions(Input(path), v1::AnalyzeTcpRetransmissionsRequest());
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : v1::AnalyzeTcpRetransmissionsResponse();
}
v1::AnalyzeTrafficFlowResponse Flow(const std::string& path, const std::string& server) {
  v1::AnalyzeTrafficFlowRequest req;
  req.set_server_ip(server);
  auto r = AnalyzeTrafficFlow(Input(path), req);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : v1::AnalyzeTrafficFlowResponse();
}

const v1::Finding* Find(const v1::AnalyzeTcpAnomaliesResponse& r, const std::string& id) {
  for (const v1::Finding& f : r.findings()) {
    if (f.indicator() == id) return &f;
  }
  return nullptr;
}
bool AnyEvidence(const v1::Finding& f, const std::string& text) {
  for (const std::string& e : f.evidence()) {
    if (absl::StrContains(e, text)) return true;
  }
  return false;
}
std::vector<uint64_t> Frames(const v1::Finding& f) {
  std::vector<uint64_t> out;
  for (const v1::PacketRef& p : f.examples()) out.push_back(p.packet_number());
  return out;
}
double Seconds(const google::protobuf::Duration& d) {
  return static_cast<double>(DurationNanos(d)) / 1e9;
}

// Rows of tshark -T fields over `path`, filtered by `filter`; empty without tshark.
std::vector<std::vector<std::string>> Tshark(const std::string& path, const std::string& filter,
                                             const std::string& fields) {
  return testing::TsharkFields(path, "-Y '" + filter + "' " + fields);
}

// nmap -sS of ports 1-300: 22, 80, 111 open, 200-300 filtered, the rest closed.
TEST(TcpDiagnosis, SynScanIsAScanNotAnOutage) {
  const std::string path = Data("scan.pcap");
  const auto a = Anomalies(path);
  const v1::Finding* scan = Find(a, "port_scan");
  ASSERT_NE(scan, nullptr);
  EXPECT_TRUE(absl::StrContains(scan->description(), "10.79.0.1 probed 300 ports (1-300)"))
      << scan->description();
  EXPECT_TRUE(absl::StrContains(scan->description(), "10.79.0.2"));
  EXPECT_GE(scan->confidence(), 0.9);
  EXPECT_TRUE(AnyEvidence(*scan, "3 answered with a SYN-ACK (open), 196 refused"));
  EXPECT_TRUE(AnyEvidence(*scan, "half-open"));
  ASSERT_FALSE(scan->examples().empty());
  EXPECT_EQ(scan->examples(0).packet_number(), 1u);
  // None of the scan's failures is diagnosed as a failing service or as loss.
  EXPECT_EQ(Find(a, "syn_unanswered"), nullptr);
  EXPECT_EQ(Find(a, "service_unreachable"), nullptr);
  EXPECT_EQ(Find(a, "connection_refused"), nullptr);
  EXPECT_EQ(Find(a, "packet_loss"), nullptr);

  ASSERT_EQ(a.scanners_size(), 1);
  const v1::TcpScanner& s = a.scanners(0);
  EXPECT_EQ(s.source(), "10.79.0.1");
  EXPECT_EQ(s.distinct_hosts(), 1u);
  ASSERT_EQ(s.targets_size(), 1);
  EXPECT_EQ(s.targets(0), "10.79.0.2");
  EXPECT_EQ(s.open(), 3u);
  EXPECT_EQ(s.refused(), 196u);
  EXPECT_EQ(s.attempts(), a.scan_attempts());
  EXPECT_EQ(s.attempts(), s.open() + s.refused() + s.unanswered());
  std::set<uint32_t> open;
  for (const v1::Endpoint& e : s.open_ports()) open.insert(e.port());
  EXPECT_EQ(open, (std::set<uint32_t>{22, 80, 111}));

  // The same figures from tshark: distinct ports SYNed, RSTs from the target, SYN-ACK ports.
  const auto syns = Tshark(path, "tcp.flags.syn==1 && tcp.flags.ack==0", "-e tcp.dstport");
  if (!syns.empty()) {
    std::set<std::string> ports;
    for (const auto& row : syns) ports.insert(row[0]);
    EXPECT_EQ(s.distinct_ports(), ports.size());
    EXPECT_EQ(s.attempts(), a.total_connections());
    const auto rsts = Tshark(path, "tcp.flags.reset==1 && ip.src==10.79.0.2", "-e frame.number");
    EXPECT_EQ(s.refused(), rsts.size());
    std::set<uint32_t> synack_ports;
    for (const auto& row : Tshark(path, "tcp.flags.syn==1 && tcp.flags.ack==1", "-e tcp.srcport")) {
      synack_ports.insert(static_cast<uint32_t>(std::stoul(row[0])));
    }
    EXPECT_EQ(synack_ports, open);
  }

  // The open ports' connections are half-open ("Sh"): not established, not successful.
  const auto c = Connections(path);
  EXPECT_EQ(c.summary().successful_handshakes(), 0u);
  EXPECT_EQ(c.summary().established_connections(), 0u);
  EXPECT_EQ(c.summary().half_open_connections(), 3u);
  EXPECT_EQ(c.summary().failed_handshakes(), c.summary().total_connections());

  // The targets' re-sent SYN-ACKs (1, 3, 7 s back-off) are not loss on the server's path.
  const auto flow = Flow(path, "10.79.0.2");
  EXPECT_GT(flow.server_to_client().retransmissions(), 0u);
  EXPECT_EQ(flow.server_to_client().handshake_retransmissions(),
            flow.server_to_client().retransmissions());
  EXPECT_FALSE(absl::StrContains(flow.analysis().interpretation(), "loss mostly"))
      << flow.analysis().interpretation();
  EXPECT_TRUE(absl::StrContains(flow.analysis().interpretation(), "which is not loss"));
  const auto synack_repeats =
      Tshark(path, "tcp.flags.syn==1 && tcp.flags.ack==1 && tcp.analysis.retransmission",
             "-e frame.number");
  if (!syns.empty()) {
    EXPECT_EQ(flow.server_to_client().handshake_retransmissions(), synack_repeats.size());
  }
  const auto rt = Retransmissions(path);
  EXPECT_EQ(rt.timer_retransmissions(), rt.total_retransmissions());
  EXPECT_EQ(rt.ack_triggered_retransmissions(), 0u);
}

// Three clients retry 10.79.0.2:5432 while the server's firewall drops it; 8080 works.
TEST(TcpDiagnosis, SeveralClientsFailingAgainstOneServiceIsAnOutage) {
  const std::string path = Data("outage.pcap");
  const auto a = Anomalies(path);
  const v1::Finding* outage = Find(a, "service_unreachable");
  ASSERT_NE(outage, nullptr);
  EXPECT_EQ(outage->severity(), v1::SEVERITY_HIGH);
  EXPECT_TRUE(absl::StrContains(outage->description(),
                                "3 clients sent 9 connection attempts to "
                                "10.79.0.2:5432"))
      << outage->description();
  EXPECT_TRUE(AnyEvidence(*outage, "10.79.0.11, 10.79.0.12, 10.79.0.13"));
  EXPECT_TRUE(AnyEvidence(*outage, "answered on port(s) 8080: the host is up"));
  EXPECT_GE(outage->confidence(), 0.7);
  EXPECT_EQ(Find(a, "port_scan"), nullptr);
  EXPECT_EQ(Find(a, "syn_unanswered"), nullptr);
  EXPECT_EQ(a.scanners_size(), 0);
  // Its examples are the attempts' first SYNs, as tshark sees them.
  const auto first_syns =
      Tshark(path, "tcp.dstport==5432 && tcp.flags.syn==1 && !tcp.analysis.retransmission",
             "-e frame.number");
  if (!first_syns.empty()) {
    std::vector<uint64_t> want;
    for (const auto& row : first_syns) want.push_back(std::stoull(row[0]));
    EXPECT_EQ(Frames(*outage), want);
  }
}

// One client, one port, no answer: a modest claim that names the alternatives.
TEST(TcpDiagnosis, OneClientUnansweredStaysModest) {
  const auto a = Anomalies(Data("unanswered.pcap"));
  const v1::Finding* f = Find(a, "syn_unanswered");
  ASSERT_NE(f, nullptr);
  EXPECT_LE(f->confidence(), 0.7);
  EXPECT_TRUE(absl::StrContains(f->description(), "cannot tell"));
  EXPECT_EQ(Find(a, "service_unreachable"), nullptr);
  EXPECT_EQ(Find(a, "port_scan"), nullptr);
  // Repeated SYNs are not data loss.
  EXPECT_EQ(Find(a, "packet_loss"), nullptr);
}

// http.pcap without its first frame: the capture begins between SYN and SYN-ACK.
TEST(TcpDiagnosis, SynAckWithoutSynAtCaptureStartIsMidHandshake) {
  const std::string path = Data("midhandshake.pcap");
  const auto c = Connections(path);
  ASSERT_EQ(c.connections_size(), 2);
  EXPECT_TRUE(c.connections(0).began_mid_handshake());
  EXPECT_TRUE(c.connections(0).established());
  EXPECT_FALSE(c.connections(0).handshake_completed());
  EXPECT_FALSE(c.connections(1).began_mid_handshake());
  EXPECT_EQ(c.summary().mid_handshake_connections(), 1u);
  EXPECT_EQ(c.summary().failed_handshakes(), 0u);
  EXPECT_EQ(c.summary().established_connections(), 2u);
  const auto a = Anomalies(path);
  EXPECT_EQ(a.mid_handshake_connections(), 1u);
  const v1::Finding* f = Find(a, "capture_incomplete");
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(AnyEvidence(*f, "began mid-handshake"));
  ASSERT_FALSE(f->examples().empty());
  EXPECT_EQ(f->examples(0).packet_number(), 1u);  // the SYN-ACK
  EXPECT_EQ(Find(a, "packet_loss"), nullptr);
  EXPECT_EQ(Find(a, "syn_unanswered"), nullptr);
  EXPECT_EQ(Find(a, "connection_refused"), nullptr);
}

// A 150 kB upload with 5% of the data dropped, then 3 s idle before the close.
TEST(TcpDiagnosis, FastRetransmitsAreNotTimerStalls) {
  const std::string path = Data("fastretx.pcap");
  const auto rt = Retransmissions(path);
  ASSERT_EQ(rt.total_retransmissions(), 4u);
  EXPECT_EQ(rt.ack_triggered_retransmissions(), 4u);
  EXPECT_EQ(rt.timer_retransmissions(), 0u);
  EXPECT_FALSE(rt.has_longest_timer_wait());
  const auto a = Anomalies(path);
  const v1::Finding* loss = Find(a, "packet_loss");
  ASSERT_NE(loss, nullptr);
  EXPECT_FALSE(AnyEvidence(*loss, "RTO"));
  EXPECT_TRUE(AnyEvidence(*loss, "4 sent right after an ACK from the receiver"));
  // Each example was sent within a millisecond of the receiver's last segment, a duplicate ACK
  // (tshark's view).
  const auto rows = testing::TsharkFields(
      path, "-e frame.number -e frame.time_epoch -e ip.src -e tcp.analysis.duplicate_ack_num");
  if (!rows.empty()) {
    for (uint64_t frame : Frames(*loss)) {
      ASSERT_GE(frame, 2u);
      ASSERT_LE(frame, rows.size());
      size_t prev = frame - 2;
      while (prev > 0 && rows[prev][2] != "10.79.0.2") --prev;
      EXPECT_FALSE(rows[prev][3].empty()) << "frame " << frame << " does not follow a dup ACK";
      const double gap = std::stod(rows[frame - 1][1]) - std::stod(rows[prev][1]);
      EXPECT_LT(gap, 0.001) << "frame " << frame;
    }
  }
  // The transfer ends at frame 165 (the ACK of the last byte); 3 s idle follow.
  const auto c = Connections(path);
  ASSERT_EQ(c.connections_size(), 1);
  const v1::TcpConnection& conn = c.connections(0);
  EXPECT_EQ(conn.last_data_packet().packet_number(), 165u);
  EXPECT_LT(Seconds(conn.data_duration()), 0.1);
  EXPECT_GT(Seconds(conn.idle_before_close()), 2.9);
  EXPECT_EQ(DurationNanos(conn.data_duration()) + DurationNanos(conn.idle_before_close()),
            DurationNanos(conn.duration()));
}

// Zeek's retransmit-fast009: frames 34 and 36 are resent 62 and 63 us after the 4th and 5th
// duplicate ACK (tshark calls them plain retransmissions); the transfer ends at 0.827 s and the
// client resets the connection 60 s later.
TEST(TcpDiagnosis, ZeekFastRetransmitCapture) {
  const std::string path = Shared("zeek__retransmit-fast009.pcap");
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " absent";
  const auto rt = Retransmissions(path);
  EXPECT_EQ(rt.total_retransmissions(), 3u);
  EXPECT_EQ(rt.ack_triggered_retransmissions(), 3u);
  EXPECT_EQ(rt.timer_retransmissions(), 0u);
  const auto a = Anomalies(path);
  const v1::Finding* loss = Find(a, "packet_loss");
  ASSERT_NE(loss, nullptr);
  EXPECT_FALSE(AnyEvidence(*loss, "RTO"));
  const std::vector<uint64_t> frames = Frames(*loss);
  EXPECT_EQ(frames, (std::vector<uint64_t>{32, 34, 36}));
  const auto c = Connections(path);
  ASSERT_EQ(c.connections_size(), 1);
  const v1::TcpConnection& conn = c.connections(0);
  EXPECT_NEAR(Seconds(conn.duration()), 60.99, 0.01);
  EXPECT_EQ(conn.last_data_packet().packet_number(), 38u);
  EXPECT_NEAR(Seconds(conn.data_duration()), 0.827, 0.001);
  EXPECT_NEAR(Seconds(conn.idle_before_close()), 60.165, 0.001);
}

std::vector<std::string> OurCaptures() {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(MCPCAP_TCP_DATA)) {
    if (e.path().extension() == ".pcap") out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// One definition behind all figures: successful <= established; a SYN-initiated connection is
// established or failed; a SYN-ACK nobody acknowledged ("Sh") is never established.
TEST(TcpDiagnosis, HandshakeFiguresNeverContradict) {
  for (const std::string& path : OurCaptures()) {
    SCOPED_TRACE(path);
    const auto r = Connections(path);
    const v1::TcpConnectionSummary& s = r.summary();
    ASSERT_EQ(static_cast<uint64_t>(r.connections_size()), s.total_connections());
    uint64_t established = 0, completed = 0, failed = 0, half_open = 0, mid_handshake = 0;
    for (const v1::TcpConnection& c : r.connections()) {
      const std::string& h = c.history();
      const bool syn_seen = absl::StartsWith(h, "S");
      established += c.established();
      completed += c.handshake_completed();
      mid_handshake += c.began_mid_handshake();
      if (c.handshake_completed()) {
        EXPECT_TRUE(c.established()) << h;
      }
      if (syn_seen && !c.established()) ++failed;
      if (syn_seen && c.syn_ack_count() > 0 && !c.established()) ++half_open;
      // Client never sent an ACK, data or FIN after the SYN: not established.
      if (syn_seen && h.find_first_of("ADF", 1) == std::string::npos) {
        EXPECT_FALSE(c.established()) << h;
      }
    }
    EXPECT_EQ(s.established_connections(), established);
    EXPECT_EQ(s.successful_handshakes(), completed);
    EXPECT_EQ(s.failed_handshakes(), failed);
    EXPECT_EQ(s.half_open_connections(), half_open);
    EXPECT_EQ(s.mid_handshake_connections(), mid_handshake);
    EXPECT_LE(s.successful_handshakes(), s.established_connections());
  }
}

// `bytes` is the frames' length on the wire, per connection and direction, as tshark's TCP
// conversation table adds them up (frame.len per tcp.stream).
TEST(TcpDiagnosis, BytesAreFrameBytesAsTsharkCountsThem) {
  if (!testing::HaveTshark()) GTEST_SKIP() << "tshark not installed";
  // Frames cut short, tunnelled, duplicated, lost, and many small connections.
  for (const char* name : {"http.pcap", "short_frames.pcap", "vxlan_mixed.pcap", "duplicated.pcap",
                           "loss.pcap", "scan.pcap"}) {
    const std::string path = Data(name);
    SCOPED_TRACE(path);
    const auto r = Connections(path);
    std::map<uint64_t, const v1::TcpConnection*> by_first;
    for (const v1::TcpConnection& c : r.connections()) {
      by_first[c.first_packet().packet_number()] = &c;
    }
    struct Stream {
      uint64_t first = 0, bytes = 0, frames = 0;
    };
    std::map<std::string, Stream> streams;
    for (const auto& row :
         testing::TsharkFields(path, "-Y tcp -e tcp.stream -e frame.number -e frame.len")) {
      if (row.size() < 3 || row[0].empty()) continue;
      Stream& s = streams[row[0]];
      if (s.first == 0) s.first = std::stoull(row[1]);
      s.bytes += std::stoull(row[2]);
      ++s.frames;
    }
    ASSERT_EQ(streams.size(), by_first.size());
    for (const auto& [id, s] : streams) {
      auto it = by_first.find(s.first);
      ASSERT_NE(it, by_first.end()) << "stream " << id;
      const v1::TcpConnection& c = *it->second;
      EXPECT_EQ(c.client_to_server().bytes() + c.server_to_client().bytes(), s.bytes)
          << "stream " << id;
      EXPECT_EQ(c.packet_count(), s.frames) << "stream " << id;
    }
  }
}

// The exact figures of tshark's conversation table (where it prints bytes, not kB).
TEST(TcpDiagnosis, BytesMatchTheConversationTable) {
  if (!testing::HaveTshark()) GTEST_SKIP() << "tshark not installed";
  const std::string path = Data("http.pcap");
  FILE* p = popen(("tshark -n -q -r '" + path + "' -z conv,tcp 2>/dev/null").c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::map<std::string, std::vector<std::string>> rows;
  char line[4096];
  while (fgets(line, sizeof(line), p) != nullptr) {
    std::vector<std::string> cols = absl::StrSplit(line, ' ', absl::SkipWhitespace());
    if (cols.size() >= 12 && cols[1] == "<->") rows[cols[0]] = cols;
  }
  pclose(p);
  const auto r = Connections(path);
  ASSERT_EQ(rows.size(), static_cast<size_t>(r.connections_size()));
  for (const v1::TcpConnection& c : r.connections()) {
    const std::string client = c.client().ip() + ":" + std::to_string(c.client().port());
    ASSERT_TRUE(rows.count(client)) << client;
    const auto& cols = rows[client];
    // "A <-> B  frames(B->A) bytes(B->A) bytes  frames(A->B) bytes(A->B) bytes  total..."
    EXPECT_EQ(std::to_string(c.server_to_client().bytes()), cols[4]) << client;
    EXPECT_EQ(std::to_string(c.client_to_server().bytes()), cols[7]) << client;
  }
}

}  // namespace
}  // namespace mcpcap
