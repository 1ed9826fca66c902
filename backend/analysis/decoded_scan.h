// A PacketScan that also decodes every record to layer 4 with the shared zero-copy decoder and
// counts malformations by name, so each result can say how clean the capture was.
#ifndef MCPCAP_BACKEND_ANALYSIS_DECODED_SCAN_H_
#define MCPCAP_BACKEND_ANALYSIS_DECODED_SCAN_H_

#include <array>
#include <memory>
#include <string>

#include "backend/analysis/packet_scan.h"
#include "backend/dissect/decoder.h"
#include "backend/dissect/packet.h"

namespace mcpcap {

class DecodedScan {
 public:
  static absl::StatusOr<std::unique_ptr<DecodedScan>> Open(const AnalysisInput& input);

  // Calls visit(const PacketRecord&, const DecodedPacket&) for every record that passes the
  // filter, in file order.
  template <typename Visit>
  absl::Status Run(Visit&& visit) {
    DecodedPacket packet;
    return scan_->Run([&](const PacketRecord& record) {
      DecodePacket(record.link_type, record.data, record.origlen, &packet);
      if (!packet.anomalies.empty()) CountAnomalies(packet);
      visit(record, static_cast<const DecodedPacket&>(packet));
    });
  }

  const PacketScan& scan() const { return *scan_; }

  // "2023-11-14T22:13:20.010000Z", with the digits the capture's clock has.
  std::string Timestamp(const PacketRecord& record) const;

  // The common part of every result, with anomaly counts.
  void FillSummary(v1::CaptureSummary* summary) const;

 private:
  explicit DecodedScan(std::unique_ptr<PacketScan> scan);
  void CountAnomalies(const DecodedPacket& packet);

  std::unique_ptr<PacketScan> scan_;
  int time_digits_ = 6;
  std::array<uint64_t, 64> anomaly_counts_{};
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_DECODED_SCAN_H_
