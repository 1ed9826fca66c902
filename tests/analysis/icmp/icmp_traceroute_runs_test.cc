// Traceroute paths are built per run, on captures of real runs (data/make_traceroute_runs.sh):
// five runs back to back from one prober to one destination three hops away (traceroute UDP
// twice, traceroute -I twice, tracepath), and the same prober's answers alone an hour later. No
// run is merged with another, no path is longer than the TTLs probed, no RTT longer than the
// capture; hops and probe counts are compared with tshark.
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "backend/analysis/icmp/icmp.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/tshark.h"

namespace mcpcap {
namespace {

const std::string kDir = MCPCAP_ICMP_DATA;

v1::AnalyzeIcmpPacketsResponse Analyze(const std::string& name, const std::string& filter = "") {
  AnalysisInput input;
  input.source = name;
  input.local_path = kDir + "/" + name;
  input.listings.max = 100;
  input.bpf_filter = filter;
  absl::StatusOr<v1::AnalyzeIcmpPacketsResponse> r =
      AnalyzeIcmpPackets(input, v1::AnalyzeIcmpPacketsRequest());
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : v1::AnalyzeIcmpPacketsResponse();
}

double Ms(const google::protobuf::Duration& d) {
  return static_cast<double>(d.seconds()) * 1e3 + d.nanos() / 1e6;
}

// "1:10.98.1.1 2:10.98.12.2 3:10.98.3.2*": hop, router, destination mark.
std::string Route(const v1::TraceroutePath& p) {
  std::string s;
  for (const auto& h : p.hops()) {
    if (!s.empty()) s += " ";
    s += std::to_string(h.hop()) + ":" + h.router() + (h.is_destination() ? "*" : "");
  }
  return s;
}

// Every bound a path must keep: hops within the TTLs probed, RTTs within the capture.
void ExpectBounded(const v1::AnalyzeIcmpPacketsResponse& r, double capture_ms) {
  for (const auto& p : r.statistics().traceroutes()) {
    if (p.has_max_probe_ttl()) {
      EXPECT_LE(static_cast<uint32_t>(p.hops_size()), p.max_probe_ttl()) << Route(p);
      for (const auto& h : p.hops()) EXPECT_LE(h.hop(), p.max_probe_ttl()) << Route(p);
    }
    for (const auto& h : p.hops()) {
      for (const auto& rtt : h.probe_rtts()) {
        EXPECT_GE(Ms(rtt), 0.0);
        EXPECT_LE(Ms(rtt), capture_ms);
        // An answer more than 10 s after its probe is not its answer.
        EXPECT_LE(Ms(rtt), 10'000.0);
      }
    }
    EXPECT_LE(p.first_packet().packet_number(), p.last_packet().packet_number());
  }
}

TEST(TracerouteRuns, BackToBackRunsAreSeparatePaths) {
  const auto r = Analyze("traceroute_runs.pcap");
  const auto& paths = r.statistics().traceroutes();
  // Two UDP traceroutes, two ICMP traceroutes, one tracepath: five runs, five paths.
  ASSERT_EQ(paths.size(), 5) << r.statistics().DebugString();
  std::vector<std::string> protocols;
  for (const auto& p : paths) {
    EXPECT_EQ(p.source().ip(), "10.98.1.2");
    EXPECT_EQ(p.destination().ip(), "10.98.3.2");
    EXPECT_TRUE(p.reached());
    EXPECT_EQ(Route(p), "1:10.98.1.1 2:10.98.12.2 3:10.98.3.2*") << p.DebugString();
    protocols.push_back(p.protocol());
  }
  // Sorted by protocol, then first packet: ICMP runs first (ICMP < UDP).
  EXPECT_EQ(protocols, (std::vector<std::string>{"ICMP", "ICMP", "UDP", "UDP", "UDP"}));
  // The two traceroute -I runs carry their own echo identifiers.
  ASSERT_TRUE(paths[0].has_echo_identifier() && paths[1].has_echo_identifier());
  EXPECT_NE(paths[0].echo_identifier(), paths[1].echo_identifier());
  // traceroute -q 2 -m 6 stops at the destination (TTL 3): 6 probes per run; tracepath sent
  // TTL 1 twice, then 2 and 3.
  EXPECT_EQ(paths[0].probes(), 6u);
  EXPECT_EQ(paths[0].max_probe_ttl(), 3u);
  EXPECT_EQ(paths[2].probes(), 6u);
  EXPECT_EQ(paths[3].probes(), 6u);
  EXPECT_EQ(paths[4].probes(), 4u);
  // Each run's hops have the answers of that run only: 2 probes per hop (tracepath: TTL 1
  // twice, once each after).
  for (int i = 0; i < 4; ++i) {
    for (const auto& h : paths[i].hops()) EXPECT_EQ(h.probes(), 2u) << Route(paths[i]);
  }
  EXPECT_EQ(paths[4].hops(0).probes(), 2u);
  EXPECT_EQ(paths[4].hops(1).probes(), 1u);
  // Runs do not overlap: each starts after the one before ended.
  EXPECT_LT(paths[2].last_packet().packet_number(), paths[3].first_packet().packet_number());
  EXPECT_LT(paths[3].last_packet().packet_number(), paths[4].first_packet().packet_number());
  ExpectBounded(r, 1'000.0);

  // tshark: the time-exceeded answers and the probes, by run, agree with the paths' counts.
  const auto rows = testing::TsharkFields(kDir + "/traceroute_runs.pcap",
                                          "-Y 'icmp.type == 11' -e frame.number -e ip.src");
  if (rows.empty()) GTEST_SKIP() << "tshark not available";
  uint64_t answers = 0;
  for (const auto& p : paths) {
    for (const auto& h : p.hops()) answers += h.is_destination() ? 0 : h.probes();
  }
  EXPECT_EQ(answers, rows.size());
}

TEST(TracerouteRuns, AnswersAloneAnHourLaterAreAnotherRun) {
  const auto r = Analyze("traceroute_gap.pcap");
  const auto& paths = r.statistics().traceroutes();
  ASSERT_EQ(paths.size(), 2) << r.statistics().DebugString();
  // The first run: probes captured, hops by TTL, RTTs measured.
  EXPECT_EQ(paths[0].probes(), 6u);
  EXPECT_EQ(Route(paths[0]), "1:10.98.1.1 2:10.98.12.2 3:10.98.3.2*");
  EXPECT_EQ(paths[0].last_packet().packet_number(), 12u);
  // The second: answers only, an hour later. Hops by rank, no RTT (its probes were not
  // captured: matching them with the first run's would give an RTT of an hour).
  EXPECT_EQ(paths[1].probes(), 0u);
  EXPECT_FALSE(paths[1].has_max_probe_ttl());
  EXPECT_EQ(paths[1].first_packet().packet_number(), 13u);
  EXPECT_EQ(Route(paths[1]), "1:10.98.1.1 2:10.98.12.2 3:10.98.3.2*");
  for (const auto& h : paths[1].hops()) {
    EXPECT_FALSE(h.has_rtt());
    EXPECT_EQ(h.probe_rtts_size(), 0);
  }
  ExpectBounded(r, 3'600'100.0);
}

TEST(TracerouteRuns, AnswersAloneSplitWhereTheProbeOrderStartsOver) {
  // Without the probes (UDP and echo requests filtered out), runs are told apart by the probe
  // order the errors quote starting over: the five runs stay five.
  const auto r = Analyze("traceroute_runs.pcap", "icmp and icmp[0] != 8");
  const auto& paths = r.statistics().traceroutes();
  ASSERT_EQ(paths.size(), 5) << r.statistics().DebugString();
  for (const auto& p : paths) {
    EXPECT_EQ(p.probes(), 0u);
    EXPECT_EQ(Route(p), "1:10.98.1.1 2:10.98.12.2 3:10.98.3.2*") << p.DebugString();
  }
}

TEST(TracerouteRuns, EveryPathIsBoundedOnEveryCapture) {
  // Ours and the shared captures with time-exceeded errors: no path longer than the TTLs it
  // probed, no RTT longer than the capture (its span by tshark).
  std::vector<std::string> paths = testing::CapturesIn(kDir);
  for (const std::string& p :
       testing::SharedCapturesCovering(MCPCAP_SHARED_CAPTURES, {"icmp-time-exceeded"})) {
    paths.push_back(p);
  }
  if (!testing::HaveTshark()) GTEST_SKIP() << "tshark not available";
  for (const std::string& path : paths) {
    SCOPED_TRACE(path);
    AnalysisInput input;
    input.source = path;
    input.local_path = path;
    input.listings.max = 1000;
    absl::StatusOr<v1::AnalyzeIcmpPacketsResponse> r =
        AnalyzeIcmpPackets(input, v1::AnalyzeIcmpPacketsRequest());
    ASSERT_TRUE(r.ok()) << r.status();
    double span_s = 0;
    for (const auto& row : testing::TsharkFields(path, "-e frame.time_relative")) {
      double t = 0;
      if (!row.empty() && absl::SimpleAtod(row[0], &t)) span_s = std::max(span_s, t);
    }
    ExpectBounded(*r, span_s * 1e3 + 1e-3);
  }
}

}  // namespace
}  // namespace mcpcap
