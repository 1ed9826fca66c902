// Agreement with tshark on every capture we can find (MCPCAP_SHARED_CAPTURES and our own data):
// the frames that carry DHCP/BOOTP or DHCPv6, and each one's message type (option 53, or the
// DHCPv6 msg-type of the innermost relayed message).
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "backend/analysis/dhcp/dhcp.h"
#include "gtest/gtest.h"

namespace mcpcap {
namespace {

namespace fs = std::filesystem;

std::string Run(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  ::pclose(pipe);
  return out;
}

// frame -> message type (0 for BOOTP without option 53). DHCP quoted inside an ICMP error is a
// copy of a message sent before: the ICMP analysis reports it, not the DHCP one.
std::map<uint64_t, int> TsharkTypes(const std::string& path) {
  std::map<uint64_t, int> types;
  const std::string command =
      "tshark -n -r '" + path +
      "' -Y '(dhcp or dhcpv6) and not icmp and not icmpv6' -T fields -E occurrence=l "
      "-e frame.number -e dhcp.option.dhcp -e dhcpv6.msgtype 2>/dev/null";
  for (absl::string_view line : absl::StrSplit(Run(command), '\n', absl::SkipEmpty())) {
    std::vector<std::string> f = absl::StrSplit(line, '\t');
    if (f.size() < 3) continue;
    const std::string& t = !f[1].empty() ? f[1] : f[2];
    types[std::strtoull(f[0].c_str(), nullptr, 10)] = t.empty() ? 0 : std::atoi(t.c_str());
  }
  return types;
}

std::vector<std::string> Captures() {
  std::vector<std::string> files;
  for (const std::string& root :
       {std::string(MCPCAP_SHARED_CAPTURES), std::string(MCPCAP_DHCP_DATA)}) {
    std::error_code ec;
    if (!fs::is_directory(root, ec)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(root, ec)) {
      const std::string ext = entry.path().extension();
      if (entry.is_regular_file() && (ext == ".pcap" || ext == ".pcapng" || ext == ".cap")) {
        files.push_back(entry.path());
      }
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(DhcpAgreement, MessageTypesPerFrameMatchTshark) {
  if (std::system("tshark -v >/dev/null 2>&1") != 0) GTEST_SKIP() << "tshark is not installed";
  if (!fs::is_directory(MCPCAP_SHARED_CAPTURES)) {
    GTEST_SKIP() << "no shared captures at " << MCPCAP_SHARED_CAPTURES;
  }
  uint64_t frames = 0, agree = 0, files_with_dhcp = 0;
  for (const std::string& path : Captures()) {
    AnalysisInput input;
    input.source = input.local_path = path;
    input.listings.max = kMaxResultsCap;
    absl::StatusOr<v1::AnalyzeDhcpPacketsResponse> r =
        AnalyzeDhcpPackets(input, v1::AnalyzeDhcpPacketsRequest());
    const std::map<uint64_t, int> want = TsharkTypes(path);
    if (!r.ok()) {
      EXPECT_TRUE(want.empty()) << path << ": " << r.status();
      continue;
    }
    if (r->packets_size() >= static_cast<int>(kMaxResultsCap)) continue;
    std::map<uint64_t, int> ours;
    for (const v1::DhcpPacket& p : r->packets()) {
      ours[p.packet_number()] = static_cast<int>(p.message_type_code());
    }
    if (!want.empty() || !ours.empty()) ++files_with_dhcp;
    for (const auto& [frame, type] : want) {
      ++frames;
      auto it = ours.find(frame);
      ASSERT_NE(it, ours.end()) << path << " frame " << frame << ": tshark sees DHCP type " << type;
      EXPECT_EQ(it->second, type) << path << " frame " << frame;
      if (it->second == type) ++agree;
    }
    for (const auto& [frame, type] : ours) {
      EXPECT_TRUE(want.count(frame))
          << path << " frame " << frame << ": we see DHCP type " << type << ", tshark does not";
    }
  }
  std::printf("dhcp agreement: %llu files with DHCP, message types %llu/%llu frames\n",
              static_cast<unsigned long long>(files_with_dhcp),
              static_cast<unsigned long long>(agree), static_cast<unsigned long long>(frames));
}

}  // namespace
}  // namespace mcpcap
