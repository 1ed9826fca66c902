// Writes a synthetic capture through libpcap's dump API (Ethernet link type, pcap format,
// micro- or nanosecond timestamps). Used by mcpcap-gencap and by the benchmark.
#ifndef MCPCAP_TOOLS_GENCAP_GENERATE_H_
#define MCPCAP_TOOLS_GENCAP_GENERATE_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"

namespace mcpcap::gencap {

struct GenerateOptions {
  uint64_t packets = 1000000;
  std::string out;
  uint64_t seed = 1;
  bool nsec = false;
};

struct GenerateStats {
  uint64_t packets = 0;
  uint64_t frame_bytes = 0;  // sum of frame lengths (what capinfos calls data size)
};

absl::Status GenerateCapture(const GenerateOptions& options, GenerateStats* stats);

}  // namespace mcpcap::gencap

#endif  // MCPCAP_TOOLS_GENCAP_GENERATE_H_
