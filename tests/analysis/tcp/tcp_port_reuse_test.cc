// The TCP analyses on a reused 5-tuple (data/port_reuse.pcap, record_port_reuse.sh): three
// connections from the same client port, each one a connection of its own, as tshark's
// tcp.stream says, with tcp.analysis.reused_ports on the same SYNs.
#include <set>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "backend/analysis/tcp/tcp_connections.h"
#include "gtest/gtest.h"
#include "tests/analysis/tcp/tcp_test_util.h"
#include "tests/testing/tshark.h"

namespace mcpcap {
namespace {

const std::string kCapture = std::string(MCPCAP_TCP_DATA) + "/port_reuse.pcap";

std::set<uint64_t> FramesWith(const testing::TrackedCapture& c, TcpEvent e) {
  std::set<uint64_t> frames;
  for (const auto& [frame, bits] : c.events) {
    if ((bits & e) != 0) frames.insert(frame);
  }
  return frames;
}

TEST(TcpPortReuse, EachSynWithANewSequenceStartsAConnection) {
  const testing::TrackedCapture tracked = testing::TrackCapture(kCapture);
  ASSERT_TRUE(tracked.ok);
  // What the capture was made of: "one", "two" (both closed by the server first) and "three"
  // (aborted by the client), each on its own connection from client port 40007.
  EXPECT_EQ(tracked.tcp_frames, 28u);
  EXPECT_EQ(tracked.connections, 3u);
  EXPECT_EQ(FramesWith(tracked, kEvReusedPorts), (std::set<uint64_t>{11, 21}));

  AnalysisInput input;
  input.source = input.local_path = kCapture;
  v1::AnalyzeTcpConnectionsRequest request;
  request.set_detailed(true);
  auto r = AnalyzeTcpConnections(input, request);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->connections_size(), 3);
  std::vector<std::string> seen;
  for (const v1::TcpConnection& c : r->connections()) {
    const std::string close = c.close_reason() == v1::TCP_CLOSE_REASON_NORMAL  ? "normal"
                              : c.close_reason() == v1::TCP_CLOSE_REASON_RESET ? "reset"
                                                                               : "other";
    seen.push_back(std::to_string(c.first_packet().packet_number()) + "-" +
                   std::to_string(c.last_packet().packet_number()) + " " + close +
                   (c.reused_ports() ? " reused" : ""));
    EXPECT_TRUE(c.handshake_completed());
  }
  EXPECT_EQ(seen,
            (std::vector<std::string>{"1-10 normal", "11-20 normal reused", "21-28 reset reused"}));
}

TEST(TcpPortReuse, AgreesWithTshark) {
  if (!testing::HaveTshark()) GTEST_SKIP() << "tshark is not installed";
  std::set<std::string> streams;
  std::set<uint64_t> reused;
  for (const auto& row : testing::TsharkFields(
           kCapture, "-Y tcp -e frame.number -e tcp.stream -e tcp.analysis.reused_ports")) {
    ASSERT_EQ(row.size(), 3u);
    streams.insert(row[1]);
    uint64_t frame = 0;
    ASSERT_TRUE(absl::SimpleAtoi(row[0], &frame));
    if (!row[2].empty()) reused.insert(frame);
  }
  const testing::TrackedCapture tracked = testing::TrackCapture(kCapture);
  EXPECT_EQ(tracked.connections, streams.size());
  EXPECT_EQ(FramesWith(tracked, kEvReusedPorts), reused);
}

}  // namespace
}  // namespace mcpcap
