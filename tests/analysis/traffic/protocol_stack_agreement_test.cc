// Per-frame agreement of DescribeProtocols with tshark's frame.protocols on every capture we
// have: the link, network, transport and tunnel part exactly; the application protocol named
// after it counted per class (tshark's name vs ours), exactly for the protocols we claim.
#include <cstdint>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "backend/analysis/common/frame_scan.h"
#include "backend/analysis/common/protocol_stack.h"
#include "gtest/gtest.h"
#include "tests/analysis/traffic/traffic_test_util.h"

namespace mcpcap {
namespace {

// Names of the link, network, transport and tunnel layers: the part compared exactly.
bool Structural(absl::string_view name) {
  static const std::set<absl::string_view> kNames = {
      "eth", "ethertype", "vlan",   "ieee8021ad", "sll",    "null",   "raw",  "nflog",
      "ppp", "llc",       "ip",     "ipv6",       "tcp",    "udp",    "icmp", "icmpv6",
      "arp", "gre",       "erspan", "vxlan",      "geneve", "teredo", "gtp",  "wccp"};
  return kNames.count(name) > 0 || absl::StartsWith(name, "ipv6.");
}

struct Split {
  std::string lower;  // the structural prefix
  std::string app;    // the name after it ("" when none)
};

Split SplitStack(absl::string_view joined) {
  std::vector<std::string> names = absl::StrSplit(joined, ':', absl::SkipEmpty());
  Split split;
  size_t i = 0;
  while (i < names.size() && Structural(names[i])) ++i;
  split.lower = absl::StrJoin(names.begin(), names.begin() + static_cast<std::ptrdiff_t>(i), ":");
  if (i < names.size()) split.app = names[i];
  return split;
}

// Application protocols we claim to name as tshark does, frame by frame.
const std::set<std::string>& Claimed() {
  static const std::set<std::string> kClaimed = {"dns",    "mdns", "llmnr", "dhcp",
                                                 "dhcpv6", "ntp",  "nbns",  "stp"};
  return kClaimed;
}

struct Ours {
  std::vector<std::string> stacks;
  std::vector<std::string> columns;
};

Ours DescribeAll(const std::string& path) {
  Ours ours;
  const AnalysisInput input = traffic_test::WholeInput(path);
  auto scan = FrameScan::Open(input);
  if (!scan.ok()) return ours;
  ProtocolContext context;
  const absl::Status status = (*scan)->Run([&](const Frame& frame) {
    const ProtocolStack stack = DescribeProtocols(frame, &context);
    ours.stacks.push_back(stack.Joined());
    ours.columns.push_back(ProtocolColumn(frame, stack));
    return true;
  });
  EXPECT_TRUE(status.ok()) << path << ": " << status;
  return ours;
}

TEST(ProtocolStackAgreement, FrameProtocolsPerFrame) {
  if (!testing::HaveTshark()) GTEST_SKIP() << "tshark is not installed";
  if (!traffic_test::HaveSharedCaptures()) {
    std::cerr << "no shared captures at " << MCPCAP_SHARED_CAPTURES << ": ours only\n";
  }
  uint64_t captures = 0, frames = 0, lower_agree = 0, app_agree = 0, column_agree = 0;
  std::map<std::pair<std::string, std::string>, uint64_t> app_classes;  // (tshark, ours)
  std::map<std::pair<std::string, std::string>, uint64_t> column_classes;
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> app_examples;
  const std::vector<std::string> paths = traffic_test::AllCaptures();
  std::vector<std::string> commands;
  for (const std::string& path : paths) {
    commands.push_back(testing::TsharkFieldsCommand(
        path, "-e frame.number -e frame.protocols -e _ws.col.Protocol"));
  }
  const auto outputs = traffic_test::RunAllLines(commands);
  for (size_t c = 0; c < paths.size(); ++c) {
    const std::string& path = paths[c];
    std::vector<std::vector<std::string>> rows;
    for (const std::string& line : outputs[c]) rows.push_back(absl::StrSplit(line, '\t'));
    if (rows.empty()) continue;  // unreadable for tshark
    const Ours ours = DescribeAll(path);
    ++captures;
    ASSERT_EQ(ours.stacks.size(), rows.size()) << path;
    for (size_t i = 0; i < rows.size(); ++i) {
      if (rows[i].size() < 3) continue;
      ++frames;
      const Split theirs = SplitStack(rows[i][1]);
      const Split mine = SplitStack(ours.stacks[i]);
      EXPECT_EQ(mine.lower, theirs.lower) << path << " frame " << rows[i][0] << ": tshark "
                                          << rows[i][1] << ", ours " << ours.stacks[i];
      if (mine.lower == theirs.lower) ++lower_agree;
      if (mine.app == theirs.app) {
        ++app_agree;
      } else {
        ++app_classes[{theirs.app, mine.app}];
        std::vector<std::string>& examples = app_examples[{theirs.app, mine.app}];
        if (examples.size() < 3) {
          examples.push_back(std::filesystem::path(path).filename().string() + "#" + rows[i][0]);
        }
        EXPECT_FALSE(Claimed().count(theirs.app) || Claimed().count(mine.app))
            << path << " frame " << rows[i][0] << ": tshark " << rows[i][1] << ", ours "
            << ours.stacks[i];
      }
      if (ours.columns[i] == rows[i][2]) {
        ++column_agree;
      } else {
        ++column_classes[{rows[i][2], ours.columns[i]}];
      }
    }
  }
  std::cerr << captures << " captures, " << frames << " frames: link/network/transport agree on "
            << lower_agree << ", application name on " << app_agree << ", Protocol column on "
            << column_agree << "\n";
  for (const auto& [names, count] : app_classes) {
    std::cerr << "  application: tshark '" << names.first << "' ours '" << names.second
              << "': " << count << " frames, e.g. " << absl::StrJoin(app_examples[names], " ")
              << "\n";
  }
  for (const auto& [names, count] : column_classes) {
    std::cerr << "  column: tshark '" << names.first << "' ours '" << names.second << "': " << count
              << " frames\n";
  }
  EXPECT_GT(captures, 0u);
}

}  // namespace
}  // namespace mcpcap
