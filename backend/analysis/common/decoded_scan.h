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
    DecodedPacket outer, inner;
    return scan_->Run([&](const PacketRecord& record) {
      DecodePacket(record.link_type, record.data, record.origlen, &outer);
      if (!outer.anomalies.empty()) CountAnomalies(outer);
      const DecodedPacket* packet = &outer;
      TunnelPayload tunnel;
      // Two levels at most: a tunnel inside a tunnel is rare, deeper nesting is hostile.
      for (int depth = 0; depth < 2 && FindTunnelPayload(*packet, &tunnel); ++depth) {
        DecodedPacket& next = packet == &outer ? inner : outer;
        DecodePacket(tunnel.link_type, tunnel.frame, &next);
        if (next.l3_kind != L3Kind::kIpv4 && next.l3_kind != L3Kind::kIpv6) break;
        if (!next.anomalies.empty()) CountAnomalies(next);
        ++tunnelled_packets_;
        packet = &next;
      }
      visit(record, *packet);
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

  std::unique_ptr<PacketScan> scan_;
  std::array<uint64_t, 64> anomaly_counts_{};
  uint64_t tunnelled_packets_ = 0;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_COMMON_DECODED_SCAN_H_
