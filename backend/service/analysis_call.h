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
#include "backend/service/result_cache.h"
#include "backend/service/service_limits.h"
#include "backend/source/capture_identity.h"
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

// The key of `request`'s result in the cache: the analysis, its arguments but the paging ones,
// and the identity of the capture's bytes; an error when the identity is unknown (no caching).
absl::StatusOr<std::string> ResultKey(const google::protobuf::Message& request,
                                      const CaptureLocation& location,
                                      const std::function<bool()>& cancelled);

// Runs `analysis` once with pageable bounds and keeps the result unless the capture changed
// while it was read (its identity is no longer `identity_key`'s).
template <typename Response, typename Request, typename Analysis>
absl::StatusOr<ResultCache::Computed> ComputePageable(const AnalysisInput& input,
                                                      const Request& request,
                                                      const CaptureLocation& location,
                                                      const std::string& key, Analysis analysis) {
  std::vector<ListingCount> census;
  AnalysisInput full = input;
  full.listings = PageableBounds(&census);
  ASSIGN_OR_RETURN(Response response, analysis(full, request));
  PageFindings(full.listings, &response);
  ASSIGN_OR_RETURN(
      std::unique_ptr<const PageableResult> result,
      PageableResult::Make(std::make_unique<Response>(std::move(response)), std::move(census)));
  absl::StatusOr<std::string> after = ResultKey(request, location, input.cancelled);
  return ResultCache::Computed{std::move(result), after.ok() && *after == key};
}

// `analysis(input, request)` on the capture `request` names, once its strings are checked.
// `location` holds a downloaded file until the analysis ends. With a cache, the result comes
// from (or goes to) it, and the page asked for is cut from it.
template <typename Response, typename Request, typename Analysis>
absl::StatusOr<Response> RunAnalysisCall(const CaptureLocator& locator, const ServiceLimits& limits,
                                         ResultCache* cache, const Request& request,
                                         const CallControl& control, Analysis analysis) {
  if (control.cancelled && control.cancelled()) return CallCancelledError();
  RETURN_IF_ERROR(CheckRequestStrings(request));
  ASSIGN_OR_RETURN(CaptureLocation location,
                   LocateCapture(locator, request.pcap_file(), request.capture(), control));
  AnalysisInput input = MakeAnalysisInput(location, request.options(), limits, control);
  RETURN_IF_ERROR(SetPage(request, request.options(), location, &input));
  absl::StatusOr<std::string> key = cache == nullptr
                                        ? absl::UnavailableError("no cache")
                                        : ResultKey(request, location, control.cancelled);
  if (key.ok()) {
    absl::StatusOr<ResultCache::Result> held = cache->GetOrCompute(
        *key, control.cancelled, [&]() -> absl::StatusOr<ResultCache::Computed> {
          return ComputePageable<Response>(input, request, location, *key, analysis);
        });
    if (!held.ok()) {
      if (control.cancelled && control.cancelled()) return CallCancelledError();
      return held.status();
    }
    if (std::unique_ptr<google::protobuf::Message> page = (*held)->Page(input.listings)) {
      Response response;
      response.Swap(static_cast<Response*>(page.get()));
      RETURN_IF_ERROR(CheckResponseSize(response.ByteSizeLong(), limits, input.listings.max));
      return response;
    }
    // A page beyond the held entries: the analysis computes it afresh.
  }
  ASSIGN_OR_RETURN(Response response, analysis(input, request));
  PageFindings(input.listings, &response);
  RETURN_IF_ERROR(CheckResponseSize(response.ByteSizeLong(), limits, input.listings.max));
  return response;
}

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_SERVICE_ANALYSIS_CALL_H_
