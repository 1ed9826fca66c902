// analyze_dns_packets: every DNS, mDNS and LLMNR message over UDP and TCP (IP fragments and TCP
// streams reassembled), decoded in full, paired query to response with latency, with statistics
// and security indicators.
#ifndef MCPCAP_BACKEND_ANALYSIS_DNS_DNS_H_
#define MCPCAP_BACKEND_ANALYSIS_DNS_DNS_H_

#include "absl/status/statusor.h"
#include "backend/analysis/common/analysis_input.h"
#include "mcpcap/v1/dns.pb.h"

namespace mcpcap {

absl::StatusOr<v1::AnalyzeDnsPacketsResponse> AnalyzeDnsPackets(
    const AnalysisInput& input, const v1::AnalyzeDnsPacketsRequest& request);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_DNS_DNS_H_
