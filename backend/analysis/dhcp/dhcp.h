// analyze_dhcp_packets: BOOTP, DHCPv4 and DHCPv6 with every option decoded, DORA transactions and
// their outcome, clients and servers (more than one offering server is a rogue-server signal),
// NAKs and declines, and malformed options as named anomalies.
#ifndef MCPCAP_BACKEND_ANALYSIS_DHCP_DHCP_H_
#define MCPCAP_BACKEND_ANALYSIS_DHCP_DHCP_H_

#include "absl/status/statusor.h"
#include "backend/analysis/common/analysis_input.h"
#include "mcpcap/v1/dhcp.pb.h"

namespace mcpcap {

absl::StatusOr<v1::AnalyzeDhcpPacketsResponse> AnalyzeDhcpPackets(
    const AnalysisInput& input, const v1::AnalyzeDhcpPacketsRequest& request);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_DHCP_DHCP_H_
