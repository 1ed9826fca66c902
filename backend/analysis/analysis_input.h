// What every analysis is given: the capture to read and the caller's limits.
#ifndef MCPCAP_BACKEND_ANALYSIS_ANALYSIS_INPUT_H_
#define MCPCAP_BACKEND_ANALYSIS_ANALYSIS_INPUT_H_

#include <cstdint>
#include <functional>
#include <string>

namespace mcpcap {

inline constexpr uint32_t kDefaultMaxResults = 100;
inline constexpr uint32_t kMaxResultsCap = 10000;

struct AnalysisInput {
  std::string source;        // the capture as the caller named it (path or URL)
  std::string local_path;    // where its bytes are on this machine
  uint64_t max_packets = 0;  // 0 = no limit
  std::string bpf_filter;
  uint32_t max_results = kDefaultMaxResults;
  // Polled during the scan; true stops the analysis with CANCELLED.
  std::function<bool()> cancelled;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_ANALYSIS_INPUT_H_
