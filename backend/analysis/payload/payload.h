// analyze_payload: every flow's application protocol, its messages read from the reassembled
// streams (with previews), what the session revealed (software, login, TLS details), encryption
// status and security findings with evidence.
#ifndef MCPCAP_BACKEND_ANALYSIS_PAYLOAD_PAYLOAD_H_
#define MCPCAP_BACKEND_ANALYSIS_PAYLOAD_PAYLOAD_H_

#include "absl/status/statusor.h"
#include "backend/analysis/common/analysis_input.h"
#include "mcpcap/v1/payload.pb.h"

namespace mcpcap {

absl::StatusOr<v1::AnalyzePayloadResponse> AnalyzePayload(const AnalysisInput& input,
                                                          const v1::AnalyzePayloadRequest& request);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_PAYLOAD_PAYLOAD_H_
