// get_protocol_hierarchy against tshark -z io,phs on every capture we have: the link, network,
// transport and tunnel nodes exactly (frames, bytes and pre-order position), the application
// nodes below a transport counted per class, exactly for the protocols we claim.
#include <cstdint>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "backend/analysis/traffic/protocol_hierarchy.h"
#include "gtest/gtest.h"
#include "tests/analysis/traffic/traffic_test_util.h"

namespace mcpcap {
namespace {

struct Node {
  std::string path;
  uint64_t frames = 0;
  uint64_t bytes = 0;
};

// tshark's io,phs text: two spaces of indentation per level, "name frames:N bytes:M".
std::vector<Node> ParsePhs(const std::vector<std::string>& lines) {
  std::vector<Node> nodes;
  std::vector<std::string> path;
  bool in_tree = false;
  for (const std::string& line : lines) {
    if (absl::StartsWith(line, "Filter:")) {
      in_tree = true;
      continue;
    }
    if (!in_tree || line.empty()) continue;
    if (absl::StartsWith(line, "====")) break;
    const size_t indent = line.find_first_not_of(' ');
    const std::vector<std::string> words =
        absl::StrSplit(line.substr(indent), ' ', absl::SkipEmpty());
    if (words.size() != 3) continue;
    Node node;
    if (!absl::SimpleAtoi(absl::StripPrefix(words[1], "frames:"), &node.frames) ||
        !absl::SimpleAtoi(absl::StripPrefix(words[2], "bytes:"), &node.bytes)) {
      continue;
    }
    path.resize(indent / 2);
    path.push_back(words[0]);
    node.path = absl::StrJoin(path, ":");
    nodes.push_back(node);
  }
  return nodes;
}

bool Structural(absl::string_view name) {
  static const std::set<absl::string_view> kNames = {
      "eth", "vlan",   "ieee8021ad", "sll",    "null",   "raw",  "nflog",  "ppp",
      "llc", "ip",     "ipv6",       "tcp",    "udp",    "icmp", "icmpv6", "arp",
      "gre", "erspan", "vxlan",      "geneve", "teredo", "gtp",  "wccp"};
  return kNames.count(name) > 0;
}

// "all": every name structural; "app": all but the last, the last below tcp or udp.
enum class Kind { kStructural, kApplication, kOther };

Kind Classify(absl::string_view path) {
  const std::vector<absl::string_view> names = absl::StrSplit(path, ':');
  for (size_t i = 0; i + 1 < names.size(); ++i) {
    if (!Structural(names[i])) return Kind::kOther;
  }
  if (Structural(names.back())) return Kind::kStructural;
  const absl::string_view parent = names.size() >= 2 ? names[names.size() - 2] : "";
  return parent == "tcp" || parent == "udp" ? Kind::kApplication : Kind::kOther;
}

const std::set<std::string>& Claimed() {
  // dhcp is left out: tshark counts a malformed BOOTP frame under "_ws.malformed" instead.
  static const std::set<std::string> kClaimed = {"dns", "mdns", "llmnr", "dhcpv6",
                                                 "ntp", "nbns", "stp"};
  return kClaimed;
}

std::string LastName(const std::string& path) {
  const size_t colon = path.rfind(':');
  return colon == std::string::npos ? path : path.substr(colon + 1);
}

TEST(ProtocolHierarchyAgreement, IoPhsPerCapture) {
  if (!testing::HaveTshark()) GTEST_SKIP() << "tshark is not installed";
  if (!traffic_test::HaveSharedCaptures()) {
    std::cerr << "no shared captures at " << MCPCAP_SHARED_CAPTURES << ": ours only\n";
  }
  const std::vector<std::string> captures = traffic_test::AllCaptures();
  std::vector<std::string> commands;
  for (const std::string& path : captures) {
    commands.push_back("tshark -n -q -r '" + path + "' -z io,phs 2>/dev/null");
  }
  const auto outputs = traffic_test::RunAllLines(commands);
  uint64_t compared = 0, structural = 0, structural_agree = 0, apps = 0, apps_agree = 0;
  std::map<std::string, uint64_t> app_differences;  // class -> nodes
  for (size_t c = 0; c < captures.size(); ++c) {
    const std::vector<Node> theirs = ParsePhs(outputs[c]);
    if (theirs.empty()) continue;  // tshark cannot read it
    v1::GetProtocolHierarchyRequest request;
    auto result = GetProtocolHierarchy(traffic_test::WholeInput(captures[c]), request);
    ASSERT_TRUE(result.ok()) << captures[c] << ": " << result.status();
    ++compared;
    std::map<std::string, Node> ours;
    std::vector<std::string> our_order, their_order;
    uint64_t root_frames = 0;
    for (const v1::ProtocolNode& n : result->protocols()) {
      ours[n.path()] = Node{n.path(), n.frames(), n.bytes()};
      if (n.depth() == 0) root_frames += n.frames();
      if (Classify(n.path()) == Kind::kStructural) our_order.push_back(n.path());
      EXPECT_EQ(n.protocol(), LastName(n.path()));
    }
    EXPECT_EQ(root_frames, result->total_frames()) << captures[c];
    std::map<std::string, Node> their_map;
    for (const Node& t : theirs) their_map[t.path] = t;
    for (const Node& t : theirs) {
      const Kind kind = Classify(t.path);
      const auto mine = ours.find(t.path);
      const bool agree =
          mine != ours.end() && mine->second.frames == t.frames && mine->second.bytes == t.bytes;
      if (kind == Kind::kStructural) {
        their_order.push_back(t.path);
        ++structural;
        structural_agree += agree;
        EXPECT_TRUE(agree) << captures[c] << " " << t.path << ": tshark " << t.frames << "/"
                           << t.bytes << ", ours "
                           << (mine == ours.end() ? std::string("none")
                                                  : std::to_string(mine->second.frames) + "/" +
                                                        std::to_string(mine->second.bytes));
      } else if (kind == Kind::kApplication) {
        ++apps;
        apps_agree += agree;
        if (!agree) {
          ++app_differences[LastName(t.path)];
          EXPECT_FALSE(Claimed().count(LastName(t.path)))
              << captures[c] << " " << t.path << ": tshark " << t.frames << "/" << t.bytes
              << ", ours "
              << (mine == ours.end() ? std::string("none")
                                     : std::to_string(mine->second.frames) + "/" +
                                           std::to_string(mine->second.bytes));
        }
      }
    }
    // Our application nodes tshark does not have.
    for (const auto& [path, node] : ours) {
      if (Classify(path) != Kind::kApplication || their_map.count(path)) continue;
      ++app_differences[LastName(path) + " (ours only)"];
      EXPECT_FALSE(Claimed().count(LastName(path))) << captures[c] << " " << path << " ours only";
    }
    EXPECT_EQ(our_order, their_order) << captures[c] << ": structural nodes in pre-order";
  }
  std::cerr << compared << " captures: structural nodes " << structural_agree << "/" << structural
            << " equal, application nodes " << apps_agree << "/" << apps << " equal\n";
  for (const auto& [name, count] : app_differences) {
    std::cerr << "  application nodes differing: " << name << ": " << count << "\n";
  }
  EXPECT_GT(compared, 0u);
}

}  // namespace
}  // namespace mcpcap
