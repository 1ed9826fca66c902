// get_io_statistics: tshark's -z io,stat intervals.
#ifndef MCPCAP_BACKEND_ANALYSIS_TRAFFIC_IO_STATISTICS_H_
#define MCPCAP_BACKEND_ANALYSIS_TRAFFIC_IO_STATISTICS_H_

#include "absl/status/statusor.h"
#include "backend/analysis/common/analysis_input.h"
#include "mcpcap/v1/traffic_stats.pb.h"

namespace mcpcap {

absl::StatusOr<v1::GetIoStatisticsResponse> GetIoStatistics(
    const AnalysisInput& input, const v1::GetIoStatisticsRequest& request);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_TRAFFIC_IO_STATISTICS_H_
