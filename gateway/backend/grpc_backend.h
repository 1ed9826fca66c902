// Backend over gRPC: a GenericStub call with a deadline on a channel from a ChannelProvider.
#ifndef MCPCAP_GATEWAY_BACKEND_GRPC_BACKEND_H_
#define MCPCAP_GATEWAY_BACKEND_GRPC_BACKEND_H_

#include <chrono>

#include "gateway/backend/backend.h"
#include "gateway/backend/channels.h"

namespace mcpcap::gateway {

class GrpcBackend : public Backend {
 public:
  GrpcBackend(ChannelProvider& channels, std::chrono::seconds call_timeout)
      : channels_(channels), call_timeout_(call_timeout) {}

  grpc::Status Call(const std::string& method_path, const std::string& request,
                    std::string* response) override;
  grpc::Status Call(const std::string& method_path, const std::string& request,
                    std::string* response, const CallHooks& hooks) override;

 private:
  ChannelProvider& channels_;
  std::chrono::seconds call_timeout_;
};

}  // namespace mcpcap::gateway

#endif  // MCPCAP_GATEWAY_BACKEND_GRPC_BACKEND_H_
