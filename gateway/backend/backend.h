// What the MCP engine needs from mcpcapd: one unary call by method path on serialized bytes.
// Implemented over gRPC (GrpcBackend) and by fakes in tests.
#ifndef MCPCAP_GATEWAY_BACKEND_BACKEND_H_
#define MCPCAP_GATEWAY_BACKEND_BACKEND_H_

#include <grpcpp/support/status.h>

#include <string>

namespace mcpcap::gateway {

class Backend {
 public:
  virtual ~Backend() = default;
  // Calls `method_path` ("/pkg.Service/Method") with a serialized request. Thread-safe.
  virtual grpc::Status Call(const std::string& method_path, const std::string& request,
                            std::string* response) = 0;
};

// "NOT_FOUND", "UNAVAILABLE", ... as gRPC documents the codes.
const char* StatusCodeName(grpc::StatusCode code);

}  // namespace mcpcap::gateway

#endif  // MCPCAP_GATEWAY_BACKEND_BACKEND_H_
