// What the TCP analysis tests feed an analysis: a capture of tests/analysis/tcp/data (or any
// path) read whole, with the default listing bounds.
#ifndef MCPCAP_TESTS_ANALYSIS_TCP_TCP_TEST_INPUTS_H_
#define MCPCAP_TESTS_ANALYSIS_TCP_TCP_TEST_INPUTS_H_

#include <string>

#include "backend/analysis/common/analysis_input.h"

namespace mcpcap {

inline AnalysisInput Input(const std::string& path) {
  AnalysisInput in;
  in.source = path;
  in.local_path = path;
  return in;
}

inline std::string Data(const char* name) { return std::string(MCPCAP_TCP_DATA) + "/" + name; }

}  // namespace mcpcap

#endif  // MCPCAP_TESTS_ANALYSIS_TCP_TCP_TEST_INPUTS_H_
