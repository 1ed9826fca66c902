// A PacketScan that also decodes every record to layer 4 with the shared zero-copy decoder and
// counts malformations by name, so each result can say how clean the capture was.
#ifndef MCPCAP_BACKEND_ANALYSIS_COMMON_DECODED_SCAN_H_
#define MCPCAP_BACKEND_ANALYSIS_COMMON_DECODED_SCAN_H_

#include <array>
#include <memory>
#include <string>

#include "backend/analysis/common/packet_scan.h"
#include "backend/dissect/decoder.h"
#include "backend/dissect/packet.h"
#include "backend/dissect/tunnel.h"
#include "backend/flow/capture_time.h"

namespace mcpcap {

class DecodedScan {
 public:
  static absl::StatusOr<std::unique_ptr<DecodedScan>> Open(const AnalysisInput& input);

  // Calls visit(const PacketRecord&, const DecodedPacket&) for every record that passes the
  // filter, in file order. Packets of tunnels (VXLAN, GENEVE, Teredo, GRE) are visited as the
  // frame they carry, so analyses see the inner traffic.
  template <typename Visit>
  absl::Status Run(Visit&& visit) {
    DecodedPacket outer;
    return scan_->Run([&](const PacketRecord& record) {
      visit(record, *Decode(record, /*count=*/true, &outer));
    });
  }

  // Calls visit(const PacketRecord&, const DecodedPacket& outer, const DecodedPacket& packet,
  // bool matched) -> bool for every record, matching the filter or not (PacketScan::RunEvery):
  // `outer` as the link carries it, `packet` with tunnels opened (the same object when there is
  // none). Anomalies are counted for matching records only. Returning false stops the scan.
  template <typename Visit>
  absl::Status RunEvery(Visit&& visit) {
    DecodedPacket outer;
    return scan_->RunEvery([&](const PacketRecord& record, bool matched) -> bool {
      const DecodedPacket* packet = Decode(record, matched, &outer);
      return visit(record, static_cast<const DecodedPacket&>(outer), *packet, matched);
    });
  }

  // Packets seen through a tunnel.
  uint64_t tunnelled_packets() const { return tunnelled_packets_; }

  const PacketScan& scan() const { return *scan_; }

  // The common part of every result, with anomaly counts.
  void FillSummary(v1::CaptureSummary* summary) const;

 private:
  explicit DecodedScan(std::unique_ptr<PacketScan> scan);
  void CountAnomalies(const DecodedPacket& packet);

  // Decodes `record` into `outer`, opens up to two levels of tunnels (into tunnelled_) and
  // returns the innermost packet.
  const DecodedPacket* Decode(const PacketRecord& record, bool count, DecodedPacket* outer) {
    DecodePacket(record.link_type, record.data, record.origlen, outer);
    if (count && !outer->anomalies.empty()) CountAnomalies(*outer);
    const DecodedPacket* packet = outer;
    TunnelPayload tunnel;
    // Two levels at most: a tunnel inside a tunnel is rare, deeper nesting is hostile.
    for (size_t depth = 0; depth < tunnelled_.size() && FindTunnelPayload(*packet, &tunnel);
         ++depth) {
      DecodedPacket& next = tunnelled_[depth];
      DecodePacket(tunnel.link_type, tunnel.frame, &next);
      if (next.l3_kind != L3Kind::kIpv4 && next.l3_kind != L3Kind::kIpv6) break;
      if (count && !next.anomalies.empty()) CountAnomalies(next);
      if (count) ++tunnelled_packets_;
      packet = &next;
    }
    return packet;
  }

  std::unique_ptr<PacketScan> scan_;
  std::array<uint64_t, 64> anomaly_counts_{};
  uint64_t tunnelled_packets_ = 0;
  std::array<DecodedPacket, 2> tunnelled_;  // the frames tunnels carry, outermost first
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_COMMON_DECODED_SCAN_H_
