// analyze_tcp_retransmissions: retransmission rates by kind, overall and worst connections first.
#ifndef MCPCAP_BACKEND_ANALYSIS_TCP_TCP_RETRANSMISSIONS_H_
#define MCPCAP_BACKEND_ANALYSIS_TCP_TCP_RETRANSMISSIONS_H_

#include "absl/status/statusor.h"
#include "backend/analysis/common/analysis_input.h"
#include "mcpcap/v1/tcp.pb.h"

namespace mcpcap {

absl::StatusOr<v1::AnalyzeTcpRetransmissionsResponse> AnalyzeTcpRetransmissions(
    const AnalysisInput& input, const v1::AnalyzeTcpRetransmissionsRequest& request);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_TCP_TCP_RETRANSMISSIONS_H_
