// get_protocol_hierarchy: tshark's -z io,phs tree.
#ifndef MCPCAP_BACKEND_ANALYSIS_TRAFFIC_PROTOCOL_HIERARCHY_H_
#define MCPCAP_BACKEND_ANALYSIS_TRAFFIC_PROTOCOL_HIERARCHY_H_

#include "absl/status/statusor.h"
#include "backend/analysis/common/analysis_input.h"
#include "mcpcap/v1/traffic_stats.pb.h"

namespace mcpcap {

absl::StatusOr<v1::GetProtocolHierarchyResponse> GetProtocolHierarchy(
    const AnalysisInput& input, const v1::GetProtocolHierarchyRequest& request);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_TRAFFIC_PROTOCOL_HIERARCHY_H_
