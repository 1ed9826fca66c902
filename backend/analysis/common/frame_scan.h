// The scan the investigation tools share (list_packets, search_packets, get_packet_details,
// follow_stream, the conversation tables): every record of the file is decoded and numbered as
// tshark numbers it (frame.number, tcp.stream, udp.stream), whether or not it passes the BPF
// filter, so that a number means one packet or stream to every tool and with any filter; the
// visitor is told whether the record matched.
//
//   ASSIGN_OR_RETURN(std::unique_ptr<FrameScan> scan, FrameScan::Open(input));
//   RETURN_IF_ERROR(scan->Run([&](const Frame& f) { ...; return true; }));  // false: stop
//   scan->FillSummary(response.mutable_capture());
#ifndef MCPCAP_BACKEND_ANALYSIS_COMMON_FRAME_SCAN_H_
#define MCPCAP_BACKEND_ANALYSIS_COMMON_FRAME_SCAN_H_

#include <memory>
#include <optional>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "backend/analysis/common/analysis_input.h"
#include "backend/analysis/common/decoded_scan.h"
#include "backend/dissect/packet.h"
#include "backend/flow/capture_time.h"
#include "backend/flow/ip_reassembler.h"
#include "backend/flow/stream_index.h"
#include "backend/source/packet_record.h"
#include "mcpcap/v1/capture.pb.h"

namespace mcpcap {

// One record of the file as the investigation tools see it.
struct Frame {
  const PacketRecord& record;
  CaptureNanos time;
  // The frame as its link carries it, and with tunnels opened (the same object when none).
  const DecodedPacket& outer;
  const DecodedPacket& packet;
  // The whole TCP or UDP packet `packet` is, or the datagram its IP fragment completed; null for
  // other packets and for fragments that complete nothing yet.
  const DecodedPacket* whole;
  // tcp.stream or udp.stream of `whole`.
  std::optional<uint64_t> stream_index;
  // The record passes the caller's BPF filter.
  bool matched;
  // udp.stream (or tcp.stream) of `outer` when a tunnel was opened and it is whole UDP or TCP.
  std::optional<uint64_t> outer_stream_index;
};

class FrameScan {
 public:
  static absl::StatusOr<std::unique_ptr<FrameScan>> Open(const AnalysisInput& input);

  // Calls visit(const Frame&) -> bool for every record in file order; false stops the scan.
  template <typename Visit>
  absl::Status Run(Visit&& visit) {
    return scan_->RunEvery([&](const PacketRecord& record, const DecodedPacket& outer,
                               const DecodedPacket& packet, bool matched) -> bool {
      const CaptureNanos time = ToCaptureNanos(record.ts_sec, record.ts_nsec);
      if (!first_time_) first_time_ = time;
      std::optional<uint64_t> outer_stream;
      if (&packet != &outer && !outer.ip.is_fragment) outer_stream = numbering_.Number(outer);
      NumberQuoted(packet);
      const DecodedPacket* whole =
          WholeTcpOrUdp(defrag_, packet, record.frame_number, time, &reassembled_);
      std::optional<uint64_t> stream;
      if (whole != nullptr) stream = numbering_.Number(*whole);
      return visit(Frame{record, time, outer, packet, whole, stream, matched, outer_stream});
    });
  }

  // Capture time of the file's first record (tshark's reference for frame.time_relative).
  std::optional<CaptureNanos> first_time() const { return first_time_; }
  const StreamNumbering& numbering() const { return numbering_; }

  // The common part of every result, with anomaly counts and a warning when flows went
  // unnumbered.
  void FillSummary(v1::CaptureSummary* summary) const;

 private:
  explicit FrameScan(std::unique_ptr<DecodedScan> scan) : scan_(std::move(scan)) {}

  // tshark numbers the TCP or UDP packet an ICMP error quotes (a flow first seen there takes the
  // next stream index) when the quote holds the whole transport header.
  void NumberQuoted(const DecodedPacket& packet);

  std::unique_ptr<DecodedScan> scan_;
  IpReassembler defrag_;
  DecodedPacket reassembled_;
  DecodedPacket quoted_;
  StreamNumbering numbering_;
  std::optional<CaptureNanos> first_time_;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_COMMON_FRAME_SCAN_H_
