// One unary gRPC call on serialized bytes through grpc::GenericStub: any RPC of the contract
// (or the health service) without generated stubs.
#ifndef MCPCAP_GATEWAY_BACKEND_UNARY_CALL_H_
#define MCPCAP_GATEWAY_BACKEND_UNARY_CALL_H_

#include <grpcpp/channel.h>
#include <grpcpp/support/status.h>

#include <chrono>
#include <memory>
#include <string>

#include "gateway/mcp/cancel_token.h"

namespace mcpcap::gateway {

grpc::Status UnaryCall(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
                       const std::string& request, std::string* response,
                       std::chrono::system_clock::time_point deadline, bool wait_for_ready,
                       CancelToken* cancel = nullptr);

// grpc.health.v1.Health/Check for the whole server (service ""): OK when SERVING.
grpc::Status CheckHealth(const std::shared_ptr<grpc::Channel>& channel,
                         std::chrono::milliseconds timeout);

}  // namespace mcpcap::gateway

#endif  // MCPCAP_GATEWAY_BACKEND_UNARY_CALL_H_
