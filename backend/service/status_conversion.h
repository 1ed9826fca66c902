// The one place where absl::Status becomes grpc::Status: the same code and message, and in the
// binary error details the google.rpc.Status with the error's reason, field violations and
// retry delay (backend/base/error_details.h).
#ifndef MCPCAP_BACKEND_SERVICE_STATUS_CONVERSION_H_
#define MCPCAP_BACKEND_SERVICE_STATUS_CONVERSION_H_

#include <grpcpp/support/status.h>

#include <string>

#include "absl/status/status.h"
#include "backend/base/error_details.h"

namespace mcpcap {

inline grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()),
                      ToRpcStatus(status).SerializeAsString());
}

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_SERVICE_STATUS_CONVERSION_H_
