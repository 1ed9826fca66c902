// list_conversations and list_endpoints against tshark's -z conv,<p> and -z endpoints,<p>, for the
// five layers, on every capture we made (examples/, tests/**/data) and on the shared ones: every
// row in tshark's order (sort_by frames is tshark's order: most frames first, ties in order of
// appearance), with its addresses, ports, frames and bytes each way, relative start and duration
// as tshark prints them, the number of rows, and for TCP/UDP rows the Community ID tshark's
// communityid post-dissector gives the row's stream.
#include <google/protobuf/duration.pb.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <future>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "backend/analysis/conversations/conversations.h"
#include "backend/analysis/conversations/endpoints.h"
#include "gtest/gtest.h"
#include "tests/analysis/conversations/tshark_tables.h"
#include "tests/testing/tshark.h"

namespace mcpcap {
namespace {

namespace fs = std::filesystem;
using testing::PrintBytes;
using testing::TsharkConversation;
using testing::TsharkEndpoint;
using testing::TsharkTables;

struct Layer {
  v1::ConversationLayer layer;
  const char* title;  // tshark's table title before " Conversations" / " Endpoints"
};
constexpr Layer kLayers[] = {{v1::CONVERSATION_LAYER_ETH, "Ethernet"},
                             {v1::CONVERSATION_LAYER_IP, "IPv4"},
                             {v1::CONVERSATION_LAYER_IPV6, "IPv6"},
                             {v1::CONVERSATION_LAYER_TCP, "TCP"},
                             {v1::CONVERSATION_LAYER_UDP, "UDP"}};

// The folders holding captures of ours (examples/ and the tests' data folders), each compared in
// its own test so that none runs long.
std::vector<std::string> OurCaptureFolders() {
  const fs::path root = fs::path(MCPCAP_EXAMPLES).parent_path();
  std::set<std::string> folders;
  for (const fs::path& dir : {root / "examples", root / "tests"}) {
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
      const std::string ext = entry.path().extension().string();
      if (entry.is_regular_file() && (ext == ".pcap" || ext == ".pcapng")) {
        folders.insert(entry.path().parent_path().string());
      }
    }
  }
  return {folders.begin(), folders.end()};
}

// tshark's nstime_to_sec: seconds and nanoseconds (same sign) as one double.
double NstimeToSec(int64_t nanos) {
  return static_cast<double>(nanos / 1'000'000'000) +
         static_cast<double>(nanos % 1'000'000'000) / 1e9;
}
int64_t Nanos(const google::protobuf::Duration& d) {
  return d.seconds() * 1'000'000'000 + d.nanos();
}

// tshark's text of a row's relative start and duration (stop minus start, each a double).
std::string RelativeStart(const v1::Conversation& c) {
  return absl::StrFormat("%.9f", NstimeToSec(Nanos(c.relative_start())));
}
std::string Duration(const v1::Conversation& c) {
  const int64_t start = Nanos(c.relative_start());
  return absl::StrFormat("%.4f", NstimeToSec(start + Nanos(c.duration())) - NstimeToSec(start));
}

std::string Port(bool has, uint32_t port) { return has ? absl::StrCat(port) : ""; }

// How a row differs from tshark's; empty when it agrees.
std::string Differences(const v1::Conversation& ours, const TsharkConversation& theirs) {
  std::string out;
  auto check = [&](const char* what, const auto& a, const auto& b) {
    if (!(a == b)) absl::StrAppend(&out, " ", what);
  };
  check("address_a", ours.address_a(), theirs.address_a);
  check("address_b", ours.address_b(), theirs.address_b);
  check("port_a", Port(ours.has_port_a(), ours.port_a()), theirs.port_a);
  check("port_b", Port(ours.has_port_b(), ours.port_b()), theirs.port_b);
  check("frames_a_to_b", ours.frames_a_to_b(), theirs.frames_ab);
  check("frames_b_to_a", ours.frames_b_to_a(), theirs.frames_ba);
  check("frames", ours.frames(), theirs.frames);
  check("bytes_a_to_b", PrintBytes(ours.bytes_a_to_b()), theirs.bytes_ab);
  check("bytes_b_to_a", PrintBytes(ours.bytes_b_to_a()), theirs.bytes_ba);
  check("bytes", PrintBytes(ours.bytes()), theirs.bytes);
  check("relative_start", RelativeStart(ours), theirs.relative_start);
  check("duration", Duration(ours), theirs.duration);
  return out;
}

std::string Differences(const v1::EndpointTraffic& ours, const TsharkEndpoint& theirs) {
  std::string out;
  auto check = [&](const char* what, const auto& a, const auto& b) {
    if (!(a == b)) absl::StrAppend(&out, " ", what);
  };
  check("address", ours.address(), theirs.address);
  check("port", Port(ours.has_port(), ours.port()), theirs.port);
  check("frames", ours.frames(), theirs.frames);
  check("bytes", ours.bytes(), theirs.bytes);
  check("tx_frames", ours.tx_frames(), theirs.tx_frames);
  check("tx_bytes", ours.tx_bytes(), theirs.tx_bytes);
  check("rx_frames", ours.rx_frames(), theirs.rx_frames);
  check("rx_bytes", ours.rx_bytes(), theirs.rx_bytes);
  return out;
}

std::string Describe(const v1::Conversation& c) {
  return absl::StrCat(c.address_a(), ":", c.port_a(), " <-> ", c.address_b(), ":", c.port_b(), " ",
                      c.frames_b_to_a(), "/", c.bytes_b_to_a(), " ", c.frames_a_to_b(), "/",
                      c.bytes_a_to_b(), " ", RelativeStart(c), " ", Duration(c));
}
std::string Describe(const TsharkConversation& c) {
  return absl::StrCat(c.address_a, ":", c.port_a, " <-> ", c.address_b, ":", c.port_b, " ",
                      c.frames_ba, "/", c.bytes_ba.number, c.bytes_ba.unit, " ", c.frames_ab, "/",
                      c.bytes_ab.number, c.bytes_ab.unit, " ", c.relative_start, " ", c.duration);
}
std::string Describe(const v1::EndpointTraffic& e) {
  return absl::StrCat(e.address(), ":", e.port(), " ", e.tx_frames(), "/", e.tx_bytes(), " ",
                      e.rx_frames(), "/", e.rx_bytes());
}
std::string Describe(const TsharkEndpoint& e) {
  return absl::StrCat(e.address, ":", e.port, " ", e.tx_frames, "/", e.tx_bytes, " ", e.rx_frames,
                      "/", e.rx_bytes);
}

// The fields tshark prints of each frame: the Community IDs, and what tells a known difference.
constexpr const char* kFrameFields =
    "--enable-protocol communityid -e frame.protocols -e tcp.stream -e udp.stream -e communityid "
    "-e eth.type";

// Known difference: a 0x9200 tag (an old QinQ TPID, as 0x9100) is a VLAN tag to our decoder,
// which then counts the IP inside; tshark 4.0 knows 0x8100, 0x88a8 and 0x9100 only, and stops at
// the Ethernet layer. The Ethernet tables still agree; the others are not compared.
bool HasUndecodedVlanTag(const TsharkTables& tables) {
  return std::any_of(tables.fields.begin(), tables.fields.end(), [](const auto& row) {
    return row.size() == 5 && absl::StrContains(row[4], "0x9200");
  });
}

// tshark's Community ID of each TCP and UDP stream, and the streams of each ID, from frames that
// carry one transport header outside any tunnel or ICMP error (whose frames name another flow, or
// several).
struct CommunityIds {
  std::map<uint64_t, std::string> tcp, udp;
  std::map<std::string, std::set<uint64_t>> tcp_streams, udp_streams;
};
CommunityIds TsharkCommunityIds(const TsharkTables& tables) {
  CommunityIds ids;
  for (const auto& row : tables.fields) {
    if (row.size() != 5 || row[3].empty() || absl::StrContains(row[3], ",")) continue;
    const std::vector<absl::string_view> layers = absl::StrSplit(row[0], ':');
    const auto count = [&](absl::string_view name) {
      return std::count(layers.begin(), layers.end(), name);
    };
    if (count("ip") + count("ipv6") != 1 || count("icmp") + count("icmpv6") != 0) continue;
    uint64_t stream;
    if (!row[1].empty() && absl::SimpleAtoi(row[1], &stream)) {
      ids.tcp[stream] = row[3];
      ids.tcp_streams[row[3]].insert(stream);
    }
    if (!row[2].empty() && absl::SimpleAtoi(row[2], &stream)) {
      ids.udp[stream] = row[3];
      ids.udp_streams[row[3]].insert(stream);
    }
  }
  return ids;
}

struct Tally {
  int captures = 0;
  int refused = 0;         // captures both tools refuse (no tables from tshark, an error from us)
  int undecoded_vlan = 0;  // captures compared at the Ethernet layer only (HasUndecodedVlanTag)
  uint64_t conversation_rows = 0, conversation_rows_agreeing = 0;
  uint64_t endpoint_rows = 0, endpoint_rows_agreeing = 0;
  uint64_t community_ids = 0, community_ids_agreeing = 0;
  uint64_t stream_indexes = 0, stream_indexes_agreeing = 0;
};

AnalysisInput InputFor(const std::string& path) {
  AnalysisInput input;
  input.source = path;
  input.local_path = path;
  input.listings.max = kMaxResultsCap;
  return input;
}

void CompareConversations(const std::string& path, const Layer& layer,
                          const std::vector<TsharkConversation>& theirs, const CommunityIds& ids,
                          Tally* tally) {
  v1::ListConversationsRequest request;
  request.set_pcap_file(path);
  request.set_protocol(layer.layer);
  request.set_sort_by(v1::TABLE_ORDER_FRAMES);
  absl::StatusOr<v1::ListConversationsResponse> ours = ListConversations(InputFor(path), request);
  ASSERT_TRUE(ours.ok()) << path << ": " << ours.status();
  EXPECT_EQ(ours->conversation_count(), theirs.size()) << path << " " << layer.title;
  EXPECT_EQ(ours->conversations_size(), static_cast<int>(theirs.size()))
      << path << " " << layer.title;
  const size_t n = std::min<size_t>(ours->conversations_size(), theirs.size());
  tally->conversation_rows += theirs.size();
  for (size_t i = 0; i < n; ++i) {
    const v1::Conversation& row = ours->conversations(static_cast<int>(i));
    const std::string differences = Differences(row, theirs[i]);
    EXPECT_EQ(differences, "") << path << " " << layer.title << " conversation " << i
                               << "\n ours:   " << Describe(row)
                               << "\n tshark: " << Describe(theirs[i]);
    if (differences.empty()) ++tally->conversation_rows_agreeing;
    if (!row.has_stream_index()) continue;
    const bool tcp = layer.layer == v1::CONVERSATION_LAYER_TCP;
    // The ID tshark gives the row's stream, and the streams tshark gives the row's ID: a wrong
    // ID or a wrong stream index fails one of the two.
    const auto& id_of_stream = tcp ? ids.tcp : ids.udp;
    if (const auto id = id_of_stream.find(row.stream_index()); id != id_of_stream.end()) {
      ++tally->community_ids;
      EXPECT_EQ(row.community_id(), id->second)
          << path << " " << layer.title << " stream " << row.stream_index();
      if (row.community_id() == id->second) ++tally->community_ids_agreeing;
    }
    const auto& streams_of_id = tcp ? ids.tcp_streams : ids.udp_streams;
    if (const auto streams = streams_of_id.find(row.community_id());
        streams != streams_of_id.end()) {
      ++tally->stream_indexes;
      const bool known = streams->second.count(row.stream_index()) > 0;
      EXPECT_TRUE(known) << path << " " << layer.title << " " << Describe(row) << ": stream "
                         << row.stream_index() << " is not one of tshark's for its Community ID";
      if (known) ++tally->stream_indexes_agreeing;
    }
  }
}

void CompareEndpoints(const std::string& path, const Layer& layer,
                      const std::vector<TsharkEndpoint>& theirs, Tally* tally) {
  v1::ListEndpointsRequest request;
  request.set_pcap_file(path);
  request.set_protocol(layer.layer);
  request.set_sort_by(v1::TABLE_ORDER_FRAMES);
  absl::StatusOr<v1::ListEndpointsResponse> ours = ListEndpoints(InputFor(path), request);
  ASSERT_TRUE(ours.ok()) << path << ": " << ours.status();
  EXPECT_EQ(ours->endpoint_count(), theirs.size()) << path << " " << layer.title;
  const size_t n = std::min<size_t>(ours->endpoints_size(), theirs.size());
  tally->endpoint_rows += theirs.size();
  for (size_t i = 0; i < n; ++i) {
    const v1::EndpointTraffic& row = ours->endpoints(static_cast<int>(i));
    const std::string differences = Differences(row, theirs[i]);
    EXPECT_EQ(differences, "") << path << " " << layer.title << " endpoint " << i
                               << "\n ours:   " << Describe(row)
                               << "\n tshark: " << Describe(theirs[i]);
    if (differences.empty()) ++tally->endpoint_rows_agreeing;
  }
}

void CompareCapture(const std::string& path, const TsharkTables& tables, Tally* tally) {
  SCOPED_TRACE(path);
  ASSERT_TRUE(tables.ok) << "unparsed tshark line: " << tables.bad_line;
  if (tables.conversations.empty()) {
    // tshark reads nothing of this file: we must refuse it too.
    v1::ListConversationsRequest request;
    request.set_pcap_file(path);
    EXPECT_FALSE(ListConversations(InputFor(path), request).ok());
    ++tally->refused;
    return;
  }
  ++tally->captures;
  const CommunityIds ids = TsharkCommunityIds(tables);
  const bool ethernet_only = HasUndecodedVlanTag(tables);
  tally->undecoded_vlan += ethernet_only;
  for (const Layer& layer : kLayers) {
    if (ethernet_only && layer.layer != v1::CONVERSATION_LAYER_ETH) continue;
    const auto conversations =
        tables.conversations.find(absl::StrCat(layer.title, " Conversations"));
    const auto endpoints = tables.endpoints.find(absl::StrCat(layer.title, " Endpoints"));
    ASSERT_NE(conversations, tables.conversations.end()) << layer.title;
    ASSERT_NE(endpoints, tables.endpoints.end()) << layer.title;
    CompareConversations(path, layer, conversations->second, ids, tally);
    CompareEndpoints(path, layer, endpoints->second, tally);
  }
}

// Compares every capture of `paths`, tshark running for a few of them at once (its start costs
// about a second).
void CompareCaptures(const std::vector<std::string>& paths, Tally* tally) {
  constexpr size_t kAtOnce = 3;
  for (size_t first = 0; first < paths.size(); first += kAtOnce) {
    std::vector<std::future<TsharkTables>> runs;
    for (size_t i = first; i < std::min(paths.size(), first + kAtOnce); ++i) {
      runs.push_back(std::async(std::launch::async, testing::RunTsharkTables, paths[i],
                                std::string(kFrameFields)));
    }
    for (size_t i = 0; i < runs.size(); ++i) CompareCapture(paths[first + i], runs[i].get(), tally);
  }
}

void Report(const std::string& name, const Tally& t) {
  std::cout << name << ": " << t.captures << " captures (" << t.refused << " refused by both, "
            << t.undecoded_vlan << " at the Ethernet layer only), conversation rows "
            << t.conversation_rows_agreeing << "/" << t.conversation_rows << ", endpoint rows "
            << t.endpoint_rows_agreeing << "/" << t.endpoint_rows << ", community ids "
            << t.community_ids_agreeing << "/" << t.community_ids << ", stream indexes "
            << t.stream_indexes_agreeing << "/" << t.stream_indexes << " agree with tshark\n";
}

class OurCapturesTest : public ::testing::TestWithParam<std::string> {};

TEST_P(OurCapturesTest, AgreeWithTshark) {
  if (!testing::HaveTshark()) GTEST_SKIP() << "tshark is not installed";
  Tally tally;
  CompareCaptures(testing::CapturesIn(GetParam()), &tally);
  Report(GetParam(), tally);
  EXPECT_GT(tally.captures + tally.refused, 0);
}

// "tests_analysis_dns_data" for tests/analysis/dns/data.
std::string FolderTestName(const ::testing::TestParamInfo<std::string>& param) {
  std::string name =
      fs::path(param.param).lexically_relative(fs::path(MCPCAP_EXAMPLES).parent_path()).string();
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Folders, OurCapturesTest, ::testing::ValuesIn(OurCaptureFolders()),
                         FolderTestName);

TEST(ConversationsAgreementTest, SharedCaptures) {
  if (!testing::HaveTshark()) GTEST_SKIP() << "tshark is not installed";
  std::vector<std::string> paths = testing::CapturesIn(MCPCAP_SHARED_CAPTURES);
  if (paths.empty()) GTEST_SKIP() << "no shared captures in " << MCPCAP_SHARED_CAPTURES;
  Tally tally;
  CompareCaptures(paths, &tally);
  Report("shared captures", tally);
  EXPECT_GT(tally.conversation_rows, 0u);
}

}  // namespace
}  // namespace mcpcap
