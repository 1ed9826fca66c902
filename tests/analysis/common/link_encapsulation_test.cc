// TCP and payload analyses see through link layers and tunnels: stacked VLAN tags, NFLOG, Linux
// SLL2, GRE (plain, keyed, PPTP, transparent Ethernet, ERSPAN) and IP fragments. The captures are
// written by tests/dissect/data/make_link_captures.py; connection counts must match tshark's.
#include <cstdio>
#include <string>

#include "backend/analysis/payload/detect_protocols.h"
#include "backend/analysis/tcp/tcp_connections.h"
#include "backend/analysis/tcp/tcp_retransmissions.h"
#include "gtest/gtest.h"
#include "tests/testing/tshark.h"

namespace mcpcap {
namespace {

std::string DataPath(const std::string& name) {
  return std::string(MCPCAP_LINK_TEST_DATA) + "/" + name;
}

AnalysisInput Input(const std::string& name) {
  AnalysisInput input;
  input.source = input.local_path = DataPath(name);
  input.listings.max = 1000;
  return input;
}

// The TCP conversations `tshark -z conv,tcp` lists; -1 without tshark.
int TsharkTcpConversations(const std::string& path) {
  if (!testing::HaveTshark()) return -1;
  FILE* pipe = popen(("tshark -n -q -z conv,tcp -r '" + path + "' 2>/dev/null").c_str(), "r");
  if (pipe == nullptr) return -1;
  int count = 0;
  char line[4096];
  while (fgets(line, sizeof(line), pipe) != nullptr) {
    if (std::string(line).find("<->") != std::string::npos) ++count;
  }
  pclose(pipe);
  return count;
}

uint64_t HttpFlows(const std::string& name) {
  auto result = DetectProtocols(Input(name), v1::DetectProtocolsRequest());
  EXPECT_TRUE(result.ok()) << result.status();
  if (!result.ok()) return 0;
  for (const v1::ProtocolTotals& p : result->protocols()) {
    if (p.protocol() == "http") return p.flows();
  }
  return 0;
}

struct Case {
  const char* file;
  uint64_t connections;  // each an HTTP exchange with a full handshake
  bool tshark_agrees;    // false where tshark leaves the encapsulation undecoded
};

constexpr Case kCases[] = {
    {"vlan_stacked_http.pcap", 3, true},  // 3 and 4 tags: 0x88a8 and 0x9100 outermost
    {"vlan_9200_http.pcap", 1, false},    // tshark does not know the 0x9200 TPID
    {"nflog_tcp.pcap", 2, true},          // IPv4 and IPv6 families
    {"sll2_tcp.pcap", 2, true},
    {"gre_tunnels.pcap", 7, true},  // IPv4, keyed IPv6, 0x6558, PPTP, ERSPAN II/III, IPv6 outer
    {"ip_fragments_tcp.pcap", 3, true},  // IPv6 atomic fragments; IPv4 and IPv6 fragments
};

class LinkEncapsulation : public ::testing::TestWithParam<Case> {};

TEST_P(LinkEncapsulation, TcpConnectionsAgreeWithTshark) {
  const Case& c = GetParam();
  auto result = AnalyzeTcpConnections(Input(c.file), v1::AnalyzeTcpConnectionsRequest());
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->summary().total_connections(), c.connections);
  EXPECT_EQ(result->summary().successful_handshakes(), c.connections);
  EXPECT_EQ(result->summary().normal_close(), c.connections);
  const int tshark = TsharkTcpConversations(DataPath(c.file));
  if (tshark < 0) GTEST_SKIP() << "tshark is not installed: counts checked, agreement not";
  if (c.tshark_agrees) {
    EXPECT_EQ(static_cast<uint64_t>(tshark), c.connections);
  }
}

TEST_P(LinkEncapsulation, HttpIsDetectedInside) {
  EXPECT_EQ(HttpFlows(GetParam().file), GetParam().connections);
}

INSTANTIATE_TEST_SUITE_P(Captures, LinkEncapsulation, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<Case>& param_info) {
                           std::string name = param_info.param.file;
                           return name.substr(0, name.find('.'));
                         });

TEST(GreTunnel, RetransmissionInsidePptpIsFound) {
  auto result =
      AnalyzeTcpRetransmissions(Input("gre_tunnels.pcap"), v1::AnalyzeTcpRetransmissionsRequest());
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->total_retransmissions(), 1u);
}

}  // namespace
}  // namespace mcpcap
