// DNS over TCP on a reused 5-tuple (data/dns_tcp_port_reuse.pcap, record_port_reuse.sh): the
// second connection's messages are read too, as tshark reads them, with no anomaly.
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "backend/analysis/dns/dns.h"
#include "gtest/gtest.h"
#include "tests/testing/tshark.h"

namespace mcpcap {
namespace {

const std::string kCapture = std::string(MCPCAP_DNS_TEST_DATA) + "/dns_tcp_port_reuse.pcap";

v1::AnalyzeDnsPacketsResponse Analyze() {
  AnalysisInput input;
  input.source = input.local_path = kCapture;
  auto result = AnalyzeDnsPackets(input, v1::AnalyzeDnsPacketsRequest());
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? *result : v1::AnalyzeDnsPacketsResponse();
}

// (frame, "id/response") of every DNS message.
using Messages = std::multimap<uint64_t, std::string>;

TEST(DnsPortReuse, BothConnectionsAreRead) {
  const v1::AnalyzeDnsPacketsResponse r = Analyze();
  // What the capture was made of: one query and its answer on each of the two connections.
  EXPECT_EQ(r.dns_packets_found(), 4u);
  EXPECT_EQ(r.statistics().queries(), 2u);
  EXPECT_EQ(r.statistics().responses(), 2u);
  EXPECT_EQ(r.statistics().answered_queries(), 2u);
  EXPECT_EQ(r.statistics().unanswered_queries(), 0u);
  EXPECT_EQ(r.statistics().transports().at("tcp"), 4u);
  EXPECT_TRUE(r.capture().anomalies().empty());
  Messages ours;
  for (const v1::DnsPacket& p : r.packets()) {
    ours.emplace(p.packet_number(),
                 std::to_string(p.dns_id()) + (p.flags().is_response() ? "/1" : "/0"));
  }
  const Messages expected = {{4, "12289/0"}, {6, "12289/1"}, {14, "12290/0"}, {16, "12290/1"}};
  EXPECT_EQ(ours, expected);
}

TEST(DnsPortReuse, AgreesWithTshark) {
  if (!testing::HaveTshark()) GTEST_SKIP() << "tshark is not installed";
  Messages theirs;
  std::map<std::string, int> streams;
  for (const auto& row :
       testing::TsharkFields(kCapture,
                             "-Y dns -e frame.number -e dns.id -e dns.flags.response "
                             "-e tcp.stream")) {
    ASSERT_EQ(row.size(), 4u);
    uint64_t frame = 0;
    uint32_t id = 0;
    ASSERT_TRUE(absl::SimpleAtoi(row[0], &frame));
    ASSERT_TRUE(absl::SimpleHexAtoi(row[1], &id)) << row[1];
    theirs.emplace(frame, std::to_string(id) + "/" + row[2]);
    ++streams[row[3]];
  }
  EXPECT_EQ(theirs.size(), 4u);
  EXPECT_EQ(streams.size(), 2u) << "tshark sees two TCP streams";
  const v1::AnalyzeDnsPacketsResponse r = Analyze();
  Messages ours;
  for (const v1::DnsPacket& p : r.packets()) {
    ours.emplace(p.packet_number(),
                 std::to_string(p.dns_id()) + (p.flags().is_response() ? "/1" : "/0"));
  }
  EXPECT_EQ(ours, theirs);
}

}  // namespace
}  // namespace mcpcap
