// analyze_sip_packets: SIP requests and responses over UDP (IP fragments reassembled) and TCP
// (streams reassembled and framed by Content-Length), calls grouped by Call-ID, statistics and
// security indicators (REGISTER brute force, scanning, toll fraud, information leaks).
#ifndef MCPCAP_BACKEND_ANALYSIS_SIP_SIP_H_
#define MCPCAP_BACKEND_ANALYSIS_SIP_SIP_H_

#include "absl/status/statusor.h"
#include "backend/analysis/common/analysis_input.h"
#include "mcpcap/v1/sip.pb.h"

namespace mcpcap {

absl::StatusOr<v1::AnalyzeSipPacketsResponse> AnalyzeSipPackets(
    const AnalysisInput& input, const v1::AnalyzeSipPacketsRequest& request);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_SIP_SIP_H_
