// The one place where absl::Status becomes grpc::Status (the codes are the same).
#ifndef MCPCAP_BACKEND_SERVICE_STATUS_CONVERSION_H_
#define MCPCAP_BACKEND_SERVICE_STATUS_CONVERSION_H_

#include <grpcpp/support/status.h>

#include <string>

#include "absl/status/status.h"

namespace mcpcap {

inline grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()));
}

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_SERVICE_STATUS_CONVERSION_H_
