// Latency samples (milliseconds) summarised as min, median, average, 95th percentile and max.
#ifndef MCPCAP_BACKEND_ANALYSIS_COMMON_LATENCY_STATS_H_
#define MCPCAP_BACKEND_ANALYSIS_COMMON_LATENCY_STATS_H_

#include <vector>

#include "mcpcap/v1/capture.pb.h"

namespace mcpcap {

// Leaves `out` empty (samples 0) when there are no samples. The percentile is nearest-rank.
void FillLatency(std::vector<double> samples, v1::LatencyStats* out);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_COMMON_LATENCY_STATS_H_
