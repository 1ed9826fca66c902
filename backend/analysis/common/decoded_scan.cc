#include "backend/analysis/common/decoded_scan.h"

#include <algorithm>

#include "backend/base/status_macros.h"
#include "backend/base/time_format.h"

namespace mcpcap {

absl::StatusOr<std::unique_ptr<DecodedScan>> DecodedScan::Open(const AnalysisInput& input) {
  ASSIGN_OR_RETURN(std::unique_ptr<PacketScan> scan, PacketScan::Open(input));
  return std::unique_ptr<DecodedScan>(new DecodedScan(std::move(scan)));
}

DecodedScan::DecodedScan(std::unique_ptr<PacketScan> scan) : scan_(std::move(scan)) {
  // The finest clock among the interfaces known at the start; pcapng rarely mixes them.
  for (const InterfaceInfo& iface : scan_->info().interfaces) {
    const int digits = (iface.tsresol_code & 0x80) ? 9 : std::min<int>(iface.tsresol_code, 9);
    time_digits_ = std::max(time_digits_, digits);
  }
}

void DecodedScan::CountAnomalies(const DecodedPacket& packet) {
  packet.anomalies.ForEach([this](Anomaly a) { ++anomaly_counts_[static_cast<size_t>(a)]; });
}

std::string DecodedScan::Timestamp(const PacketRecord& record) const {
  return Timestamp(record.ts_sec, record.ts_nsec);
}

std::string DecodedScan::Timestamp(int64_t sec, uint32_t nsec) const {
  return FormatUtcIso(sec, nsec, time_digits_);
}

std::string DecodedScan::Timestamp(CaptureNanos time) const {
  int64_t sec = time / kNanosPerSecond;
  int64_t nsec = time % kNanosPerSecond;
  if (nsec < 0) {  // floor towards minus infinity for times before 1970
    nsec += kNanosPerSecond;
    --sec;
  }
  return Timestamp(sec, static_cast<uint32_t>(nsec));
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
