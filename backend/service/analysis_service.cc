#include "backend/service/analysis_service.h"

#include <algorithm>
#include <chrono>

#include "absl/strings/str_cat.h"
#include "backend/base/error_details.h"
#include "backend/service/analyze_stream.h"
#include "backend/service/status_conversion.h"
#include "backend/source/capture_location.h"

namespace mcpcap {
namespace {

// How long a refused caller should wait: about one analysis of a small capture.
constexpr absl::Duration kBusyRetryDelay = absl::Seconds(1);

absl::Status BusyError(const WorkerPool& pool) {
  return WithRetryDelay(
      ReasonError(absl::StatusCode::kResourceExhausted, v1::ERROR_REASON_SERVER_BUSY,
                  "mcpcapd is busy: too many analyses queued; retry later",
                  {{"max_queue", absl::StrCat(pool.max_queued())}}),
      kBusyRetryDelay);
}

// True once the client cancelled or the deadline passed.
std::function<bool()> CancelledOrLate(grpc::CallbackServerContext* ctx) {
  const auto deadline = ctx->deadline();
  return
      [ctx, deadline] { return ctx->IsCancelled() || std::chrono::system_clock::now() > deadline; };
}

}  // namespace

template <typename Response, typename Request>
AnalysisService::ErasedAnalysis AnalysisService::Erase(
    absl::StatusOr<Response> (*analysis)(const AnalysisInput&, const Request&)) const {
  return [this, analysis](const std::string& bytes,
                          const CallControl& control) -> absl::StatusOr<std::string> {
    Request request;
    if (!request.ParseFromString(bytes)) {
      return FieldError("request", absl::StrCat("the request does not parse as ",
                                                Request::descriptor()->full_name()));
    }
    ASSIGN_OR_RETURN(Response response,
                     RunAnalysisCall<Response>(*locator_, limits_, request, control, analysis));
    return response.SerializeAsString();
  };
}

AnalysisService::AnalysisService(WorkerPool* pool, ServiceLimits limits,
                                 const CaptureLocator* locator)
    : pool_(pool), limits_(limits), locator_(locator) {
#define MCPCAP_STREAMABLE_ENTRY(Name) {#Name, Erase(::mcpcap::Name)},
  streamable_ = {MCPCAP_ANALYSIS_RPCS(MCPCAP_STREAMABLE_ENTRY)};
#undef MCPCAP_STREAMABLE_ENTRY
}

template <typename Request, typename Response, typename Analysis>
grpc::ServerUnaryReactor* AnalysisService::Run(grpc::CallbackServerContext* ctx,
                                               const Request* request, Response* response,
                                               Analysis analysis) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  auto work = [this, ctx, request, response, reactor, analysis] {
    absl::StatusOr<Response> result = RunAnalysisCall<Response>(
        *locator_, limits_, *request, CallControl{CancelledOrLate(ctx), nullptr}, analysis);
    if (result.ok()) *response = std::move(*result);
    reactor->Finish(ToGrpcStatus(result.status()));
  };
  if (!pool_->Submit(std::move(work))) {
    reactor->Finish(ToGrpcStatus(BusyError(*pool_)));
  }
  return reactor;
}

grpc::ServerWriteReactor<v1::AnalyzeEvent>* AnalysisService::Analyze(
    grpc::CallbackServerContext* ctx, const v1::AnalyzeRequest* request) {
  auto* stream = new AnalyzeStream(limits_.progress_interval);
  if (absl::Status strings = CheckRequestStrings(*request); !strings.ok()) {
    stream->Complete(strings);
    return stream;
  }
  auto found = streamable_.find(request->method());
  if (found == streamable_.end()) {
    stream->Complete(FieldError(
        "method", absl::StrCat("Analyze runs the analyses of CaptureAnalysis by RPC name (e.g. "
                               "\"AnalyzeCapinfos\"), not \"",
                               request->method(), "\"")));
    return stream;
  }
  auto work = [ctx, request, stream, &analysis = found->second] {
    CallControl control{CancelledOrLate(ctx),
                        [stream](const v1::AnalyzeProgress& p) { stream->Progress(p); }};
    stream->Complete(analysis(request->request(), control));
  };
  if (!pool_->Submit(std::move(work))) stream->Complete(BusyError(*pool_));
  return stream;
}

#define MCPCAP_DEFINE_UNARY_RPC(Name)                                               \
  grpc::ServerUnaryReactor* AnalysisService::Name(grpc::CallbackServerContext* ctx, \
                                                  const v1::Name##Request* request, \
                                                  v1::Name##Response* response) {   \
    return Run(ctx, request, response, ::mcpcap::Name);                             \
  }
MCPCAP_ANALYSIS_RPCS(MCPCAP_DEFINE_UNARY_RPC)
#undef MCPCAP_DEFINE_UNARY_RPC

}  // namespace mcpcap
