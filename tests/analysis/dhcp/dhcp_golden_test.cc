// Golden JSON over the captures we recorded ourselves (record.sh). MCPCAP_UPDATE_GOLDEN=1
// rewrites the .json files.
#include <string>

#include "backend/analysis/dhcp/dhcp.h"
#include "gtest/gtest.h"
#include "tests/testing/golden.h"

namespace mcpcap {
namespace {

class DhcpGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(DhcpGolden, MatchesCheckedInJson) {
  const std::string dir = MCPCAP_DHCP_DATA;
  AnalysisInput input;
  input.source = GetParam() + ".pcap";
  input.local_path = dir + "/" + GetParam() + ".pcap";
  input.listings.max = 100;
  absl::StatusOr<v1::AnalyzeDhcpPacketsResponse> r =
      AnalyzeDhcpPackets(input, v1::AnalyzeDhcpPacketsRequest());
  ASSERT_TRUE(r.ok()) << r.status();
  r->clear_analysis_timestamp();
  testing::ExpectGolden(testing::ToGoldenJson(*r), dir + "/" + GetParam() + ".json");
}

INSTANTIATE_TEST_SUITE_P(Captures, DhcpGolden,
                         ::testing::Values("dora_release", "nak", "rogue", "dhcpv6", "bootp",
                                           "dhcpv6_relay"));

}  // namespace
}  // namespace mcpcap
