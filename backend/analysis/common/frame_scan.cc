#include "backend/analysis/common/frame_scan.h"

#include "absl/strings/str_cat.h"
#include "backend/base/status_macros.h"
#include "backend/dissect/decoder.h"
#include "backend/dissect/link_layer.h"

namespace mcpcap {

absl::StatusOr<std::unique_ptr<FrameScan>> FrameScan::Open(const AnalysisInput& input) {
  ASSIGN_OR_RETURN(std::unique_ptr<DecodedScan> scan, DecodedScan::Open(input));
  return std::unique_ptr<FrameScan>(new FrameScan(std::move(scan)));
}

void FrameScan::NumberQuoted(const DecodedPacket& packet) {
  const bool icmp = packet.l4_kind == L4Kind::kIcmp || packet.l4_kind == L4Kind::kIcmpv6;
  if (!icmp || !packet.icmp.is_error || packet.icmp.quoted.empty()) return;
  DecodePacket(kLinkTypeRaw, packet.icmp.quoted, &quoted_);
  if (!quoted_.ip.is_fragment) numbering_.Number(quoted_);
}

void FrameScan::FillSummary(v1::CaptureSummary* summary) const {
  scan_->FillSummary(summary);
  if (numbering_.unnumbered() > 0) {
    summary->add_warnings(absl::StrCat(numbering_.unnumbered(),
                                       " packets of flows beyond the first ", kMaxNumberedStreams,
                                       " TCP or UDP streams have no stream index"));
  }
}

}  // namespace mcpcap
