// Golden JSON for the four TCP analyses over our own captures (record.sh: real Linux stacks in
// network namespaces) and the original's synth captures. MCPCAP_UPDATE_GOLDEN=1 rewrites them.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "backend/analysis/tcp/tcp_anomalies.h"
#include "backend/analysis/tcp/tcp_connections.h"
#include "backend/analysis/tcp/tcp_retransmissions.h"
#include "backend/analysis/tcp/traffic_flow.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/analysis/tcp/tcp_test_inputs.h"

namespace mcpcap {
namespace {

std::string ToJson(const google::protobuf::Message& m) {
  google::protobuf::util::JsonPrintOptions o;
  o.add_whitespace = true;
  o.preserve_proto_field_names = true;
  o.always_print_primitive_fields = true;
  std::string json;
  EXPECT_TRUE(google::protobuf::util::MessageToJsonString(m, &json, o).ok());
  return json;
}

void ExpectGolden(const std::string& json, const std::string& path) {
  const char* update = std::getenv("MCPCAP_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary) << json;
    return;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in.good()) << "missing golden " << path << " (MCPCAP_UPDATE_GOLDEN=1 creates it)";
  std::stringstream want;
  want << in.rdbuf();
  EXPECT_EQ(json, want.str()) << "golden mismatch for " << path;
}

AnalysisInput Input(const std::string& path) {
  AnalysisInput in;
  in.source = std::filesystem::path(path).filename().string();  // machine-independent
  in.local_path = path;
  return in;
}

// Blanks what changes per run.
template <typename R>
R Stable(R r) {
  r.clear_analysis_timestamp();
  return r;
}

struct Case {
  std::string path;
  std::string server_ip;
};

void CheckAll(const Case& c) {
  const std::string base =
      std::string(MCPCAP_TCP_DATA) + "/golden/" + std::filesystem::path(c.path).filename().string();
  v1::AnalyzeTcpConnectionsRequest conn;
  conn.set_detailed(true);
  auto r1 = AnalyzeTcpConnections(Input(c.path), conn);
  ASSERT_TRUE(r1.ok()) << r1.status();
  ExpectGolden(ToJson(Stable(*r1)), base + ".connections.json");
  auto r2 = AnalyzeTcpAnomalies(Input(c.path), v1::AnalyzeTcpAnomaliesRequest());
  ASSERT_TRUE(r2.ok()) << r2.status();
  ExpectGolden(ToJson(Stable(*r2)), base + ".anomalies.json");
  auto r3 = AnalyzeTcpRetransmissions(Input(c.path), v1::AnalyzeTcpRetransmissionsRequest());
  ASSERT_TRUE(r3.ok()) << r3.status();
  ExpectGolden(ToJson(Stable(*r3)), base + ".retransmissions.json");
  v1::AnalyzeTrafficFlowRequest flow;
  flow.set_server_ip(c.server_ip);
  auto r4 = AnalyzeTrafficFlow(Input(c.path), flow);
  ASSERT_TRUE(r4.ok()) << r4.status();
  ExpectGolden(ToJson(Stable(*r4)), base + ".traffic_flow.json");
}

class TcpGolden : public ::testing::TestWithParam<Case> {};

TEST_P(TcpGolden, MatchesGoldenJson) {
  if (!std::filesystem::exists(GetParam().path)) GTEST_SKIP() << GetParam().path << " absent";
  std::filesystem::create_directories(std::string(MCPCAP_TCP_DATA) + "/golden");
  CheckAll(GetParam());
}

std::string Ref(const char* name) {
  return std::string(MCPCAP_REFERENCE) + "/mcpcap-inputs/" + name;
}

INSTANTIATE_TEST_SUITE_P(
    Captures, TcpGolden,
    ::testing::Values(
        Case{Data("http.pcap"), "10.77.0.2"}, Case{Data("refused.pcap"), "10.77.0.2"},
        Case{Data("unanswered.pcap"), "10.77.0.2"}, Case{Data("loss.pcap"), "10.77.0.2"},
        Case{Data("reset.pcap"), "10.77.0.2"}, Case{Data("zerowindow.pcap"), "10.77.0.2"},
        Case{Data("keepalive.pcap"), "10.77.0.2"}, Case{Data("crafted.pcap"), "10.1.0.2"},
        Case{Data("scan.pcap"), "10.79.0.2"}, Case{Data("outage.pcap"), "10.79.0.2"},
        Case{Data("fastretx.pcap"), "10.79.0.2"}, Case{Data("midhandshake.pcap"), "10.77.0.2"},
        Case{Ref("synth_tcp.pcap"), "10.0.0.2"}, Case{Ref("synth_ipv6_vlan.pcap"), "2001:db8::2"}),
    [](const ::testing::TestParamInfo<Case>& p) {
      std::string n = std::filesystem::path(p.param.path).stem().string();
      for (char& ch : n) {
        if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
      }
      return n;
    });

}  // namespace
}  // namespace mcpcap
