// Runs tshark over every capture we can find (../shared/captures and our own data/) and checks
// that, frame by frame, we find the same DNS messages: query or response, id, question names and
// types, and rcode. Differences we make on purpose are named below and excluded explicitly.
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "backend/analysis/dns/dns.h"
#include "gtest/gtest.h"

namespace mcpcap {
namespace {

namespace fs = std::filesystem;

struct FrameFacts {
  std::string response, id, names, types, rcodes;
  bool operator==(const FrameFacts& o) const {
    return response == o.response && id == o.id && names == o.names && types == o.types &&
           rcodes == o.rcodes;
  }
};

std::string Show(const FrameFacts& f) {
  return absl::StrCat("response=", f.response, " id=", f.id, " names=", f.names, " types=", f.types,
                      " rcodes=", f.rcodes);
}

bool HaveTshark() { return std::system("tshark -v >/dev/null 2>&1") == 0; }

// tshark's view: frame -> facts, with several messages of one frame joined by commas.
bool RunTshark(const std::string& path, std::map<uint64_t, FrameFacts>* out) {
  // mDNS and LLMNR are separate protocols in Wireshark's filter language; we report them too.
  // DNS quoted inside an ICMP error is a copy of a message sent before, not a message of its
  // own: it belongs to the ICMP analysis, and tshark's -Y dns would list it.
  const std::string command = absl::StrCat(
      "tshark -n -r '", path,
      "' -Y '(dns or mdns or llmnr) and not icmp and not icmpv6' -T fields -e frame.number "
      "-e dns.flags.response -e dns.id -e dns.qry.name -e dns.qry.type -e dns.flags.rcode "
      "-E separator=/t -E occurrence=a 2>/dev/null");
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return false;
  std::string output;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) output.append(buf, n);
  const int status = ::pclose(pipe);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return false;
  for (absl::string_view line : absl::StrSplit(output, '\n', absl::SkipEmpty())) {
    std::vector<std::string> f = absl::StrSplit(line, '\t');
    f.resize(6);
    FrameFacts facts{f[1], f[2], f[3], f[4], f[5]};
    (*out)[std::stoull(f[0])] = facts;
  }
  return true;
}

std::vector<std::string> Captures() {
  std::vector<std::string> files;
  for (const std::string& root :
       {std::string(MCPCAP_SHARED_CAPTURES), std::string(MCPCAP_DNS_TEST_DATA)}) {
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

TEST(DnsAgreement, MatchesTsharkFrameByFrame) {
  if (!HaveTshark()) GTEST_SKIP() << "tshark is not installed";
  const std::vector<std::string> files = Captures();
  if (files.empty()) GTEST_SKIP() << "no captures under " << MCPCAP_SHARED_CAPTURES;
  size_t compared = 0, mismatches = 0, excluded = 0;
  for (const std::string& path : files) {
    AnalysisInput input;
    input.source = input.local_path = path;
    input.listings.max = kMaxResultsCap;
    auto ours = AnalyzeDnsPackets(input, v1::AnalyzeDnsPacketsRequest());
    std::map<uint64_t, FrameFacts> theirs;
    const bool tshark_ok = RunTshark(path, &theirs);
    if (!ours.ok() || !tshark_ok) {
      // Unreadable captures: both must refuse (tshark exits non-zero on a bad file header).
      EXPECT_EQ(ours.ok(), tshark_ok) << path << ": " << ours.status();
      continue;
    }
    ASSERT_LT(ours->packets_size(), static_cast<int>(kMaxResultsCap)) << path;
    std::map<uint64_t, FrameFacts> mine;
    std::map<uint64_t, bool> odd_port, malformed;
    for (const v1::DnsPacket& p : ours->packets()) {
      FrameFacts& f = mine[p.packet_number()];
      auto add = [](std::string* s, const std::string& v) {
        if (!s->empty()) *s += ",";
        *s += v;
      };
      add(&f.response, p.flags().is_response() ? "1" : "0");
      add(&f.id, absl::StrFormat("0x%04x", p.dns_id()));
      // An UPDATE's zone is where tshark reads question names from (same wire section).
      for (const auto* section : {&p.questions(), &p.zone()}) {
        for (const auto& q : *section) {
          add(&f.names, q.name());
          add(&f.types, absl::StrCat(q.type()));
        }
      }
      // tshark shows the rcode of responses only, and only the header's 4 bits.
      if (p.flags().is_response()) add(&f.rcodes, absl::StrCat(p.rcode() & 0x0f));
      odd_port[p.packet_number()] |= p.non_standard_port();
      malformed[p.packet_number()] |= p.anomalies_size() > 0;
    }
    std::map<uint64_t, bool> frames;
    for (const auto& [k, v] : mine) frames[k] = true;
    for (const auto& [k, v] : theirs) frames[k] = true;
    for (const auto& [frame, unused] : frames) {
      const auto m = mine.find(frame);
      const auto t = theirs.find(frame);
      // Exclusion 1: DNS we find by content on an unassigned port; tshark only decodes it on
      // ports it was told about (it does for some, e.g. its DNS port range, then we compare).
      if (t == theirs.end() && odd_port[frame]) {
        ++excluded;
        continue;
      }
      // Exclusion 2: malformed messages. tshark stops or renders differently (its "<Unknown
      // extended label>", partial fields); the malformation is what we report.
      if (m != mine.end() && malformed[frame]) {
        ++excluded;
        continue;
      }
      ++compared;
      if (m == mine.end() || t == theirs.end() || !(m->second == t->second)) {
        ++mismatches;
        ADD_FAILURE() << path << " frame " << frame
                      << "\n  ours:   " << (m == mine.end() ? "(none)" : Show(m->second))
                      << "\n  tshark: " << (t == theirs.end() ? "(none)" : Show(t->second));
      }
    }
  }
  std::printf("dns agreement: %zu captures, %zu frames compared, %zu mismatches, %zu excluded\n",
              files.size(), compared, mismatches, excluded);
  EXPECT_GT(compared, 0u);
}

}  // namespace
}  // namespace mcpcap
