// get_packet_details: one packet's layers, fields, anomalies and bytes.
#ifndef MCPCAP_BACKEND_ANALYSIS_PACKETS_PACKET_DETAILS_H_
#define MCPCAP_BACKEND_ANALYSIS_PACKETS_PACKET_DETAILS_H_

#include "absl/status/statusor.h"
#include "backend/analysis/common/analysis_input.h"
#include "backend/analysis/common/frame_scan.h"
#include "backend/analysis/common/protocol_stack.h"
#include "mcpcap/v1/packets.pb.h"

namespace mcpcap {

// Fills `out` with one frame's details (all but `capture`): what GetPacketDetails answers for it.
// The frame must be visited in file order (its stream index and reassembly need the frames
// before it); tests call it for every frame of one scan.
void DescribePacket(const Frame& frame, const ProtocolStack& protocols, bool include_bytes,
                    v1::GetPacketDetailsResponse* out);

absl::StatusOr<v1::GetPacketDetailsResponse> GetPacketDetails(
    const AnalysisInput& input, const v1::GetPacketDetailsRequest& request);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_PACKETS_PACKET_DETAILS_H_
