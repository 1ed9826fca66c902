// list_endpoints: tshark's -z endpoints tables.
#ifndef MCPCAP_BACKEND_ANALYSIS_CONVERSATIONS_ENDPOINTS_H_
#define MCPCAP_BACKEND_ANALYSIS_CONVERSATIONS_ENDPOINTS_H_

#include "absl/status/statusor.h"
#include "backend/analysis/common/analysis_input.h"
#include "mcpcap/v1/conversations.pb.h"

namespace mcpcap {

absl::StatusOr<v1::ListEndpointsResponse> ListEndpoints(const AnalysisInput& input,
                                                        const v1::ListEndpointsRequest& request);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_CONVERSATIONS_ENDPOINTS_H_
