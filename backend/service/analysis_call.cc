#include "backend/service/analysis_call.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "backend/base/error_details.h"

namespace mcpcap {

absl::Status CallCancelledError(absl::string_view message) {
  return ReasonError(absl::StatusCode::kCancelled, v1::ERROR_REASON_CALL_CANCELLED, message);
}

absl::Status CheckResponseSize(size_t bytes, const ServiceLimits& limits, uint32_t max_results) {
  if (bytes <= limits.max_response_bytes) return absl::OkStatus();
  return ReasonError(
      absl::StatusCode::kResourceExhausted, v1::ERROR_REASON_RESPONSE_TOO_LARGE,
      absl::StrCat("the response would be ", bytes, " bytes, more than the ",
                   limits.max_response_bytes,
                   " bytes mcpcapd sends (--max-response-bytes); ask for fewer entries per "
                   "listing (max_results, now ",
                   max_results, ") or narrow the capture with bpf_filter"),
      {{"size_bytes", absl::StrCat(bytes)},
       {"limit_bytes", absl::StrCat(limits.max_response_bytes)},
       {"max_results", absl::StrCat(max_results)}});
}

absl::StatusOr<CaptureLocation> LocateCapture(const CaptureLocator& locator,
                                              const std::string& pcap_file,
                                              const CallControl& control) {
  DownloadProgress downloaded;
  if (control.progress) {
    downloaded = [&control](uint64_t done, uint64_t total) {
      v1::AnalyzeProgress p;
      p.set_stage("download");
      p.set_bytes_done(done);
      p.set_total_bytes(total);
      control.progress(p);
    };
  }
  return locator.Locate(pcap_file, control.cancelled, downloaded);
}

AnalysisInput MakeAnalysisInput(const CaptureLocation& location, const v1::CaptureOptions& options,
                                const ServiceLimits& limits, const CallControl& control) {
  AnalysisInput input;
  input.source = location.source;
  input.local_path = location.local_path;
  input.max_decompressed_bytes = location.max_decompressed_bytes;
  input.max_packets = options.max_packets();
  if (limits.max_packets != 0 &&
      (input.max_packets == 0 || input.max_packets > limits.max_packets)) {
    input.max_packets = limits.max_packets;
  }
  input.bpf_filter = options.bpf_filter();
  input.max_results = options.max_results() == 0 ? kDefaultMaxResults
                                                 : std::min(options.max_results(), kMaxResultsCap);
  input.cancelled = control.cancelled;
  if (control.progress) {
    input.progress = [report = control.progress](const ScanProgress& scan) {
      v1::AnalyzeProgress p;
      p.set_stage("read");
      p.set_bytes_done(scan.bytes_read);
      p.set_total_bytes(scan.total_bytes);
      p.set_packets_read(scan.packets_read);
      report(p);
    };
  }
  return input;
}

}  // namespace mcpcap
