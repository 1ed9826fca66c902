// What the MCP engine needs from mcpcapd: one call by method path on serialized bytes (unary,
// or through the Analyze stream when the caller wants progress). Implemented over gRPC
// (GrpcBackend) and by fakes in tests.
#ifndef MCPCAP_GATEWAY_BACKEND_BACKEND_H_
#define MCPCAP_GATEWAY_BACKEND_BACKEND_H_

#include <grpcpp/support/status.h>

#include <functional>
#include <string>

#include "gateway/mcp/cancel_token.h"
#include "mcpcap/v1/analysis.pb.h"

namespace mcpcap::gateway {

// What a caller may attach to one backend call.
struct CallHooks {
  // When set, cancelling it cancels the RPC (ClientContext::TryCancel); the backend sees
  // IsCancelled() and stops.
  CancelToken* cancel = nullptr;
  // When set, an analysis runs through CaptureAnalysisService.Analyze and each progress report of
  // the backend doing the work comes here, on the calling thread. Unset: the unary RPC.
  std::function<void(const v1::AnalyzeProgress&)> on_progress;
};

class Backend {
 public:
  virtual ~Backend() = default;
  // Calls `method_path` ("/pkg.Service/Method") with a serialized request. Thread-safe.
  virtual grpc::Status Call(const std::string& method_path, const std::string& request,
                            std::string* response) = 0;
  // The same with hooks; backends that cannot cancel or report progress ignore them.
  virtual grpc::Status Call(const std::string& method_path, const std::string& request,
                            std::string* response, const CallHooks& hooks) {
    (void)hooks;
    return Call(method_path, request, response);
  }
};

// "NOT_FOUND", "UNAVAILABLE", ... as gRPC documents the codes.
const char* StatusCodeName(grpc::StatusCode code);

}  // namespace mcpcap::gateway

#endif  // MCPCAP_GATEWAY_BACKEND_BACKEND_H_
