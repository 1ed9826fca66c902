// analyze_traffic_flow: the two directions of a server's TCP traffic side by side.
#ifndef MCPCAP_BACKEND_ANALYSIS_TCP_TRAFFIC_FLOW_H_
#define MCPCAP_BACKEND_ANALYSIS_TCP_TRAFFIC_FLOW_H_

#include "absl/status/statusor.h"
#include "backend/analysis/common/analysis_input.h"
#include "mcpcap/v1/tcp.pb.h"

namespace mcpcap {

absl::StatusOr<v1::AnalyzeTrafficFlowResponse> AnalyzeTrafficFlow(
    const AnalysisInput& input, const v1::AnalyzeTrafficFlowRequest& request);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_TCP_TRAFFIC_FLOW_H_
