#include "backend/service/capture_service.h"

#include "backend/base/error_details.h"
#include "backend/base/status_macros.h"
#include "backend/service/call_context.h"
#include "backend/service/request_strings.h"
#include "backend/service/status_conversion.h"

namespace mcpcap {
namespace {

absl::StatusOr<v1::Capture> Create(const CaptureLocator& locator,
                                   const v1::CreateCaptureRequest& request,
                                   const std::function<bool()>& cancelled) {
  RETURN_IF_ERROR(CheckRequestStrings(request));
  std::string where;
  switch (request.source_case()) {
    case v1::CreateCaptureRequest::kPath:
      if (request.path().empty()) return FieldError("path", "path is empty: name a capture file");
      if (IsUrl(request.path())) return FieldError("path", "path is a URL: pass it as `url`");
      where = request.path();
      break;
    case v1::CreateCaptureRequest::kUrl:
      if (!IsUrl(request.url())) return FieldError("url", "url must be an http(s) URL");
      where = request.url();
      break;
    default:
      return FieldError("source", "CreateCapture needs a `path` or a `url`");
  }
  ASSIGN_OR_RETURN(std::shared_ptr<const HeldFile> file, locator.Hold(where, cancelled));
  return locator.captures()->Register(std::move(file), where, cancelled);
}

grpc::ServerUnaryReactor* Finished(grpc::CallbackServerContext* ctx, const absl::Status& status) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

}  // namespace

grpc::ServerUnaryReactor* CaptureService::CreateCapture(grpc::CallbackServerContext* ctx,
                                                        const v1::CreateCaptureRequest* request,
                                                        v1::CreateCaptureResponse* response) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  auto work = [this, ctx, request, response, reactor] {
    absl::StatusOr<v1::Capture> capture = Create(*locator_, *request, CancelledOrLate(ctx));
    if (capture.ok()) *response->mutable_capture() = std::move(*capture);
    reactor->Finish(ToGrpcStatus(capture.status()));
  };
  if (!pool_->Submit(std::move(work))) reactor->Finish(ToGrpcStatus(BusyError(*pool_)));
  return reactor;
}

grpc::ServerUnaryReactor* CaptureService::GetCapture(grpc::CallbackServerContext* ctx,
                                                     const v1::GetCaptureRequest* request,
                                                     v1::GetCaptureResponse* response) {
  absl::StatusOr<HeldCapture> held = locator_->captures()->Find(request->name(), "name");
  if (held.ok()) *response->mutable_capture() = held->capture;
  return Finished(ctx, held.status());
}

grpc::ServerUnaryReactor* CaptureService::DeleteCapture(grpc::CallbackServerContext* ctx,
                                                        const v1::DeleteCaptureRequest* request,
                                                        v1::DeleteCaptureResponse*) {
  return Finished(ctx, locator_->captures()->Delete(request->name(), "name"));
}

}  // namespace mcpcap
