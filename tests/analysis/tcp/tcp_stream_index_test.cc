// Every TCP connection row names its tshark tcp.stream (stream_index), the number follow_stream
// and list_packets take: on every TCP capture we have (ours in data/ and the shared ones), each
// connection's stream_index equals tshark's tcp.stream of its first packet, and a BPF filter
// that keeps only some connections leaves their numbers unchanged.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "backend/analysis/tcp/tcp_connections.h"
#include "gtest/gtest.h"
#include "tests/testing/tshark.h"

namespace mcpcap {
namespace {

std::vector<std::string> TcpCaptures() {
  std::vector<std::string> paths = testing::CapturesIn(MCPCAP_TCP_DATA);
  for (const std::string& p : testing::SharedCapturesCovering(MCPCAP_SHARED_CAPTURES, {"tcp"})) {
    paths.push_back(p);
  }
  return paths;
}

// frame.number -> tcp.stream, for every TCP frame tshark dissects (ICMP-quoted headers aside).
std::map<uint64_t, uint64_t> TsharkStreams(const std::string& path) {
  std::map<uint64_t, uint64_t> streams;
  FILE* pipe = popen(testing::TsharkFieldsCommand(
                         path, "-Y 'tcp and not icmp and not icmpv6' -e frame.number -e tcp.stream")
                         .c_str(),
                     "r");
  if (pipe == nullptr) return streams;
  for (const std::vector<std::string>& row : testing::ReadRows(pipe)) {
    uint64_t frame = 0, stream = 0;
    if (row.size() >= 2 && absl::SimpleAtoi(row[0], &frame) && absl::SimpleAtoi(row[1], &stream)) {
      streams[frame] = stream;
    }
  }
  pclose(pipe);
  return streams;
}

absl::StatusOr<v1::AnalyzeTcpConnectionsResponse> Connections(const std::string& path,
                                                              const std::string& filter) {
  AnalysisInput input;
  input.source = input.local_path = path;
  input.bpf_filter = filter;
  input.listings.max = kMaxResultsCap;
  v1::AnalyzeTcpConnectionsRequest request;
  request.set_detailed(true);
  return AnalyzeTcpConnections(input, request);
}

TEST(TcpStreamIndex, EveryConnectionCarriesTsharksTcpStream) {
  if (!testing::HaveTshark()) GTEST_SKIP() << "tshark not installed";
  if (!std::filesystem::is_directory(MCPCAP_SHARED_CAPTURES)) {
    std::printf("note: %s absent, comparing our captures only\n", MCPCAP_SHARED_CAPTURES);
  }
  uint64_t compared = 0;
  for (const std::string& path : TcpCaptures()) {
    auto result = Connections(path, "");
    if (!result.ok()) continue;
    const std::map<uint64_t, uint64_t> theirs = TsharkStreams(path);
    for (const v1::TcpConnection& c : result->connections()) {
      auto it = theirs.find(c.first_packet().packet_number());
      if (it == theirs.end()) continue;  // a connection tshark shows only inside an error
      ASSERT_TRUE(c.has_stream_index()) << path;
      EXPECT_EQ(c.stream_index(), it->second)
          << path << " connection starting at frame " << c.first_packet().packet_number();
      ++compared;
    }
  }
  EXPECT_GT(compared, 10u);
  std::printf("compared %llu connections\n", static_cast<unsigned long long>(compared));
}

TEST(TcpStreamIndex, AFilterKeepsTheNumbersOfTheWholeFile) {
  uint64_t checked = 0;
  for (const std::string& path : testing::CapturesIn(MCPCAP_TCP_DATA)) {
    auto all = Connections(path, "");
    if (!all.ok() || all->connections_size() < 2) continue;
    // The last connection alone, by its client port: it keeps its number in the whole file.
    const v1::TcpConnection& last = all->connections(all->connections_size() - 1);
    if (!last.has_stream_index() || last.stream_index() == 0) continue;
    auto alone = Connections(path, "tcp port " + std::to_string(last.client().port()));
    ASSERT_TRUE(alone.ok()) << alone.status();
    for (const v1::TcpConnection& c : alone->connections()) {
      if (c.client().port() != last.client().port() || c.client().ip() != last.client().ip() ||
          c.first_packet().packet_number() != last.first_packet().packet_number()) {
        continue;
      }
      EXPECT_EQ(c.stream_index(), last.stream_index()) << path;
      ++checked;
    }
  }
  EXPECT_GT(checked, 3u);
}

}  // namespace
}  // namespace mcpcap
