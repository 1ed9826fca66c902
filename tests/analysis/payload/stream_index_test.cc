// Every flow detect_protocols and analyze_payload list names its tshark stream (stream_index:
// tcp.stream or udp.stream), the number follow_stream takes: on our payload captures and the
// shared ones, each flow's stream_index equals tshark's stream of the flow's first packet.
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "backend/analysis/payload/detect_protocols.h"
#include "gtest/gtest.h"
#include "tests/testing/tshark.h"

namespace mcpcap {
namespace {

// frame.number -> (tcp.stream, udp.stream) as tshark prints them ("" when absent).
std::map<uint64_t, std::pair<std::string, std::string>> TsharkStreams(const std::string& path) {
  std::map<uint64_t, std::pair<std::string, std::string>> streams;
  FILE* pipe = popen(
      testing::TsharkFieldsCommand(path,
                                   "-Y '(tcp or udp) and not icmp and not icmpv6' -E occurrence=l "
                                   "-e frame.number -e tcp.stream -e udp.stream")
          .c_str(),
      "r");
  if (pipe == nullptr) return streams;
  for (const std::vector<std::string>& row : testing::ReadRows(pipe)) {
    uint64_t frame = 0;
    if (row.size() >= 3 && absl::SimpleAtoi(row[0], &frame)) streams[frame] = {row[1], row[2]};
  }
  pclose(pipe);
  return streams;
}

TEST(PayloadStreamIndex, EveryFlowCarriesTsharksStream) {
  if (!testing::HaveTshark()) GTEST_SKIP() << "tshark not installed";
  std::vector<std::string> paths = testing::CapturesIn(MCPCAP_PAYLOAD_TEST_DATA);
  for (const std::string& p : testing::SharedCapturesCovering(
           MCPCAP_SHARED_CAPTURES, {"tcp", "http", "tls", "mysql", "postgresql", "dns"})) {
    paths.push_back(p);
  }
  uint64_t compared = 0;
  for (const std::string& path : paths) {
    AnalysisInput input;
    input.source = input.local_path = path;
    input.listings.max = kMaxResultsCap;
    auto result = DetectProtocols(input, v1::DetectProtocolsRequest());
    if (!result.ok()) continue;
    const auto theirs = TsharkStreams(path);
    for (const v1::DetectedFlow& flow : result->flows()) {
      auto it = theirs.find(flow.first_packet().packet_number());
      if (it == theirs.end()) continue;
      const bool tcp = flow.transport() == v1::TRANSPORT_TCP;
      const std::string& expected = tcp ? it->second.first : it->second.second;
      uint64_t index = 0;
      if (!absl::SimpleAtoi(expected, &index)) continue;  // tshark gave this frame no stream
      ASSERT_TRUE(flow.has_stream_index()) << path;
      EXPECT_EQ(flow.stream_index(), index)
          << path << " flow starting at frame " << flow.first_packet().packet_number();
      ++compared;
    }
  }
  EXPECT_GT(compared, 20u);
  std::printf("compared %llu flows\n", static_cast<unsigned long long>(compared));
}

}  // namespace
}  // namespace mcpcap
