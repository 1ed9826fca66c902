// One analysis call from start to end, the same for the unary RPCs and the Analyze stream:
// find the capture (a URL downloads here), bound the caller's options by the operator's
// limits, run the analysis, and pass on cancellation and progress.
#ifndef MCPCAP_BACKEND_SERVICE_ANALYSIS_CALL_H_
#define MCPCAP_BACKEND_SERVICE_ANALYSIS_CALL_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "backend/analysis/common/analysis_input.h"
#include "backend/base/status_macros.h"
#include "backend/service/request_strings.h"
#include "backend/service/service_limits.h"
#include "backend/source/capture_location.h"
#include "mcpcap/v1/analysis.pb.h"
#include "mcpcap/v1/capture.pb.h"

namespace mcpcap {

// CANCELLED (CALL_CANCELLED): the client went away or the deadline passed.
absl::Status CallCancelledError(absl::string_view message = "the call was cancelled");

// What the caller's side of the RPC gives an analysis.
struct CallControl {
  // True once the client cancelled or the deadline passed.
  std::function<bool()> cancelled;
  // Where progress goes (unthrottled); empty for unary calls.
  std::function<void(const v1::AnalyzeProgress&)> progress;
};

// Resolves the request's source: a held `capture` by its name, else `pcap_file` (reporting a
// download's progress).
absl::StatusOr<CaptureLocation> LocateCapture(const CaptureLocator& locator,
                                              const std::string& pcap_file,
                                              const std::string& capture,
                                              const CallControl& control);

// The caller's options, bounded by the operator's limits, with cancellation and progress.
AnalysisInput MakeAnalysisInput(const CaptureLocation& location, const v1::CaptureOptions& options,
                                const ServiceLimits& limits, const CallControl& control);

// Binds page tokens to `request` and its capture, and applies options.page_token: INVALID_ARGUMENT
// for a token that is not ours or belongs to another request.
absl::Status SetPage(const google::protobuf::Message& request, const v1::CaptureOptions& options,
                     const CaptureLocation& location, AnalysisInput* input);

// A result's `findings` are a listing like the others: paged by `listings` and, when partial,
// described in its `capture` summary. Results without findings are left as they are.
void PageFindings(const ListingBounds& listings, google::protobuf::Message* response);

// RESOURCE_EXHAUSTED (RESPONSE_TOO_LARGE) when a response of `bytes` is above the limit.
absl::Status CheckResponseSize(size_t bytes, const ServiceLimits& limits, uint32_t max_results);

// `analysis(input, request)` on the capture `request` names, once its strings are checked.
// `location` holds a downloaded file until the analysis ends.
template <typename Response, typename Request, typename Analysis>
absl::StatusOr<Response> RunAnalysisCall(const CaptureLocator& locator, const ServiceLimits& limits,
                                         const Request& request, const CallControl& control,
                                         Analysis analysis) {
  if (control.cancelled && control.cancelled()) return CallCancelledError();
  RETURN_IF_ERROR(CheckRequestStrings(request));
  ASSIGN_OR_RETURN(CaptureLocation location,
                   LocateCapture(locator, request.pcap_file(), request.capture(), control));
  AnalysisInput input = MakeAnalysisInput(location, request.options(), limits, control);
  RETURN_IF_ERROR(SetPage(request, request.options(), location, &input));
  ASSIGN_OR_RETURN(Response response, analysis(input, request));
  PageFindings(input.listings, &response);
  RETURN_IF_ERROR(CheckResponseSize(response.ByteSizeLong(), limits, input.listings.max));
  return response;
}

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_SERVICE_ANALYSIS_CALL_H_
