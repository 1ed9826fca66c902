#include "backend/analysis/common/packet_scan.h"

#include "absl/strings/str_cat.h"
#include "backend/base/error_details.h"
#include "backend/base/status_macros.h"

namespace mcpcap {

absl::StatusOr<std::unique_ptr<PacketScan>> PacketScan::Open(const AnalysisInput& input) {
  ASSIGN_OR_RETURN(
      std::unique_ptr<CaptureReader> reader,
      CaptureReader::Open(input.local_path, input.source, input.max_decompressed_bytes));
  std::unique_ptr<BpfFilter> filter;
  if (!input.bpf_filter.empty()) {
    const auto& interfaces = reader->info().interfaces;
    // pcapng may define interfaces later; Ethernet is the usual first one.
    const uint16_t link_type = interfaces.empty() ? 1 : interfaces.front().link_type;
    ASSIGN_OR_RETURN(filter, BpfFilter::Create(input.bpf_filter, link_type));
  }
  return std::unique_ptr<PacketScan>(new PacketScan(input, std::move(reader), std::move(filter)));
}

absl::Status PacketScan::CancelledStatus() const {
  return ReasonError(absl::StatusCode::kCancelled, v1::ERROR_REASON_CALL_CANCELLED,
                     absl::StrCat("analysis of '", input_.source, "' was cancelled after ",
                                  packets_read_, " packets"));
}

void PacketScan::FillSummary(v1::CaptureSummary* summary) const {
  const CaptureInfo& info = reader_->info();
  summary->set_source(input_.source);
  summary->set_format(ToProtoFormat(info.format));
  summary->set_file_size_bytes(info.file_size);
  summary->set_packets_read(packets_read_);
  summary->set_packets_examined(packets_examined_);
  summary->set_packet_limit_reached(limit_reached_);
  summary->set_bpf_filter(input_.bpf_filter);
  for (const std::string& warning : info.warnings) summary->add_warnings(warning);
}

}  // namespace mcpcap
