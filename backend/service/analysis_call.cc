#include "backend/service/analysis_call.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <sys/stat.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "backend/analysis/common/page_token.h"
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
                                              const std::string& capture,
                                              const CallControl& control) {
  if (!capture.empty()) return locator.LocateHeld(capture);
  DownloadProgress downloaded;
  if (control.progress) {
    downloaded = [&control](uint64_t done, uint64_t total) {
      v1::AnalyzeProgress p;
      p.set_stage(v1::ANALYZE_STAGE_DOWNLOAD);
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
  input.listings.max = options.has_max_results() ? std::min(options.max_results(), kMaxResultsCap)
                                                 : kDefaultMaxResults;
  if (options.view() == v1::ANALYSIS_VIEW_STATISTICS) input.listings.max = 0;
  input.cancelled = control.cancelled;
  if (control.progress) {
    input.progress = [report = control.progress](const ScanProgress& scan) {
      v1::AnalyzeProgress p;
      p.set_stage(v1::ANALYZE_STAGE_READ);
      p.set_bytes_done(scan.bytes_read);
      p.set_total_bytes(scan.total_bytes);
      p.set_packets_read(scan.packets_read);
      report(p);
    };
  }
  return input;
}

void PageFindings(const ListingBounds& listings, google::protobuf::Message* response) {
  const google::protobuf::Descriptor* d = response->GetDescriptor();
  const google::protobuf::FieldDescriptor* findings = d->FindFieldByName("findings");
  const google::protobuf::FieldDescriptor* capture = d->FindFieldByName("capture");
  if (findings == nullptr || !findings->is_repeated() ||
      findings->message_type() != v1::Finding::descriptor() || capture == nullptr ||
      capture->message_type() != v1::CaptureSummary::descriptor()) {
    return;
  }
  const google::protobuf::Reflection* r = response->GetReflection();
  Listing listing("findings", listings);
  const int n = r->FieldSize(*response, findings);
  int kept = 0;  // the page's findings move to the front, in order; the others are dropped
  for (int i = 0; i < n; ++i) {
    if (!listing.Admit()) continue;
    if (kept != i) r->SwapElements(response, findings, kept, i);
    ++kept;
  }
  while (r->FieldSize(*response, findings) > kept) r->RemoveLast(response, findings);
  listing.Report(static_cast<v1::CaptureSummary*>(r->MutableMessage(response, capture)));
}

namespace {

// The request without its paging arguments (a page may have another size), serialized
// deterministically: what tokens and cached results are bound to.
std::string ArgumentsKey(const google::protobuf::Message& request) {
  std::unique_ptr<google::protobuf::Message> args(request.New());
  args->CopyFrom(request);
  const google::protobuf::Descriptor* d = args->GetDescriptor();
  for (int i = 0; i < d->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* f = d->field(i);
    if (f->message_type() != v1::CaptureOptions::descriptor() || f->is_repeated()) continue;
    auto* options = static_cast<v1::CaptureOptions*>(args->GetReflection()->MutableMessage(
        args.get(), f, google::protobuf::MessageFactory::generated_factory()));
    options->clear_page_token();
    options->clear_max_results();
    options->clear_view();
  }
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream out(&bytes);
    google::protobuf::io::CodedOutputStream coded(&out);
    coded.SetSerializationDeterministic(true);
    args->SerializeToCodedStream(&coded);
  }
  return bytes;
}

}  // namespace

std::string RequestKey(const google::protobuf::Message& request, const CaptureLocation& location) {
  std::string bytes = ArgumentsKey(request);
  // ...and the capture's identity: a held capture is named by its content; a file by its size
  // and modification time, so a token outlives no rewrite of the file.
  absl::StrAppend(&bytes, "\n", location.source);
  struct stat st;
  if (::stat(location.local_path.c_str(), &st) == 0) {
    absl::StrAppend(&bytes, "\n", st.st_size, "\n", st.st_mtim.tv_sec, ".", st.st_mtim.tv_nsec);
  }
  uint64_t hash = 14695981039346656037ull;  // FNV-1a, 64 bits: stable across processes
  for (unsigned char c : bytes) hash = (hash ^ c) * 1099511628211ull;
  return absl::StrCat(absl::Hex(hash, absl::kZeroPad16));
}

absl::StatusOr<std::string> ResultKey(const google::protobuf::Message& request,
                                      const CaptureLocation& location,
                                      const std::function<bool()>& cancelled) {
  ASSIGN_OR_RETURN(std::string identity, CaptureIdentity(location, cancelled));
  return absl::StrCat(request.GetDescriptor()->full_name(), "\n", ArgumentsKey(request), "\n",
                      location.source, "\n", identity);
}

absl::Status SetPage(const google::protobuf::Message& request, const v1::CaptureOptions& options,
                     const CaptureLocation& location, AnalysisInput* input) {
  input->listings.request_key = RequestKey(request, location);
  if (options.page_token().empty()) return absl::OkStatus();
  ASSIGN_OR_RETURN(PageToken token, DecodePageToken(options.page_token()));
  if (token.request_key != input->listings.request_key) {
    return FieldError("options.page_token",
                      "page_token belongs to another request: a token works only with the same "
                      "capture (unchanged) and the same arguments as the call that gave it");
  }
  input->listings.page_listing = std::move(token.listing);
  input->listings.offset = token.offset;
  return absl::OkStatus();
}

}  // namespace mcpcap
