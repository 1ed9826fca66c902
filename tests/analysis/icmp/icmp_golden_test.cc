// Golden JSON over the captures we recorded ourselves (record.sh): the whole result, so any change
// of the output shows up in review. MCPCAP_UPDATE_GOLDEN=1 rewrites the .json files.
#include <string>

#include "backend/analysis/icmp/icmp.h"
#include "gtest/gtest.h"
#include "tests/testing/golden.h"

namespace mcpcap {
namespace {

class IcmpGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(IcmpGolden, MatchesCheckedInJson) {
  const std::string dir = MCPCAP_ICMP_DATA;
  AnalysisInput input;
  input.source = GetParam() + ".pcap";
  input.local_path = dir + "/" + GetParam() + ".pcap";
  input.listings.max = 100;
  absl::StatusOr<v1::AnalyzeIcmpPacketsResponse> r =
      AnalyzeIcmpPackets(input, v1::AnalyzeIcmpPacketsRequest());
  ASSERT_TRUE(r.ok()) << r.status();
  r->clear_analysis_timestamp();
  testing::ExpectGolden(testing::ToGoldenJson(*r), dir + "/" + GetParam() + ".json");
}

INSTANTIATE_TEST_SUITE_P(Captures, IcmpGolden,
                         ::testing::Values("echo_loopback", "errors", "traceroute", "bigping",
                                           "snapped"));

}  // namespace
}  // namespace mcpcap
