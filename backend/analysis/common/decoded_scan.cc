#include "backend/analysis/common/decoded_scan.h"

#include <algorithm>

#include "backend/base/status_macros.h"

namespace mcpcap {

absl::StatusOr<std::unique_ptr<DecodedScan>> DecodedScan::Open(const AnalysisInput& input) {
  ASSIGN_OR_RETURN(std::unique_ptr<PacketScan> scan, PacketScan::Open(input));
  return std::unique_ptr<DecodedScan>(new DecodedScan(std::move(scan)));
}

DecodedScan::DecodedScan(std::unique_ptr<PacketScan> scan) : scan_(std::move(scan)) {}

void DecodedScan::CountAnomalies(const DecodedPacket& packet) {
  packet.anomalies.ForEach([this](Anomaly a) { ++anomaly_counts_[static_cast<size_t>(a)]; });
}

void DecodedScan::FillSummary(v1::CaptureSummary* summary) const {
  scan_->FillSummary(summary);
  for (size_t i = 0; i < static_cast<size_t>(Anomaly::kCount); ++i) {
    if (anomaly_counts_[i] == 0) continue;
    (*summary->mutable_anomalies())[std::string(AnomalyName(static_cast<Anomaly>(i)))] =
        anomaly_counts_[i];
  }
}

}  // namespace mcpcap
