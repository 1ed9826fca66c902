// search_packets: packets whose bytes contain a string, hex bytes or match a regular expression.
#ifndef MCPCAP_BACKEND_ANALYSIS_PACKETS_SEARCH_PACKETS_H_
#define MCPCAP_BACKEND_ANALYSIS_PACKETS_SEARCH_PACKETS_H_

#include "absl/status/statusor.h"
#include "backend/analysis/common/analysis_input.h"
#include "mcpcap/v1/packets.pb.h"

namespace mcpcap {

absl::StatusOr<v1::SearchPacketsResponse> SearchPackets(const AnalysisInput& input,
                                                        const v1::SearchPacketsRequest& request);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_PACKETS_SEARCH_PACKETS_H_
