// detect_protocols: the application protocol of every TCP and UDP flow, recognised by content
// and port, with how it was recognised, confidence, encryption, and totals by protocol.
#ifndef MCPCAP_BACKEND_ANALYSIS_PAYLOAD_DETECT_PROTOCOLS_H_
#define MCPCAP_BACKEND_ANALYSIS_PAYLOAD_DETECT_PROTOCOLS_H_

#include "absl/status/statusor.h"
#include "backend/analysis/common/analysis_input.h"
#include "mcpcap/v1/payload.pb.h"

namespace mcpcap {

absl::StatusOr<v1::DetectProtocolsResponse> DetectProtocols(
    const AnalysisInput& input, const v1::DetectProtocolsRequest& request);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_PAYLOAD_DETECT_PROTOCOLS_H_
