// list_packets: one line per packet, as tshark's packet list.
#ifndef MCPCAP_BACKEND_ANALYSIS_PACKETS_LIST_PACKETS_H_
#define MCPCAP_BACKEND_ANALYSIS_PACKETS_LIST_PACKETS_H_

#include "absl/status/statusor.h"
#include "backend/analysis/common/analysis_input.h"
#include "mcpcap/v1/packets.pb.h"

namespace mcpcap {

absl::StatusOr<v1::ListPacketsResponse> ListPackets(const AnalysisInput& input,
                                                    const v1::ListPacketsRequest& request);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_PACKETS_LIST_PACKETS_H_
