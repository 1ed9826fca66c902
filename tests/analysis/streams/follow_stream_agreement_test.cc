// follow_stream against tshark 4.0's `-z follow,tcp,raw,N` and `-z follow,udp,raw,N` on every
// capture we recorded (examples/, tests/**/data) and the public ones in MCPCAP_SHARED_CAPTURES:
// for each stream (the first kStreamsPerCapture of each protocol) the endpoints, the bytes each
// direction sent (compared byte for byte, read back page by page through next_offset), and the
// holes tshark marks "[N bytes missing in capture file]" (our gap_bytes; tshark writes its mark
// as data, we do not). Finding the stream by its endpoints gives the first stream between them.
// tshark runs once per capture, several captures at a time.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <future>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/analysis/streams/follow_test_util.h"
#include "tests/testing/tshark.h"

namespace mcpcap {
namespace {

using testing::FollowAll;
using testing::NodeText;
using testing::PagedStream;
using testing::TsharkFollows;
using testing::TsharkStream;

constexpr uint64_t kStreamsPerCapture = 12;
constexpr size_t kTsharkAtOnce = 4;

// A tunnel's outer flow: FrameScan gives a frame the stream index of its inner TCP/UDP packet,
// so an outer UDP flow (VXLAN) has no packet of its own for us to follow, while tshark follows
// its payload (the VXLAN header, flags 0x08, and the inner frame).
bool OuterVxlanFlow(const TsharkStream& t) {
  const std::string& b = t.bytes[0];
  return b.size() >= 8 && b[0] == 0x08 && b[1] == 0 && b[2] == 0 && b[3] == 0;
}

struct Tally {
  int streams = 0;
  int agree = 0;
  int empty = 0;  // streams tshark numbers without a packet to follow (ICMP quotes, malformed)
  int known = 0;
  uint64_t bytes = 0;
};

void CompareStream(const std::string& path, const std::string& proto, uint64_t index,
                   const TsharkStream& t, const std::map<std::set<std::string>, uint64_t>& first,
                   Tally* tally) {
  const std::string name = std::filesystem::path(path).filename().string();
  SCOPED_TRACE(absl::StrCat(name, " ", proto, ".stream ", index));
  ++tally->streams;
  v1::FollowStreamRequest request;
  request.set_pcap_file(path);
  request.set_protocol(proto == "tcp" ? v1::STREAM_PROTOCOL_TCP : v1::STREAM_PROTOCOL_UDP);
  request.set_stream_index(index);
  request.set_max_bytes(65536);
  const PagedStream ours = FollowAll(path, request);
  if (t.nodes[0] == ":0") {
    // tshark numbered the stream but tapped no packet of it (a header quoted in an ICMP error,
    // a segment too short for a TCP header): nothing to follow, and we say so.
    EXPECT_TRUE(absl::IsNotFound(ours.status)) << ours.status;
    ++tally->empty;
    return;
  }
  if (absl::IsNotFound(ours.status) && OuterVxlanFlow(t)) {
    ++tally->known;
    return;
  }
  ASSERT_TRUE(ours.status.ok()) << ours.status;
  EXPECT_TRUE(ours.offsets_consistent);
  const v1::FollowStreamResponse& r = ours.first;
  // tshark's node 0 sent the first packet; ours are client (SYN sender) and server.
  const std::string client = NodeText(r.client());
  const std::string server = NodeText(r.server());
  ASSERT_EQ((std::set<std::string>{client, server}),
            (std::set<std::string>{t.nodes[0], t.nodes[1]}));
  const int client_node = client == t.nodes[0] ? 0 : 1;
  const v1::StreamDirectionStats* stats[2] = {&r.client_to_server(), &r.server_to_client()};
  bool agree = true;
  for (int d = 0; d < 2; ++d) {
    const int node = d == 0 ? client_node : 1 - client_node;
    agree &= stats[d]->bytes() == t.bytes[node].size() && ours.bytes[d] == t.bytes[node] &&
             stats[d]->gap_bytes() == t.gap_bytes[node];
    EXPECT_EQ(stats[d]->bytes(), t.bytes[node].size()) << "direction " << d;
    EXPECT_TRUE(ours.bytes[d] == t.bytes[node]) << "direction " << d << " bytes differ";
    EXPECT_EQ(stats[d]->gap_bytes(), t.gap_bytes[node]) << "direction " << d;
    // A chunk's gap_bytes_before also counts what the snap length cut before it (tshark
    // leaves those bytes out without a mark).
    EXPECT_GE(ours.gap_bytes[d], t.gap_bytes[node]) << "direction " << d;
    EXPECT_LE(ours.gap_bytes[d], t.gap_bytes[node] + stats[d]->truncated_bytes())
        << "direction " << d;
  }
  EXPECT_EQ(r.total_bytes(), r.client_to_server().bytes() + r.server_to_client().bytes());
  if (agree) ++tally->agree;
  tally->bytes += r.total_bytes();

  // By endpoints: the first stream between the same two ends.
  v1::FollowStreamRequest by_ends;
  by_ends.set_pcap_file(path);
  by_ends.set_protocol(request.protocol());
  *by_ends.mutable_endpoint_a() = r.server();
  *by_ends.mutable_endpoint_b() = r.client();
  by_ends.set_max_bytes(1);
  absl::StatusOr<v1::FollowStreamResponse> found = FollowStream(testing::InputFor(path), by_ends);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->stream_index(), first.at({t.nodes[0], t.nodes[1]}));
}

void CompareCapture(const std::string& path, const TsharkFollows& tshark,
                    std::map<std::string, Tally>* tallies) {
  SCOPED_TRACE(path);
  for (const auto& [proto, streams] : tshark) {
    // Endpoint pair (unordered) -> the first stream between them.
    std::map<std::set<std::string>, uint64_t> first;
    for (const auto& [index, t] : streams)
      first.emplace(std::set<std::string>{t.nodes[0], t.nodes[1]}, index);
    for (const auto& [index, t] : streams)
      CompareStream(path, proto, index, t, first, &(*tallies)[proto]);
  }
}

TEST(FollowStreamAgreement, OurAndSharedCaptures) {
  if (!testing::HaveTshark()) GTEST_SKIP() << "tshark is not installed";
  std::vector<std::string> captures = testing::OurCaptures();
  const std::vector<std::string> shared = testing::CapturesIn(MCPCAP_SHARED_CAPTURES);
  if (shared.empty())
    std::printf("shared captures absent (%s): ours only\n", MCPCAP_SHARED_CAPTURES);
  captures.insert(captures.end(), shared.begin(), shared.end());

  std::map<std::string, Tally> tallies;
  int with_streams = 0;
  for (size_t i = 0; i < captures.size(); i += kTsharkAtOnce) {
    std::vector<std::future<TsharkFollows>> runs;
    const size_t end = std::min(captures.size(), i + kTsharkAtOnce);
    for (size_t j = i; j < end; ++j) {
      const auto [tcp, udp] = testing::OurStreamCounts(captures[j]);
      runs.push_back(std::async(std::launch::async, testing::TsharkFollow, captures[j],
                                std::min(tcp, kStreamsPerCapture),
                                std::min(udp, kStreamsPerCapture)));
    }
    for (size_t j = i; j < end; ++j) {
      const TsharkFollows tshark = runs[j - i].get();
      if (!tshark.empty()) ++with_streams;
      CompareCapture(captures[j], tshark, &tallies);
    }
  }
  for (const auto& [proto, t] : tallies) {
    std::printf(
        "%s: %d streams in %d captures: %d agree byte for byte (%llu bytes), %d empty in "
        "both, %d outer VXLAN flows (known difference)\n",
        proto.c_str(), t.streams, with_streams, t.agree, static_cast<unsigned long long>(t.bytes),
        t.empty, t.known);
  }
  EXPECT_GT(tallies["tcp"].agree, 100);
  EXPECT_GT(tallies["udp"].agree, 50);
}

}  // namespace
}  // namespace mcpcap
