// analyze_tcp_anomalies: Wireshark-grade event counts, RST patterns, stalls and diagnoses.
#ifndef MCPCAP_BACKEND_ANALYSIS_TCP_TCP_ANOMALIES_H_
#define MCPCAP_BACKEND_ANALYSIS_TCP_TCP_ANOMALIES_H_

#include "absl/status/statusor.h"
#include "backend/analysis/common/analysis_input.h"
#include "mcpcap/v1/tcp.pb.h"

namespace mcpcap {

absl::StatusOr<v1::AnalyzeTcpAnomaliesResponse> AnalyzeTcpAnomalies(
    const AnalysisInput& input, const v1::AnalyzeTcpAnomaliesRequest& request);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_TCP_TCP_ANOMALIES_H_
