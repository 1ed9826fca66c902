#include "backend/service/analysis_service.h"

#include <algorithm>
#include <chrono>

#include "absl/strings/str_cat.h"
#include "backend/base/error_details.h"
#include "backend/service/analyze_stream.h"
#include "backend/service/call_context.h"
#include "backend/service/status_conversion.h"
#include "backend/source/capture_location.h"
#include "mcpcap/proto/oneof_field.h"

namespace mcpcap {

template <typename Response, typename Request>
AnalysisService::ErasedAnalysis AnalysisService::Erase(
    absl::StatusOr<Response> (*analysis)(const AnalysisInput&, const Request&)) const {
  const google::protobuf::FieldDescriptor* result_field = proto::OneofFieldOfType(
      v1::AnalyzeResponse::descriptor()->FindOneofByName("event"), Response::descriptor());
  return [this, analysis, result_field](
             const google::protobuf::Message& request,
             const CallControl& control) -> absl::StatusOr<v1::AnalyzeResponse> {
    ASSIGN_OR_RETURN(
        Response response,
        RunAnalysisCall<Response>(*locator_, limits_, cache_, static_cast<const Request&>(request),
                                  control, analysis));
    v1::AnalyzeResponse event;
    static_cast<Response*>(event.GetReflection()->MutableMessage(&event, result_field))
        ->Swap(&response);
    return event;
  };
}

AnalysisService::AnalysisService(WorkerPool* pool, ServiceLimits limits,
                                 const CaptureLocator* locator, ResultCache* cache)
    : pool_(pool), limits_(limits), locator_(locator), cache_(cache) {
#define MCPCAP_STREAMABLE_ENTRY(Name) {v1::Name##Request::descriptor(), Erase(::mcpcap::Name)},
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
        *locator_, limits_, cache_, *request, CallControl{CancelledOrLate(ctx), nullptr}, analysis);
    if (result.ok()) *response = std::move(*result);
    reactor->Finish(ToGrpcStatus(result.status()));
  };
  if (!pool_->Submit(std::move(work))) {
    reactor->Finish(ToGrpcStatus(BusyError(*pool_)));
  }
  return reactor;
}

grpc::ServerWriteReactor<v1::AnalyzeResponse>* AnalysisService::Analyze(
    grpc::CallbackServerContext* ctx, const v1::AnalyzeRequest* request) {
  auto* stream = new AnalyzeStream(limits_.progress_interval);
  if (absl::Status strings = CheckRequestStrings(*request); !strings.ok()) {
    stream->Complete(strings);
    return stream;
  }
  const google::protobuf::FieldDescriptor* chosen =
      request->GetReflection()->GetOneofFieldDescriptor(
          *request, v1::AnalyzeRequest::descriptor()->FindOneofByName("analysis"));
  auto found = chosen == nullptr ? streamable_.end() : streamable_.find(chosen->message_type());
  if (found == streamable_.end()) {
    stream->Complete(
        FieldError("analysis",
                   "Analyze needs the request of one analysis in its `analysis` oneof (e.g. "
                   "analyze_capinfos); this request sets none this server knows"));
    return stream;
  }
  auto work = [ctx, request, stream, chosen, &analysis = found->second] {
    CallControl control{CancelledOrLate(ctx),
                        [stream](const v1::AnalyzeProgress& p) { stream->Progress(p); }};
    stream->Complete(analysis(request->GetReflection()->GetMessage(*request, chosen), control));
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
