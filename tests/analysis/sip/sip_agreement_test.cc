// Per-frame agreement with tshark: for every capture, the SIP methods and status codes tshark
// reports in each frame equal ours (a frame with several messages lists them all).
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tests/analysis/sip/sip_test_util.h"

namespace mcpcap {
namespace {

using FrameMap = std::map<uint64_t, std::multiset<std::string>>;

bool HaveTshark() { return std::system("tshark -v >/dev/null 2>&1") == 0; }

FrameMap RunTshark(const std::string& path) {
  FrameMap out;
  const std::string cmd = "tshark -n -r '" + path +
                          "' -Y sip -T fields -e frame.number -e sip.Method -e sip.Status-Code "
                          "-E occurrence=a -E separator=/t 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return out;
  char line[65536];
  while (fgets(line, sizeof(line), p) != nullptr) {
    std::vector<std::string> cols = absl::StrSplit(std::string(line), '\t');
    if (cols.size() < 3) continue;
    const uint64_t frame = std::stoull(cols[0]);
    auto& set = out[frame];
    for (int c : {1, 2}) {
      std::string v = cols[c];
      while (!v.empty() && (v.back() == '\n' || v.back() == '\r')) v.pop_back();
      for (const auto& item : absl::StrSplit(v, ',', absl::SkipEmpty())) set.emplace(item);
    }
  }
  pclose(p);
  return out;
}

FrameMap RunOurs(const std::string& path) {
  FrameMap out;
  const auto r = testing::AnalyzeSip(path, 10000);
  for (const auto& pkt : r.packets()) {
    out[pkt.packet_number()].emplace(pkt.method().empty() ? std::to_string(pkt.status_code())
                                                          : pkt.method());
  }
  return out;
}

std::string Describe(const FrameMap& m, uint64_t frame) {
  auto it = m.find(frame);
  return it == m.end() ? "-" : absl::StrJoin(it->second, ",");
}

std::vector<std::string> Captures() {
  std::vector<std::string> files;
  for (const std::string& dir : {std::string(MCPCAP_SIP_DATA), std::string(MCPCAP_SHARED_CAPTURES),
                                 std::string(MCPCAP_REFERENCE) + "/mcpcap-inputs"}) {
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
      const std::string name = e.path().string();
      if (name.find(".pcap") != std::string::npos || name.find(".cap") != std::string::npos) {
        files.push_back(name);
      }
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(SipTsharkAgreement, MethodsAndStatusCodesPerFrame) {
  if (!HaveTshark()) GTEST_SKIP() << "tshark is not installed";
  if (!std::filesystem::exists(MCPCAP_SHARED_CAPTURES)) {
    std::cerr << "no shared captures at " << MCPCAP_SHARED_CAPTURES << ": ours only\n";
  }
  uint64_t frames = 0, messages = 0, captures = 0;
  for (const std::string& path : Captures()) {
    // Captures our reader refuses (deliberately broken ones) are not SIP agreement material.
    AnalysisInput input;
    input.source = input.local_path = path;
    if (!AnalyzeSipPackets(input, v1::AnalyzeSipPacketsRequest()).ok()) continue;
    const FrameMap theirs = RunTshark(path), ours = RunOurs(path);
    ++captures;
    std::set<uint64_t> all;
    for (const auto& [f, _] : theirs) all.insert(f);
    for (const auto& [f, _] : ours) all.insert(f);
    for (uint64_t f : all) {
      const std::string t = Describe(theirs, f), o = Describe(ours, f);
      EXPECT_EQ(o, t) << path << " frame " << f;
      if (o == t) {
        ++frames;
        messages += ours.count(f) ? ours.at(f).size() : 0;
      }
    }
  }
  std::cerr << "tshark agreement: " << captures << " captures, " << frames << " SIP frames, "
            << messages << " messages equal\n";
}

}  // namespace
}  // namespace mcpcap
