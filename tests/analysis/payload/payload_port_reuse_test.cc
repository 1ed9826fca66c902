// The payload scan on a reused 5-tuple (data/http_port_reuse*.pcap, record_port_reuse.sh): each
// connection is a flow of its own, as tshark's tcp.stream says, and both are parsed, whether the
// capture saw the first connection close (its FINs) or not (a capture that lost them).
#include <map>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "backend/analysis/payload/payload_scan.h"
#include "gtest/gtest.h"
#include "tests/testing/tshark.h"

namespace mcpcap {
namespace {

struct Case {
  const char* test_name;
  const char* capture;
  uint64_t packets_per_connection;
  const char* second_syn;  // its frame number
  // The server acknowledged the client's FIN that the capture lost: one sequence number unseen.
  uint64_t gaps_per_connection;
};

std::string Path(const Case& c) { return std::string(MCPCAP_PAYLOAD_TEST_DATA) + "/" + c.capture; }

absl::StatusOr<PayloadScanResult> Scan(const std::string& path) {
  AnalysisInput input;
  input.source = input.local_path = path;
  return RunPayloadScan(input, PayloadScanOptions());
}

// One line per flow, by first frame: "first_frame client_port>server_port request_uri status".
std::vector<std::string> OurFlows(const std::string& path) {
  absl::StatusOr<PayloadScanResult> scanned = Scan(path);
  EXPECT_TRUE(scanned.ok()) << scanned.status();
  std::vector<std::string> out;
  if (!scanned.ok()) return out;
  for (const PayloadFlowResult& f : scanned->flows) {
    std::string uri, status;
    for (const payload::AppMessage& m : f.messages) {
      for (const auto& [key, value] : m.fields) {
        if (key == "uri") uri = value;
        if (key == "status") status = value;
      }
    }
    out.push_back(std::to_string(f.first.frame) + " " + std::to_string(f.client_port) + ">" +
                  std::to_string(f.server_port) + " " + uri + " " + status);
  }
  return out;
}

class PayloadPortReuse : public ::testing::TestWithParam<Case> {};

TEST_P(PayloadPortReuse, EachConnectionIsAFlow) {
  absl::StatusOr<PayloadScanResult> scanned = Scan(Path(GetParam()));
  ASSERT_TRUE(scanned.ok()) << scanned.status();
  // What the capture was made of: GET /first.txt, then GET /second.txt from the same client
  // port, one connection each.
  ASSERT_EQ(scanned->flows.size(), 2u);
  for (const PayloadFlowResult& f : scanned->flows) {
    EXPECT_EQ(f.detection.protocol, payload::Protocol::kHttp);
    EXPECT_EQ(f.packets, GetParam().packets_per_connection);
    EXPECT_EQ(f.messages_total, 2u);  // the request and its response
    EXPECT_EQ(f.gaps, GetParam().gaps_per_connection);
  }
  const std::vector<std::string> expected = {
      "1 40081>8081 /first.txt 200",
      std::string(GetParam().second_syn) + " 40081>8081 /second.txt 200"};
  EXPECT_EQ(OurFlows(Path(GetParam())), expected);
}

TEST_P(PayloadPortReuse, AgreesWithTshark) {
  if (!testing::HaveTshark()) GTEST_SKIP() << "tshark is not installed";
  // stream -> the same line as OurFlows builds.
  std::map<int, std::string> first_frame, ports, uri, status;
  for (const auto& row : testing::TsharkFields(
           Path(GetParam()),
           "-d tcp.port==8081,http -Y tcp -e frame.number -e tcp.stream -e "
           "tcp.srcport -e tcp.dstport -e http.request.uri -e http.response.code")) {
    ASSERT_EQ(row.size(), 6u);
    int stream = 0;
    ASSERT_TRUE(absl::SimpleAtoi(row[1], &stream));
    if (first_frame.count(stream) == 0) {
      first_frame[stream] = row[0];
      ports[stream] = row[2] + ">" + row[3];  // the SYN's sender is the client
    }
    if (!row[4].empty()) uri[stream] = row[4];
    if (!row[5].empty()) status[stream] = row[5];
  }
  std::vector<std::string> theirs;
  for (const auto& [stream, frame] : first_frame) {
    theirs.push_back(frame + " " + ports[stream] + " " + uri[stream] + " " + status[stream]);
  }
  EXPECT_EQ(theirs.size(), 2u) << "tshark sees two TCP streams";
  EXPECT_EQ(OurFlows(Path(GetParam())), theirs);
}

INSTANTIATE_TEST_SUITE_P(
    Captures, PayloadPortReuse,
    ::testing::Values(Case{"Whole", "http_port_reuse.pcap", 12, "13", 0},
                      Case{"LostFins", "http_port_reuse_lost_fins.pcap", 10, "11", 1}),
    [](const ::testing::TestParamInfo<Case>& p) { return std::string(p.param.test_name); });

}  // namespace
}  // namespace mcpcap
