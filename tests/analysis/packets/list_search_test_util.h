// Shared by the list_packets and search_packets tests: the captures compared (ours and the
// shared ones), tshark run on many captures at once, and the analyses run without a page bound.
#ifndef MCPCAP_TESTS_ANALYSIS_PACKETS_LIST_SEARCH_TEST_UTIL_H_
#define MCPCAP_TESTS_ANALYSIS_PACKETS_LIST_SEARCH_TEST_UTIL_H_

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "backend/analysis/common/analysis_input.h"
#include "tests/testing/tshark.h"

namespace mcpcap::packets_test {

inline std::vector<std::string> AllCaptures(bool with_shared = true) {
  return mcpcap::testing::EveryCapture(with_shared);
}

using mcpcap::testing::HaveSharedCaptures;

inline std::vector<std::vector<std::vector<std::string>>> RunAll(
    const std::vector<std::string>& commands) {
  return mcpcap::testing::RunAllRows(commands);
}

// "1699999999.123456789" (tshark's frame.time_epoch / time_relative) as nanoseconds.
inline bool ParseSecondsNanos(const std::string& text, int64_t* nanos) {
  const std::vector<std::string> parts = absl::StrSplit(text, '.');
  int64_t sec = 0;
  if (parts.empty() || parts.size() > 2 || !absl::SimpleAtoi(parts[0], &sec)) return false;
  int64_t frac = 0;
  if (parts.size() == 2) {
    std::string digits = parts[1].substr(0, 9);
    digits.append(9 - digits.size(), '0');
    if (!absl::SimpleAtoi(digits, &frac)) return false;
  }
  const bool negative = !parts[0].empty() && parts[0][0] == '-';
  *nanos = sec * 1000000000 + (negative ? -frac : frac);
  return true;
}

// The input of an analysis over `path` with every entry in one page.
inline AnalysisInput InputFor(const std::string& path, const std::string& bpf = "",
                              uint32_t max = 1u << 30) {
  AnalysisInput input;
  input.source = path;
  input.local_path = path;
  input.bpf_filter = bpf;
  input.listings.max = max;
  return input;
}

}  // namespace mcpcap::packets_test

#endif  // MCPCAP_TESTS_ANALYSIS_PACKETS_LIST_SEARCH_TEST_UTIL_H_
