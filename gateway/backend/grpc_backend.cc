#include "gateway/backend/grpc_backend.h"

#include "gateway/backend/analyze_call.h"
#include "gateway/backend/error_details.h"
#include "gateway/backend/unary_call.h"

namespace mcpcap::gateway {

grpc::Status GrpcBackend::Call(const std::string& method_path, const std::string& request,
                               std::string* response) {
  return Call(method_path, request, response, CallHooks{});
}

grpc::Status GrpcBackend::Call(const std::string& method_path, const std::string& request,
                               std::string* response, const CallHooks& hooks) {
  std::shared_ptr<grpc::Channel> channel;
  uint64_t ticket = 0;
  grpc::Status acquired = channels_.Acquire(&channel, &ticket);
  if (!acquired.ok()) return acquired;
  const auto deadline = std::chrono::system_clock::now() + call_timeout_;
  grpc::Status status;
  bool streamed = false;
  if (hooks.on_progress && IsAnalysisMethod(method_path)) {
    bool any_event = false;
    status = AnalyzeCall(channel, method_path, request, response, deadline,
                         channels_.WaitForReady(), hooks.cancel, hooks.on_progress, &any_event);
    // An mcpcapd older than Analyze (gRPC's own UNIMPLEMENTED, with no reason): the unary RPC
    // does the same work, without progress.
    streamed = any_event || status.error_code() != grpc::StatusCode::UNIMPLEMENTED ||
               FromBackend(status) || (hooks.cancel != nullptr && hooks.cancel->IsCancelled());
  }
  if (!streamed) {
    status = UnaryCall(channel, method_path, request, response, deadline, channels_.WaitForReady(),
                       hooks.cancel);
  }
  // UNAVAILABLE from the transport may mean the backend died; one mcpcapd answered itself (it
  // has a reason, e.g. DOWNLOAD_FAILED) proves it alive and needs no explaining.
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE && !FromBackend(status)) {
    return channels_.Explain(status, ticket);
  }
  return status;
}

}  // namespace mcpcap::gateway
