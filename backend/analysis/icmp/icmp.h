// analyze_icmp_packets: ICMP and ICMPv6 with type and code names, echo pairing by host pair,
// identifier and sequence (RTT, loss), errors decoded down to the packet they quote (the real
// unreachable target), traceroute paths, and security indicators.
#ifndef MCPCAP_BACKEND_ANALYSIS_ICMP_ICMP_H_
#define MCPCAP_BACKEND_ANALYSIS_ICMP_ICMP_H_

#include "absl/status/statusor.h"
#include "backend/analysis/common/analysis_input.h"
#include "mcpcap/v1/icmp.pb.h"

namespace mcpcap {

absl::StatusOr<v1::AnalyzeIcmpPacketsResponse> AnalyzeIcmpPackets(
    const AnalysisInput& input, const v1::AnalyzeIcmpPacketsRequest& request);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_ICMP_ICMP_H_
