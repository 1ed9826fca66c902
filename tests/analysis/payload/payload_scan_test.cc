// The payload scan over captures built packet by packet: who is the client, port filters, port
// reuse, gaps, the flow-table bound, a forced protocol, and bytes held while detection waits.
#include "backend/analysis/payload/payload_scan.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/testing/capture_builder.h"
#include "tests/testing/tcp_session_builder.h"

namespace mcpcap {
namespace {

using payload::Protocol;
using testing::TcpSessionBuilder;

const std::string kGet = "GET /index.html HTTP/1.1\r\nHost: example.test\r\nUser-Agent: t\r\n\r\n";
const std::string kOk = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nServer: s\r\n\r\nhello";

PayloadScanResult Scan(const std::vector<testing::TestPacket>& packets,
                       const PayloadScanOptions& options = {}) {
  static int n = 0;
  const std::string path =
      testing::WriteTempFile("scan" + std::to_string(n++) + ".pcap", testing::BuildPcap(packets));
  AnalysisInput input;
  input.source = input.local_path = path;
  absl::StatusOr<PayloadScanResult> result = RunPayloadScan(input, options);
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? std::move(*result) : PayloadScanResult{};
}

void HttpExchange(TcpSessionBuilder& s, size_t mss = 1448) {
  s.Send(TcpSessionBuilder::kClient, kGet, mss);
  s.Send(TcpSessionBuilder::kServer, kOk, mss);
}

TEST(PayloadScanTest, HandshakeNamesTheClientAndContentNamesTheProtocol) {
  TcpSessionBuilder s("10.0.0.1", 40000, "10.0.0.2", 8081);  // not a registered HTTP port
  s.Handshake();
  HttpExchange(s);
  s.Close();
  const PayloadScanResult r = Scan(s.packets());
  ASSERT_EQ(r.flows.size(), 1u);
  const PayloadFlowResult& f = r.flows[0];
  EXPECT_EQ(f.client.ToString(), "10.0.0.1");
  EXPECT_EQ(f.client_port, 40000);
  EXPECT_EQ(f.server_port, 8081);
  EXPECT_EQ(f.detection.protocol, Protocol::kHttp);
  EXPECT_EQ(f.detection.detected_by, "signature");
  EXPECT_TRUE(f.parsed);
  EXPECT_EQ(f.packets, s.packets().size());
  EXPECT_EQ(f.payload_bytes_client_to_server, kGet.size());
  EXPECT_EQ(f.payload_bytes_server_to_client, kOk.size());
  ASSERT_EQ(f.messages.size(), 2u);
  EXPECT_EQ(f.messages[0].type, "GET");
  EXPECT_EQ(f.messages[0].from, payload::Side::kClient);
  EXPECT_EQ(f.messages[0].start.frame, 4u);  // after the three handshake packets
  EXPECT_EQ(f.messages[1].from, payload::Side::kServer);
  EXPECT_EQ(f.first.frame, 1u);
  EXPECT_EQ(f.gaps, 0u);
}

TEST(PayloadScanTest, WithoutAHandshakeTheServerPortDecides) {
  TcpSessionBuilder s("10.0.0.1", 40000, "10.0.0.2", 80);
  s.Send(TcpSessionBuilder::kServer, kOk);  // the capture starts with the server's answer
  s.Send(TcpSessionBuilder::kClient, kGet);
  const PayloadScanResult r = Scan(s.packets());
  ASSERT_EQ(r.flows.size(), 1u);
  EXPECT_EQ(r.flows[0].client_port, 40000);
  EXPECT_EQ(r.flows[0].server_port, 80);
}

TEST(PayloadScanTest, BytesHeldWhileDetectionWaitsReachTheParser) {
  TcpSessionBuilder s("10.0.0.1", 40000, "10.0.0.2", 8081);
  s.Handshake();
  HttpExchange(s, /*mss=*/3);  // detection cannot decide on the first few bytes
  s.Close();
  const PayloadScanResult r = Scan(s.packets());
  ASSERT_EQ(r.flows.size(), 1u);
  ASSERT_GE(r.flows[0].messages.size(), 1u);
  EXPECT_EQ(r.flows[0].messages[0].type, "GET");
  EXPECT_EQ(r.flows[0].messages[0].start.frame, 4u);
  EXPECT_EQ(r.flows[0].messages.size(), 2u);
}

TEST(PayloadScanTest, PortFilterAndPortReuse) {
  std::vector<testing::TestPacket> packets;
  TcpSessionBuilder first("10.0.0.1", 40000, "10.0.0.2", 8081);
  first.Handshake();
  HttpExchange(first);
  first.Close();
  first.AppendTo(&packets);
  TcpSessionBuilder again("10.0.0.1", 40000, "10.0.0.2", 8081, 1700000001000000);
  again.StartSequencesAt(900000, 700000);  // a new connection: new initial sequence numbers
  again.Handshake();
  HttpExchange(again);
  again.Close();
  again.AppendTo(&packets);
  TcpSessionBuilder other("10.0.0.1", 40001, "10.0.0.3", 9000, 1700000002000000);
  other.Handshake();
  HttpExchange(other);
  other.Close();
  other.AppendTo(&packets);

  EXPECT_EQ(Scan(packets).flows.size(), 3u);  // the reused 5-tuple is a second connection
  PayloadScanOptions only_8081;
  only_8081.port = 8081;
  const PayloadScanResult r = Scan(packets, only_8081);
  ASSERT_EQ(r.flows.size(), 2u);
  EXPECT_LT(r.flows[0].first.frame, r.flows[1].first.frame);
  EXPECT_EQ(r.flows[1].messages.size(), 2u);
}

TEST(PayloadScanTest, LostSegmentIsAGapAndParsingGoesOn) {
  TcpSessionBuilder s("10.0.0.1", 40000, "10.0.0.2", 80);
  s.Handshake();
  HttpExchange(s);
  s.Send(TcpSessionBuilder::kClient, kGet + kGet, /*mss=*/20, /*drop=*/{1});
  s.Send(TcpSessionBuilder::kClient, kGet);
  s.Close();
  const PayloadScanResult r = Scan(s.packets());
  ASSERT_EQ(r.flows.size(), 1u);
  const PayloadFlowResult& f = r.flows[0];
  EXPECT_EQ(f.gaps, 1u);
  EXPECT_EQ(f.gap_bytes, 20u);
  // The first request, the response, then at least the request after the gap.
  int requests = 0;
  for (const payload::AppMessage& m : f.messages) requests += m.type == "GET";
  EXPECT_GE(requests, 2);
  EXPECT_EQ(f.messages.back().type, "GET");
}

TEST(PayloadScanTest, FlowsPastTheTableBoundAreStillReported) {
  std::vector<testing::TestPacket> packets;
  std::vector<TcpSessionBuilder> sessions;
  for (uint16_t i = 0; i < 6; ++i) {
    sessions.emplace_back("10.0.0.1", static_cast<uint16_t>(41000 + i), "10.0.0.2", 80);
    sessions.back().Handshake();
    sessions.back().AppendTo(&packets);
  }
  PayloadScanOptions small;
  small.max_flows = 2;
  const PayloadScanResult r = Scan(packets, small);
  EXPECT_EQ(r.flows.size(), 6u);
  EXPECT_EQ(r.flows_evicted, 4u);
}

TEST(PayloadScanTest, MemoryBudgetFinishesOldFlowsEarlyAndLosesNone) {
  std::vector<testing::TestPacket> packets;
  std::vector<TcpSessionBuilder> sessions;
  for (uint16_t i = 0; i < 8; ++i) {
    sessions.emplace_back("10.0.0.1", static_cast<uint16_t>(42000 + i), "10.0.0.2", 80);
    sessions.back().Handshake();
    sessions.back().Send(TcpSessionBuilder::kClient, kGet);  // each flow keeps a message
    sessions.back().AppendTo(&packets);
  }
  PayloadScanOptions tight;
  tight.max_memory_bytes = 1000;  // less than any flow holds: only the flow just fed stays
  const PayloadScanResult r = Scan(packets, tight);
  EXPECT_EQ(r.flows.size(), 8u);
  EXPECT_GT(r.flows_evicted_for_memory, 0u);
  for (const PayloadFlowResult& f : r.flows) EXPECT_EQ(f.messages_total, 1u);
  EXPECT_EQ(Scan(packets).flows_evicted_for_memory, 0u);
}

// A requested protocol selects flows; it never names them. An unnamed flow becomes the requested
// protocol only when that protocol's parser reads a request and its response in it.
TEST(PayloadScanTest, RequestedProtocolIsTriedByItsParserNeverAssumed) {
  std::vector<testing::TestPacket> packets;
  TcpSessionBuilder http("10.0.0.1", 40000, "10.0.0.2", 80);
  http.Handshake();
  HttpExchange(http);
  http.AppendTo(&packets);
  TcpSessionBuilder odd("10.0.0.1", 40001, "10.0.0.2", 7777, 1700000001000000);
  odd.Handshake();
  odd.Send(TcpSessionBuilder::kClient, std::string("\x01\x02\x03\x04 opaque", 11));
  odd.Send(TcpSessionBuilder::kServer, std::string("\x09\x00\x00\x01 opaque", 11));
  odd.AppendTo(&packets);
  // A MySQL session captured after its login, on a port nobody registered: a COM_QUERY and
  // its OK. The first bytes match no signature (no greeting, no login).
  TcpSessionBuilder late("10.0.0.1", 40002, "10.0.0.2", 7778, 1700000002000000);
  late.Handshake();
  late.Send(TcpSessionBuilder::kClient, std::string("\x09\x00\x00\x00\x03SELECT 1", 13));
  late.Send(TcpSessionBuilder::kServer,
            std::string("\x07\x00\x00\x01\x00\x00\x00\x02\x00\x00\x00", 11));
  late.AppendTo(&packets);

  const PayloadScanResult plain = Scan(packets);
  ASSERT_EQ(plain.flows.size(), 3u);
  for (size_t i : {1, 2}) {
    EXPECT_EQ(plain.flows[i].detection.protocol, Protocol::kUnknown) << i;
    EXPECT_FALSE(plain.flows[i].parsed) << i;
  }

  PayloadScanOptions as_mysql;
  as_mysql.protocol = Protocol::kMySql;
  const PayloadScanResult r = Scan(packets, as_mysql);
  ASSERT_EQ(r.flows.size(), 3u);
  EXPECT_EQ(r.flows[0].detection.protocol, Protocol::kHttp);
  EXPECT_FALSE(r.flows[0].parsed);  // detected as something else: not read as MySQL
  // Opaque bytes: the parser rejected them, so the flow is what its bytes say, unknown.
  EXPECT_EQ(r.flows[1].detection.protocol, Protocol::kUnknown);
  EXPECT_EQ(r.flows[1].detection.detected_by, "");
  EXPECT_FALSE(r.flows[1].parsed);
  EXPECT_EQ(r.flows[1].messages_total, 0u);
  EXPECT_TRUE(r.flows[1].facts.notes.empty());
  // The late session: the parser read a query and its answer.
  const PayloadFlowResult& f = r.flows[2];
  EXPECT_EQ(f.detection.protocol, Protocol::kMySql);
  EXPECT_EQ(f.detection.detected_by, "parser");
  EXPECT_TRUE(f.parsed);
  ASSERT_EQ(f.queries.size(), 1u);
  EXPECT_EQ(f.queries[0].text, "SELECT 1");
  EXPECT_EQ(f.queries[0].status, payload::QueryStatus::kOk);
  EXPECT_EQ(f.queries_total, 1u);
  EXPECT_EQ(f.messages_total, 2u);  // the held events took their normal way
  EXPECT_EQ(r.queries_total, 1u);

  // A requested protocol whose parser rejects every unnamed flow labels none of them.
  PayloadScanOptions as_tls;
  as_tls.protocol = Protocol::kTls;
  const PayloadScanResult t = Scan(packets, as_tls);
  ASSERT_EQ(t.flows.size(), 3u);
  for (const PayloadFlowResult& flow : t.flows) EXPECT_NE(flow.detection.protocol, Protocol::kTls);
}

// Frame bytes as tshark's conversation tables count them (length on the wire), IP bytes and
// payload bytes, each per its own name.
TEST(PayloadScanTest, FrameIpAndPayloadBytesAreCountedApart) {
  TcpSessionBuilder s("10.0.0.1", 40000, "10.0.0.2", 8081);
  s.Handshake();
  HttpExchange(s);
  const PayloadScanResult r = Scan(s.packets());
  ASSERT_EQ(r.flows.size(), 1u);
  const PayloadFlowResult& f = r.flows[0];
  uint64_t frames = 0, ip = 0;
  for (const testing::TestPacket& p : s.packets()) {
    frames += p.data.size();
    ip += p.data.size() - 14;  // Ethernet header
  }
  EXPECT_EQ(f.frame_bytes_client_to_server + f.frame_bytes_server_to_client, frames);
  EXPECT_EQ(f.ip_bytes, ip);
  EXPECT_EQ(f.payload_bytes_client_to_server, kGet.size());
  EXPECT_GT(f.frame_bytes_client_to_server, f.payload_bytes_client_to_server);
}

}  // namespace
}  // namespace mcpcap
