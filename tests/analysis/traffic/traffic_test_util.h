// Shared by the traffic tests: the captures compared (ours, then the shared ones when present),
// tshark's text statistics read back, and the analyses run without a page bound.
#ifndef MCPCAP_TESTS_ANALYSIS_TRAFFIC_TRAFFIC_TEST_UTIL_H_
#define MCPCAP_TESTS_ANALYSIS_TRAFFIC_TRAFFIC_TEST_UTIL_H_

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "backend/analysis/common/analysis_input.h"
#include "backend/analysis/common/listing.h"
#include "tests/testing/tshark.h"

namespace mcpcap::traffic_test {

inline std::vector<std::string> AllCaptures() { return testing::EveryCapture(); }

using testing::HaveSharedCaptures;

// The lines a shell command prints.
inline std::vector<std::string> RunLines(const std::string& command) {
  std::vector<std::string> lines;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return lines;
  for (const std::vector<std::string>& row : testing::ReadRows(pipe)) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) line += (i ? "\t" : "") + row[i];
    lines.push_back(line);
  }
  pclose(pipe);
  return lines;
}

// Runs the shell commands four at a time and returns the lines each printed, in order.
inline std::vector<std::vector<std::string>> RunAllLines(const std::vector<std::string>& commands) {
  std::vector<std::vector<std::string>> out;
  for (const auto& rows : testing::RunAllRows(commands)) {
    std::vector<std::string>& lines = out.emplace_back();
    for (const std::vector<std::string>& row : rows) {
      std::string line;
      for (size_t i = 0; i < row.size(); ++i) line += (i ? "\t" : "") + row[i];
      lines.push_back(line);
    }
  }
  return out;
}

// An input reading `path` whole, every listing in one page.
inline AnalysisInput WholeInput(const std::string& path, const std::string& bpf = "") {
  AnalysisInput input;
  input.source = path;
  input.local_path = path;
  input.bpf_filter = bpf;
  input.listings.max = kMaxResultsCap;
  return input;
}

}  // namespace mcpcap::traffic_test

#endif  // MCPCAP_TESTS_ANALYSIS_TRAFFIC_TRAFFIC_TEST_UTIL_H_
