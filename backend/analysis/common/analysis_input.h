// What every analysis is given: the capture to read and the caller's limits.
#ifndef MCPCAP_BACKEND_ANALYSIS_COMMON_ANALYSIS_INPUT_H_
#define MCPCAP_BACKEND_ANALYSIS_COMMON_ANALYSIS_INPUT_H_

#include <cstdint>
#include <functional>
#include <string>

#include "backend/analysis/common/listing.h"
#include "backend/source/gzip_source.h"

namespace mcpcap {

// How far a scan got: bytes of the file on disk (compressed bytes for gzip) and records.
struct ScanProgress {
  uint64_t bytes_read = 0;
  uint64_t total_bytes = 0;  // the file's size on disk
  uint64_t packets_read = 0;
};

struct AnalysisInput {
  std::string source;      // the capture as the caller named it (path or URL)
  std::string local_path;  // where its bytes are on this machine
  uint64_t max_decompressed_bytes = kDefaultMaxDecompressedBytes;  // gzip inflated up to this
  uint64_t max_packets = 0;                                        // 0 = no limit
  std::string bpf_filter;
  // Page size of every listing (options.max_results) and the page a token asked for.
  ListingBounds listings;
  // Polled during the scan; true stops the analysis with CANCELLED.
  std::function<bool()> cancelled;
  // Told during the scan (when PacketScan polls, see kPollMask, and at its end); may be empty. The
  // receiver decides how often to pass it on.
  std::function<void(const ScanProgress&)> progress;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_COMMON_ANALYSIS_INPUT_H_
