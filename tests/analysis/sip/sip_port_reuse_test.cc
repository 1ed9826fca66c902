// SIP over TCP on a reused 5-tuple (data/sip_tcp_port_reuse.pcap, record_port_reuse.sh): the
// second connection's messages are read too, as tshark reads them, with no anomaly.
#include <map>
#include <string>

#include "absl/strings/numbers.h"
#include "gtest/gtest.h"
#include "tests/analysis/sip/sip_test_util.h"
#include "tests/testing/tshark.h"

namespace mcpcap {
namespace {

const std::string kCapture = std::string(MCPCAP_SIP_DATA) + "/sip_tcp_port_reuse.pcap";

// frame -> method or status code.
std::map<uint64_t, std::string> Ours(const v1::AnalyzeSipPacketsResponse& r) {
  std::map<uint64_t, std::string> out;
  for (const v1::SipPacket& p : r.packets()) {
    out[p.packet_number()] = p.method().empty() ? std::to_string(p.status_code()) : p.method();
  }
  return out;
}

TEST(SipPortReuse, BothConnectionsAreRead) {
  const v1::AnalyzeSipPacketsResponse r = testing::AnalyzeSip(kCapture);
  // What the capture was made of: REGISTER / 200 on the first connection, OPTIONS / 200 on the
  // second, from the same client port.
  EXPECT_EQ(r.sip_packets_found(), 4u);
  EXPECT_EQ(r.statistics().requests(), 2u);
  EXPECT_EQ(r.statistics().responses(), 2u);
  EXPECT_EQ(r.statistics().transports().at("tcp"), 4u);
  EXPECT_TRUE(r.capture().anomalies().empty());
  const std::map<uint64_t, std::string> expected = {
      {4, "REGISTER"}, {6, "200"}, {14, "OPTIONS"}, {16, "200"}};
  EXPECT_EQ(Ours(r), expected);
}

TEST(SipPortReuse, AgreesWithTshark) {
  if (!testing::HaveTshark()) GTEST_SKIP() << "tshark is not installed";
  std::map<uint64_t, std::string> theirs;
  std::map<std::string, int> streams;
  for (const auto& row : testing::TsharkFields(
           kCapture, "-Y sip -e frame.number -e sip.Method -e sip.Status-Code -e tcp.stream")) {
    ASSERT_EQ(row.size(), 4u);
    uint64_t frame = 0;
    ASSERT_TRUE(absl::SimpleAtoi(row[0], &frame));
    theirs[frame] = row[1].empty() ? row[2] : row[1];
    ++streams[row[3]];
  }
  EXPECT_EQ(theirs.size(), 4u);
  EXPECT_EQ(streams.size(), 2u) << "tshark sees two TCP streams";
  EXPECT_EQ(Ours(testing::AnalyzeSip(kCapture)), theirs);
}

}  // namespace
}  // namespace mcpcap
