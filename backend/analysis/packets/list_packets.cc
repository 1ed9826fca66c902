#include "backend/analysis/packets/list_packets.h"

#include <memory>

#include "backend/analysis/common/frame_scan.h"
#include "backend/analysis/common/listing.h"
#include "backend/analysis/packets/packet_line.h"
#include "backend/base/status_macros.h"

namespace mcpcap {

absl::StatusOr<v1::ListPacketsResponse> ListPackets(const AnalysisInput& input,
                                                    const v1::ListPacketsRequest& request) {
  ASSIGN_OR_RETURN(std::unique_ptr<FrameScan> scan, FrameScan::Open(input));
  v1::ListPacketsResponse response;
  Listing packets("packets", input.listings);
  PacketDescriber describer;
  // Frames before start_packet are still read: stream numbers and TCP bases count from the
  // file's first frame.
  const uint64_t start = request.start_packet();
  RETURN_IF_ERROR(scan->Run([&](const Frame& frame) {
    describer.Observe(frame);
    if (!frame.matched || frame.record.frame_number < start) return true;
    if (packets.Admit()) {
      describer.FillLine(frame, scan->first_time().value_or(frame.time), response.add_packets());
    }
    return true;
  }));
  response.set_packets_matched(packets.total());
  scan->FillSummary(response.mutable_capture());
  packets.Report(response.mutable_capture());
  return response;
}

}  // namespace mcpcap
