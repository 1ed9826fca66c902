// analyze_tcp_connections: every TCP connection with its Zeek state, history, handshake and close.
#ifndef MCPCAP_BACKEND_ANALYSIS_TCP_TCP_CONNECTIONS_H_
#define MCPCAP_BACKEND_ANALYSIS_TCP_TCP_CONNECTIONS_H_

#include "absl/status/statusor.h"
#include "backend/analysis/common/analysis_input.h"
#include "mcpcap/v1/tcp.pb.h"

namespace mcpcap {

absl::StatusOr<v1::AnalyzeTcpConnectionsResponse> AnalyzeTcpConnections(
    const AnalysisInput& input, const v1::AnalyzeTcpConnectionsRequest& request);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_TCP_TCP_CONNECTIONS_H_
