// One streaming pass over a capture: opens it, applies the BPF filter and max_packets, polls
// for cancellation, reports progress, and records what the caller's result needs to say about
// the reading.
#ifndef MCPCAP_BACKEND_ANALYSIS_COMMON_PACKET_SCAN_H_
#define MCPCAP_BACKEND_ANALYSIS_COMMON_PACKET_SCAN_H_

#include <memory>

#include "absl/status/statusor.h"
#include "backend/analysis/common/analysis_input.h"
#include "backend/source/bpf_filter.h"
#include "backend/source/capture_reader.h"
#include "mcpcap/v1/capture.pb.h"

namespace mcpcap {

class PacketScan {
 public:
  static absl::StatusOr<std::unique_ptr<PacketScan>> Open(const AnalysisInput& input);

  // Calls visit(const PacketRecord&) for every record that passes the filter, in file order.
  template <typename Visit>
  absl::Status Run(Visit&& visit) {
    return RunRecords([&](const PacketRecord& record) {
      if (filter_ && !filter_->Matches(record)) return true;
      ++packets_examined_;
      visit(record);
      return true;
    });
  }

  // Calls visit(const PacketRecord&, bool matched) for every record, in file order, `matched`
  // telling whether it passes the filter: for numbering that must not depend on the filter
  // (tshark's tcp.stream), while only matching records are counted as examined.
  template <typename Visit>
  absl::Status RunEvery(Visit&& visit) {
    const bool filtered = filter_ != nullptr;
    return RunRecords([&](const PacketRecord& record) {
      const bool matched = !filtered || filter_->Matches(record);
      if (matched) ++packets_examined_;
      return visit(record, matched);
    });
  }

  const CaptureReader& reader() const { return *reader_; }
  const CaptureInfo& info() const { return reader_->info(); }
  uint64_t packets_read() const { return packets_read_; }
  uint64_t packets_examined() const { return packets_examined_; }

  // The common part of every result.
  void FillSummary(v1::CaptureSummary* summary) const;

 private:
  // Cancellation and progress are polled every 1024 records: often enough for a prompt stop
  // and smooth progress, rarely enough to cost nothing.
  static constexpr uint64_t kPollMask = 1023;
  PacketScan(const AnalysisInput& input, std::unique_ptr<CaptureReader> reader,
             std::unique_ptr<BpfFilter> filter)
      : input_(input), reader_(std::move(reader)), filter_(std::move(filter)) {}
  bool Cancelled() const { return input_.cancelled && input_.cancelled(); }
  void ReportProgress() const {
    if (input_.progress) {
      input_.progress({reader_->bytes_consumed(), reader_->info().file_size, packets_read_});
    }
  }
  absl::Status CancelledStatus() const;

  // Reads records until the end, max_packets, cancellation, or until visit(record) returns false
  // (the caller has what it needs: the rest of the file is not read).
  template <typename Visit>
  absl::Status RunRecords(Visit&& visit) {
    PacketRecord record;
    while (reader_->Next(&record)) {
      ++packets_read_;
      if ((packets_read_ & kPollMask) == 0) {
        if (Cancelled()) return CancelledStatus();
        ReportProgress();
      }
      if (!visit(static_cast<const PacketRecord&>(record))) break;
      if (input_.max_packets != 0 && packets_read_ >= input_.max_packets) {
        limit_reached_ = true;
        break;
      }
    }
    if (Cancelled()) return CancelledStatus();
    ReportProgress();
    return absl::OkStatus();
  }

  const AnalysisInput& input_;
  std::unique_ptr<CaptureReader> reader_;
  std::unique_ptr<BpfFilter> filter_;
  uint64_t packets_read_ = 0;
  uint64_t packets_examined_ = 0;
  bool limit_reached_ = false;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_COMMON_PACKET_SCAN_H_
