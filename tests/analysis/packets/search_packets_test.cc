// search_packets against tshark's frame contains / frame matches (frame numbers identical) on
// our captures and the shared ones, for strings, hex bytes and regular expressions; matches
// carry the offset of the first occurrence and a snippet around it; bad patterns are refused.
#include "backend/analysis/packets/search_packets.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "backend/analysis/packets/list_packets.h"
#include "backend/analysis/packets/search_pattern.h"
#include "tests/analysis/packets/list_search_test_util.h"
#include "tests/testing/tshark.h"

namespace mcpcap {
namespace {

using packets_test::InputFor;

struct Case {
  std::string pattern;
  v1::SearchKind kind;
  int case_insensitive;       // -1 unset, 0 no, 1 yes
  std::string tshark_filter;  // the display filter selecting the same frames
};

// Patterns over the kinds and their case rules, with tshark's equivalent.
std::vector<Case> Cases() {
  return {
      {"HTTP", v1::SEARCH_KIND_STRING, -1, "frame contains \"HTTP\""},
      {"get", v1::SEARCH_KIND_STRING, 1, "frame matches \"get\""},  // matches ignores case
      {"16 03 01", v1::SEARCH_KIND_HEX, -1, "frame contains 16:03:01"},
      {"0x63825363", v1::SEARCH_KIND_HEX, -1, "frame contains 63:82:53:63"},  // DHCP cookie
      {"HTTP/1\\.[01] [0-9]{3}", v1::SEARCH_KIND_REGEX, -1,
       "frame matches \"HTTP/1\\\\.[01] [0-9]{3}\""},
      {"content-type: [a-z]+/", v1::SEARCH_KIND_REGEX, -1,
       "frame matches \"content-type: [a-z]+/\""},
      {"(?-i)Content-Type", v1::SEARCH_KIND_REGEX, -1, "frame matches \"(?-i)Content-Type\""},
      {"\\x16\\x03[\\x00-\\x04]", v1::SEARCH_KIND_REGEX, -1,
       "frame matches \"\\\\x16\\\\x03[\\\\x00-\\\\x04]\""},
      {"select .* from", v1::SEARCH_KIND_REGEX, -1, "frame matches \"select .* from\""},
      {"^\\x45\\x00", v1::SEARCH_KIND_REGEX, -1, "frame matches \"^\\\\x45\\\\x00\""},
  };
}

std::vector<uint64_t> Search(const std::string& path, const Case& c) {
  v1::SearchPacketsRequest request;
  request.set_pattern(c.pattern);
  request.set_kind(c.kind);
  if (c.case_insensitive >= 0) request.set_case_insensitive(c.case_insensitive == 1);
  absl::StatusOr<v1::SearchPacketsResponse> r = SearchPackets(InputFor(path), request);
  std::vector<uint64_t> numbers;
  if (!r.ok()) return numbers;
  EXPECT_EQ(r->packets_matched(), static_cast<uint64_t>(r->matches_size()));
  for (const v1::SearchMatch& m : r->matches()) numbers.push_back(m.packet().packet_number());
  return numbers;
}

// The captures whose file name holds one of `names` (golden JSON folders aside).
std::vector<std::string> CapturesNamed(std::initializer_list<const char*> names) {
  std::vector<std::string> out;
  for (const std::string& path : packets_test::AllCaptures()) {
    const std::string base = std::filesystem::path(path).filename().string();
    for (const char* name : names) {
      if (base.find(name) != std::string::npos) {
        out.push_back(path);
        break;
      }
    }
  }
  return out;
}

// Searches every capture for every case, ours and tshark's (a tshark run each), and expects the
// same frame numbers; returns the searches where tshark found frames.
size_t CompareWithTshark(const std::vector<std::string>& captures, const std::vector<Case>& cases) {
  std::vector<std::string> commands;
  for (const std::string& path : captures) {
    for (const Case& c : cases) {
      // The filter goes to the shell in single quotes.
      commands.push_back(mcpcap::testing::TsharkFieldsCommand(
          path, "-e frame.number -Y '" + c.tshark_filter + "'"));
    }
  }
  const auto outputs = packets_test::RunAll(commands);
  size_t with_matches = 0;
  uint64_t frames_matched = 0;
  for (size_t p = 0; p < captures.size(); ++p) {
    for (size_t k = 0; k < cases.size(); ++k) {
      std::vector<uint64_t> theirs;
      for (const auto& row : outputs[p * cases.size() + k]) {
        uint64_t n = 0;
        if (!row.empty() && absl::SimpleAtoi(row[0], &n)) theirs.push_back(n);
      }
      EXPECT_EQ(Search(captures[p], cases[k]), theirs)
          << captures[p] << " pattern " << cases[k].pattern << " (" << cases[k].tshark_filter
          << ")";
      if (!theirs.empty()) ++with_matches;
      frames_matched += theirs.size();
    }
  }
  std::printf(
      "%zu captures x %zu patterns: %zu searches with matches, %llu frames, all as "
      "tshark's\n",
      captures.size(), cases.size(), with_matches, static_cast<unsigned long long>(frames_matched));
  return with_matches;
}

// Every pattern on captures with HTTP, TLS, SQL and DNS (ours, and shared HTTP over VLAN, TLS).
TEST(SearchPackets, SameFramesAsTsharkOnApplicationCaptures) {
  if (!mcpcap::testing::HaveTshark()) GTEST_SKIP() << "tshark not installed";
  const size_t found =
      CompareWithTshark(CapturesNamed({"http_loopback", "mixed_tls_http_dns", "mysql_session",
                                       "http-vlan-0", "zeek__tls1.2"}),
                        Cases());
  EXPECT_GE(found, 12u);
}

// Byte patterns (hex, anchored regex, case) on other links: SLL2, raw IP, pcapng interfaces,
// fragments, DHCP, ICMP errors.
TEST(SearchPackets, SameFramesAsTsharkOnOtherLinks) {
  if (!mcpcap::testing::HaveTshark()) GTEST_SKIP() << "tshark not installed";
  std::vector<Case> cases;
  for (const Case& c : Cases()) {
    if (c.pattern == "0x63825363" || c.pattern == "^\\x45\\x00" || c.pattern == "get") {
      cases.push_back(c);
    }
  }
  ASSERT_EQ(cases.size(), 3u);
  const size_t found =
      CompareWithTshark(CapturesNamed({"dora_release", "dnsmasq", "errors.pcap", "raw_ip",
                                       "linux_dlt_sll2", "many_interfaces", "fragmented-3"}),
                        cases);
  // Without the shared captures (raw IP, SLL2, pcapng interfaces) only our DHCP ones remain.
  EXPECT_GE(found, mcpcap::testing::HaveSharedCaptures() ? 3u : 1u);
}

// The offset is the first occurrence in the frame's bytes and the snippet holds it; matches
// carry the same stream index, protocol and addresses as list_packets' line of that frame.
TEST(SearchPackets, MatchesPointAtTheFirstOccurrence) {
  const std::string path = std::string(MCPCAP_EXAMPLES) + "/http_loopback.pcap";
  v1::SearchPacketsRequest request;
  request.set_pattern("HTTP/1.1");
  absl::StatusOr<v1::SearchPacketsResponse> r = SearchPackets(InputFor(path), request);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_GT(r->matches_size(), 0);
  absl::StatusOr<v1::ListPacketsResponse> lines =
      ListPackets(InputFor(path), v1::ListPacketsRequest());
  ASSERT_TRUE(lines.ok());
  for (const v1::SearchMatch& m : r->matches()) {
    const v1::PacketLine& line = lines->packets(static_cast<int>(m.packet().packet_number() - 1));
    EXPECT_EQ(m.stream_index(), line.stream_index());
    EXPECT_EQ(m.protocol(), line.protocol());
    EXPECT_EQ(m.source(), line.source());
    EXPECT_EQ(m.destination_port(), line.destination_port());
    EXPECT_NE(m.snippet().find("HTTP/1.1"), std::string::npos) << m.snippet();
    EXPECT_LE(m.snippet().size(), 4u * (32 + 8 + 32));
  }
  // tshark's frame 4 is "GET / HTTP/1.1": its TCP payload starts at byte 66 (loopback, with
  // timestamps), so HTTP/1.1 is at 66 + 6.
  EXPECT_EQ(r->matches(0).packet().packet_number(), 4u);
  EXPECT_EQ(r->matches(0).offset(), 72u);
}

TEST(SearchPattern, HexAcceptsTheUsualSpellings) {
  for (const char* text : {"16 03 01", "16:03:01", "160301", "16-03-01", "0x160301"}) {
    absl::StatusOr<std::string> bytes = ParseHexBytes(text);
    ASSERT_TRUE(bytes.ok()) << text;
    EXPECT_EQ(*bytes, std::string("\x16\x03\x01", 3)) << text;
  }
  EXPECT_FALSE(ParseHexBytes("16 0").ok());
  EXPECT_FALSE(ParseHexBytes("zz").ok());
  EXPECT_FALSE(ParseHexBytes("  ").ok());
}

TEST(SearchPattern, CaseFollowsTsharkUnlessAsked) {
  const std::string text = "xxGET / HTTP/1.1";
  const Bytes bytes(reinterpret_cast<const uint8_t*>(text.data()), text.size());
  auto find = [&](const std::string& p, v1::SearchKind k, std::optional<bool> ci) {
    absl::StatusOr<SearchPattern> pattern = SearchPattern::Compile(p, k, ci);
    EXPECT_TRUE(pattern.ok()) << pattern.status();
    const std::optional<SearchHit> hit = pattern->Find(bytes);
    return hit ? static_cast<int>(hit->offset) : -1;
  };
  EXPECT_EQ(find("get", v1::SEARCH_KIND_STRING, std::nullopt), -1);  // contains: exact
  EXPECT_EQ(find("get", v1::SEARCH_KIND_STRING, true), 2);
  EXPECT_EQ(find("get", v1::SEARCH_KIND_REGEX, std::nullopt), 2);  // matches: any case
  EXPECT_EQ(find("get", v1::SEARCH_KIND_REGEX, false), -1);
  EXPECT_EQ(find("http/1\\.1$", v1::SEARCH_KIND_REGEX, std::nullopt), 8);
}

TEST(SearchPattern, BadPatternsAreInvalidArguments) {
  for (const auto& [pattern, kind] : std::vector<std::pair<std::string, v1::SearchKind>>{
           {"", v1::SEARCH_KIND_STRING},
           {"(unclosed", v1::SEARCH_KIND_REGEX},
           {"(a)\\1", v1::SEARCH_KIND_REGEX},  // backreference: not RE2
           {"(?=x)", v1::SEARCH_KIND_REGEX},
           {"((a{100}){100}){100}", v1::SEARCH_KIND_REGEX},  // too large
           {std::string(2000, 'a'), v1::SEARCH_KIND_STRING},
           {"0g", v1::SEARCH_KIND_HEX},
       }) {
    absl::StatusOr<SearchPattern> p = SearchPattern::Compile(pattern, kind, std::nullopt);
    EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument) << pattern.substr(0, 40);
    EXPECT_FALSE(p.status().message().empty());
  }
  v1::SearchPacketsRequest request;
  request.set_pattern("(unclosed");
  request.set_kind(v1::SEARCH_KIND_REGEX);
  const std::string path = std::string(MCPCAP_EXAMPLES) + "/http_loopback.pcap";
  absl::StatusOr<v1::SearchPacketsResponse> r = SearchPackets(InputFor(path), request);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("missing )"), std::string::npos) << r.status();
}

}  // namespace
}  // namespace mcpcap
