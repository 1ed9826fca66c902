// Agreement with tshark (Wireshark 4.0, default preferences, single pass) on every TCP capture
// we have: ours in data/ and the public ones in MCPCAP_SHARED_CAPTURES. For each tcp.analysis
// kind, the set of flagged frames must be equal, and our connection count must equal tshark's
// TCP conversations. Deliberate differences are listed in kKnownDifferences with the reason.
//
// Sweep mode, for checking a larger set of captures by hand: MCPCAP_TCP_SWEEP_DIR=/dir runs the
// same comparison over every capture in that folder (recursively) and only reports (one line per
// capture and kind that differs, then totals); MCPCAP_TSHARK_CACHE=/dir keeps tshark's answers
// between runs.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tests/analysis/tcp/tcp_test_util.h"

namespace mcpcap {
namespace {

bool HaveTshark() { return std::system("tshark -v >/dev/null 2>&1") == 0; }

struct TsharkView {
  std::map<uint64_t, uint32_t> events;
  uint64_t conversations = 0;
};

std::string Quote(const std::string& s) { return "'" + s + "'"; }

const char* Env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : nullptr;
}

// One tshark run: the tcp.analysis fields of every TCP frame, then the conversation table.
TsharkView RunTshark(const std::string& path) {
  TsharkView out;
  std::string cmd = "tshark -n -r " + Quote(path) +
                    " -Y tcp -T fields -E separator=/t -E aggregator=';' -z conv,tcp"
                    " -e frame.number";
  for (int i = 0; i < kTcpEventKinds; ++i) {
    absl::StrAppend(&cmd, " -e tcp.analysis.", std::string(TcpEventName(i)));
  }
  cmd += " 2>/dev/null";
  if (const char* cache = Env("MCPCAP_TSHARK_CACHE")) {
    const std::string cached = absl::StrCat(cache, "/", std::hash<std::string>{}(path), ".tsv");
    if (!std::filesystem::exists(cached)) {
      std::system((cmd + " > " + Quote(cached + ".tmp") + " && mv " + Quote(cached + ".tmp") + " " +
                   Quote(cached))
                      .c_str());
    }
    cmd = "cat " + Quote(cached);
  }
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return out;
  char line[8192];
  while (fgets(line, sizeof(line), p) != nullptr) {
    std::string l(line);
    if (l.find("<->") != std::string::npos) {
      ++out.conversations;
      continue;
    }
    while (!l.empty() && (l.back() == '\n' || l.back() == '\r')) l.pop_back();
    std::vector<std::string> cols = absl::StrSplit(l, '\t');
    if (cols.size() < 1 + static_cast<size_t>(kTcpEventKinds) || cols[0].empty() ||
        !isdigit(static_cast<unsigned char>(cols[0][0]))) {
      continue;
    }
    uint32_t bits = 0;
    for (int i = 0; i < kTcpEventKinds; ++i) {
      if (!cols[1 + static_cast<size_t>(i)].empty()) bits |= 1u << i;
    }
    if (bits != 0) out.events[std::stoull(cols[0])] = bits;
  }
  pclose(p);
  return out;
}

// tshark also shows tcp.analysis.retransmission on every fast and spurious retransmission; our
// kinds are exclusive (one retransmitted segment counts once), so compare on tshark's terms.
uint32_t AsTshark(uint32_t bits) {
  if (bits & (kEvFastRetransmission | kEvSpuriousRetransmission)) bits |= kEvRetransmission;
  return bits;
}

// (capture file name, kind) -> why we differ on purpose.
const std::map<std::pair<std::string, std::string>, std::string>& KnownDifferences() {
  static const auto* m = new std::map<std::pair<std::string, std::string>, std::string>{};
  return *m;
}

std::vector<std::string> Captures() {
  std::vector<std::string> out;
  if (const char* sweep = Env("MCPCAP_TCP_SWEEP_DIR")) {
    for (const auto& e : std::filesystem::recursive_directory_iterator(sweep)) {
      if (e.is_regular_file()) out.push_back(e.path().string());
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  for (const auto& e : std::filesystem::directory_iterator(MCPCAP_TCP_DATA)) {
    if (e.path().extension() == ".pcap") out.push_back(e.path().string());
  }
  const std::filesystem::path shared(MCPCAP_SHARED_CAPTURES);
  if (std::filesystem::is_directory(shared)) {
    for (const auto& e : std::filesystem::directory_iterator(shared)) {
      const std::string ext = e.path().extension().string();
      if (ext == ".pcap" || ext == ".pcapng" || ext == ".cap") out.push_back(e.path().string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(TcpAgreement, PerFrameEventsAndConnectionsMatchTshark) {
  if (!HaveTshark()) GTEST_SKIP() << "tshark not installed";
  const bool sweep = Env("MCPCAP_TCP_SWEEP_DIR") != nullptr;
  if (!std::filesystem::is_directory(MCPCAP_SHARED_CAPTURES)) {
    std::printf("note: %s absent, comparing our captures only\n", MCPCAP_SHARED_CAPTURES);
  }
  std::map<std::string, std::array<uint64_t, 3>> totals;  // kind -> agree, ours only, tshark only
  uint64_t files = 0, frames = 0;
  for (const std::string& path : Captures()) {
    const testing::TrackedCapture ours = testing::TrackCapture(path);
    if (!ours.ok || ours.tcp_frames == 0) continue;
    const TsharkView theirs = RunTshark(path);
    const std::string name = std::filesystem::path(path).filename().string();
    ++files;
    frames += ours.tcp_frames;
    for (int i = 0; i < kTcpEventKinds; ++i) {
      const std::string kind(TcpEventName(i));
      std::set<uint64_t> a, b;
      for (const auto& [f, bits] : ours.events) {
        if (AsTshark(bits) & (1u << i)) a.insert(f);
      }
      for (const auto& [f, bits] : theirs.events) {
        if (bits & (1u << i)) b.insert(f);
      }
      std::vector<uint64_t> only_ours, only_theirs;
      for (uint64_t f : a) (b.count(f) ? totals[kind][0] : totals[kind][1])++;
      for (uint64_t f : a) {
        if (!b.count(f)) only_ours.push_back(f);
      }
      for (uint64_t f : b) {
        if (!a.count(f)) only_theirs.push_back(f);
      }
      totals[kind][2] += only_theirs.size();
      if (only_ours.empty() && only_theirs.empty()) continue;
      auto known = KnownDifferences().find({name, kind});
      if (known != KnownDifferences().end()) {
        std::printf("known difference %s %s: %s\n", name.c_str(), kind.c_str(),
                    known->second.c_str());
        continue;
      }
      const std::string diff =
          absl::StrCat(name, " ", kind, ": only ours [", absl::StrJoin(only_ours, ","),
                       "] only tshark [", absl::StrJoin(only_theirs, ","), "]");
      if (sweep) {
        std::printf("differs %s\n", diff.c_str());
      } else {
        ADD_FAILURE() << diff;
      }
    }
    auto known = KnownDifferences().find({name, "connections"});
    if (sweep) {
      if (ours.connections != theirs.conversations) {
        std::printf("differs %s connections: ours %llu tshark %llu\n", name.c_str(),
                    static_cast<unsigned long long>(ours.connections),
                    static_cast<unsigned long long>(theirs.conversations));
      }
    } else if (known == KnownDifferences().end()) {
      EXPECT_EQ(ours.connections, theirs.conversations) << name << " connections";
    } else if (ours.connections != theirs.conversations) {
      std::printf("known difference %s connections: %s\n", name.c_str(), known->second.c_str());
    }
  }
  std::printf("compared %llu captures, %llu TCP frames\n", static_cast<unsigned long long>(files),
              static_cast<unsigned long long>(frames));
  for (const auto& [kind, t] : totals) {
    std::printf("  %-26s agree %6llu  only ours %4llu  only tshark %4llu\n", kind.c_str(),
                static_cast<unsigned long long>(t[0]), static_cast<unsigned long long>(t[1]),
                static_cast<unsigned long long>(t[2]));
  }
}

}  // namespace
}  // namespace mcpcap
