// Agreement with tshark on every capture we can find (MCPCAP_SHARED_CAPTURES and our own data):
// per frame the ICMP/ICMPv6 type and code, and the echo request -> reply pairs (icmp.resp_in).
// tshark also dissects the ICMP inside quoted packets, so only the first occurrence is taken;
// two passes (-2) so that requests know their reply (icmp.resp_in).
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "backend/analysis/icmp/icmp.h"
#include "gtest/gtest.h"

namespace mcpcap {
namespace {

namespace fs = std::filesystem;

struct FrameFacts {
  int type = -1;
  int code = -1;
  uint64_t resp_in = 0;
};

bool HaveTshark() { return std::system("tshark -v >/dev/null 2>&1") == 0; }

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

std::map<uint64_t, FrameFacts> TsharkFacts(const std::string& path) {
  const std::string command =
      "tshark -2 -n -r '" + path +
      "' -Y 'icmp or icmpv6' -T fields -E occurrence=f -e frame.number -e icmp.type "
      "-e icmp.code -e icmpv6.type -e icmpv6.code -e icmp.resp_in -e icmpv6.resp_in 2>/dev/null";
  std::map<uint64_t, FrameFacts> facts;
  for (absl::string_view line : absl::StrSplit(Run(command), '\n', absl::SkipEmpty())) {
    std::vector<std::string> f = absl::StrSplit(line, '\t');
    if (f.size() < 7) continue;
    FrameFacts ff;
    // An IPv6 packet quoted in an ICMPv4 error (or the reverse) fills both; the outer family is
    // the one whose type is set first in the frame, which for us is the IP version of the frame.
    if (!f[1].empty()) {
      ff.type = std::atoi(f[1].c_str());
      ff.code = std::atoi(f[2].c_str());
    } else if (!f[3].empty()) {
      ff.type = std::atoi(f[3].c_str());
      ff.code = std::atoi(f[4].c_str());
    }
    const std::string& resp = !f[5].empty() ? f[5] : f[6];
    if (!resp.empty()) ff.resp_in = std::strtoull(resp.c_str(), nullptr, 10);
    facts[std::strtoull(f[0].c_str(), nullptr, 10)] = ff;
  }
  return facts;
}

std::vector<std::string> Captures() {
  std::vector<std::string> files;
  for (const std::string& root :
       {std::string(MCPCAP_SHARED_CAPTURES), std::string(MCPCAP_ICMP_DATA)}) {
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

TEST(IcmpAgreement, TypesCodesAndEchoPairsMatchTshark) {
  if (!HaveTshark()) GTEST_SKIP() << "tshark is not installed";
  if (!fs::is_directory(MCPCAP_SHARED_CAPTURES)) {
    GTEST_SKIP() << "no shared captures at " << MCPCAP_SHARED_CAPTURES;
  }
  uint64_t frames = 0, type_agree = 0, pairs = 0, pair_agree = 0, files_with_icmp = 0;
  for (const std::string& path : Captures()) {
    AnalysisInput input;
    input.source = input.local_path = path;
    input.listings.max = kMaxResultsCap;
    absl::StatusOr<v1::AnalyzeIcmpPacketsResponse> r =
        AnalyzeIcmpPackets(input, v1::AnalyzeIcmpPacketsRequest());
    const std::map<uint64_t, FrameFacts> want = TsharkFacts(path);
    if (!r.ok()) {
      // A file we reject (not a capture) must not hold ICMP that tshark reads.
      EXPECT_TRUE(want.empty()) << path << ": " << r.status();
      continue;
    }
    if (r->packets_size() >= static_cast<int>(kMaxResultsCap)) continue;  // listing cut
    std::map<uint64_t, const v1::IcmpPacket*> ours;
    for (const v1::IcmpPacket& p : r->packets()) ours[p.packet_number()] = &p;
    if (!want.empty() || !ours.empty()) ++files_with_icmp;
    for (const auto& [frame, facts] : want) {
      ++frames;
      auto it = ours.find(frame);
      // tshark lists frames whose ICMP header it could not read (malformed) with no type.
      if (facts.type < 0 && it == ours.end()) {
        ++type_agree;
        continue;
      }
      ASSERT_NE(it, ours.end()) << path << " frame " << frame << ": tshark sees ICMP type "
                                << facts.type;
      EXPECT_EQ(static_cast<int>(it->second->icmp_type()), facts.type) << path << " " << frame;
      EXPECT_EQ(static_cast<int>(it->second->icmp_code()), facts.code) << path << " " << frame;
      if (static_cast<int>(it->second->icmp_type()) == facts.type &&
          static_cast<int>(it->second->icmp_code()) == facts.code) {
        ++type_agree;
      }
      if (facts.resp_in != 0) {
        ++pairs;
        EXPECT_EQ(it->second->response_in().packet_number(), facts.resp_in)
            << path << " frame " << frame;
        if (it->second->response_in().packet_number() == facts.resp_in) ++pair_agree;
      }
    }
    for (const auto& [frame, p] : ours) {
      EXPECT_TRUE(want.count(frame)) << path << " frame " << frame << ": we see ICMP type "
                                     << p->icmp_type() << ", tshark does not";
      if (p->has_response_in()) {
        auto w = want.find(frame);
        EXPECT_TRUE(w != want.end() && w->second.resp_in == p->response_in().packet_number())
            << path << " frame " << frame << ": we pair with " << p->response_in().packet_number();
      }
    }
  }
  std::printf(
      "icmp agreement: %llu files with ICMP, types/codes %llu/%llu frames, echo pairs "
      "%llu/%llu\n",
      static_cast<unsigned long long>(files_with_icmp), static_cast<unsigned long long>(type_agree),
      static_cast<unsigned long long>(frames), static_cast<unsigned long long>(pair_agree),
      static_cast<unsigned long long>(pairs));
}

}  // namespace
}  // namespace mcpcap
