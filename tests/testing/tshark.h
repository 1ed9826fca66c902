// Running tshark from agreement tests: is it installed, its -T fields output as rows, and the
// captures to compare on (recorded ones in a folder, shared ones by what MANIFEST.tsv says they
// cover). Header-only: the tests that use it link nothing more.
#ifndef MCPCAP_TESTS_TESTING_TSHARK_H_
#define MCPCAP_TESTS_TESTING_TSHARK_H_

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"

namespace mcpcap::testing {

inline bool HaveTshark() { return std::system("tshark -v >/dev/null 2>&1") == 0; }

// Joins the values of one field in several messages of a frame (-E aggregator): absent from the
// texts compared, unlike the default ',' (URIs and SQL hold commas).
inline constexpr char kTsharkAggregator = '\x1f';
inline constexpr const char* kTsharkAggregatorOption = " -E 'aggregator=\x1f'";

// The command printing the fields `args` names (-e ..., plus any -d / -Y / -E options) of the
// capture at `path`, one tab-separated line per frame, without name resolution.
inline std::string TsharkFieldsCommand(const std::string& path, const std::string& args) {
  return "tshark -n -r '" + path + "' -T fields -E separator=/t " + args + " 2>/dev/null";
}

// The tab-separated lines `pipe` prints, split into columns (lines of any length).
inline std::vector<std::vector<std::string>> ReadRows(FILE* pipe) {
  std::vector<std::vector<std::string>> rows;
  std::string line;
  char buffer[65536];
  while (fgets(buffer, sizeof(buffer), pipe) != nullptr) {
    line += buffer;
    if (line.empty() || line.back() != '\n') continue;
    line.pop_back();
    rows.push_back(absl::StrSplit(line, '\t'));
    line.clear();
  }
  return rows;
}

// Runs TsharkFieldsCommand(path, args) and returns its rows; none when tshark cannot run.
inline std::vector<std::vector<std::string>> TsharkFields(const std::string& path,
                                                          const std::string& args) {
  FILE* pipe = popen(TsharkFieldsCommand(path, args).c_str(), "r");
  if (pipe == nullptr) return {};
  std::vector<std::vector<std::string>> rows = ReadRows(pipe);
  pclose(pipe);
  return rows;
}

// The .pcap and .pcapng files in `dir` whose names start with one of `prefixes` (any name when
// there are none), sorted; none when the folder is absent.
inline std::vector<std::string> CapturesIn(const std::string& dir,
                                           std::initializer_list<absl::string_view> prefixes = {}) {
  std::vector<std::string> paths;
  if (!std::filesystem::is_directory(dir)) return paths;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string ext = entry.path().extension().string();
    if (ext != ".pcap" && ext != ".pcapng") continue;
    const std::string name = entry.path().filename().string();
    const bool named = prefixes.size() == 0 ||
                       std::any_of(prefixes.begin(), prefixes.end(),
                                   [&](absl::string_view p) { return absl::StartsWith(name, p); });
    if (named) paths.push_back(entry.path().string());
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

// The captures of the shared folder `shared_dir` whose MANIFEST.tsv row lists one of
// `protocols` in its "covers" column (the 9th), in manifest order; none without a manifest.
inline std::vector<std::string> SharedCapturesCovering(
    const std::string& shared_dir, std::initializer_list<absl::string_view> protocols) {
  std::vector<std::string> paths;
  std::ifstream manifest(std::filesystem::path(shared_dir) / "MANIFEST.tsv");
  std::string line;
  while (std::getline(manifest, line)) {
    const std::vector<absl::string_view> cols = absl::StrSplit(line, '\t');
    if (cols.size() < 9) continue;
    const std::vector<absl::string_view> covers = absl::StrSplit(cols[8], ',');
    for (absl::string_view protocol : protocols) {
      if (std::find(covers.begin(), covers.end(), protocol) != covers.end()) {
        paths.push_back((std::filesystem::path(shared_dir) / std::string(cols[0])).string());
        break;
      }
    }
  }
  return paths;
}

// Every capture of examples/ and tests/**/data, sorted, then (with_shared) every shared one (none
// when that folder is absent).
inline std::vector<std::string> EveryCapture(bool with_shared = true) {
  std::vector<std::string> paths;
  const std::filesystem::path examples(MCPCAP_EXAMPLES);
  const std::filesystem::path tests = examples.parent_path() / "tests";
  for (const std::filesystem::path& root : {examples, tests}) {
    if (!std::filesystem::is_directory(root)) continue;
    for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
      const std::string ext = e.path().extension().string();
      if (e.is_regular_file() && (ext == ".pcap" || ext == ".pcapng")) {
        paths.push_back(e.path().string());
      }
    }
  }
  std::sort(paths.begin(), paths.end());
  if (with_shared) {
    for (std::string& p : CapturesIn(MCPCAP_SHARED_CAPTURES)) paths.push_back(std::move(p));
  }
  return paths;
}

inline bool HaveSharedCaptures() { return std::filesystem::is_directory(MCPCAP_SHARED_CAPTURES); }

// Runs the shell commands four at a time (tshark spends most of its time starting) and returns
// their outputs split into tab-separated rows, in the order given.
inline std::vector<std::vector<std::vector<std::string>>> RunAllRows(
    const std::vector<std::string>& commands) {
  constexpr size_t kParallel = 4;
  std::vector<std::vector<std::vector<std::string>>> out(commands.size());
  for (size_t begin = 0; begin < commands.size(); begin += kParallel) {
    std::vector<FILE*> pipes;
    for (size_t i = begin; i < commands.size() && i < begin + kParallel; ++i) {
      pipes.push_back(popen(commands[i].c_str(), "r"));
    }
    for (size_t k = 0; k < pipes.size(); ++k) {
      if (pipes[k] == nullptr) continue;
      out[begin + k] = ReadRows(pipes[k]);
      pclose(pipes[k]);
    }
  }
  return out;
}

}  // namespace mcpcap::testing

#endif  // MCPCAP_TESTS_TESTING_TSHARK_H_
