// What a failed backend call says about itself: mcpcapd puts a google.rpc.Status in every
// error's binary details (proto/mcpcap/v1/errors.proto); this reads it back, for the text the
// model sees and for the gateway's own decisions.
#ifndef MCPCAP_GATEWAY_BACKEND_ERROR_DETAILS_H_
#define MCPCAP_GATEWAY_BACKEND_ERROR_DETAILS_H_

#include <grpcpp/support/status.h>

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mcpcap::gateway {

struct BackendError {
  // ErrorInfo.reason of domain "mcpcap.v1" ("CAPTURE_NOT_FOUND"); empty when the status has
  // none (a transport failure, an mcpcapd older than error details).
  std::string reason;
  std::map<std::string, std::string> metadata;
  // BadRequest: field path in the request message, and what is wrong with it.
  std::vector<std::pair<std::string, std::string>> field_violations;
  std::optional<std::chrono::milliseconds> retry_delay;  // RetryInfo
};

BackendError ReadBackendError(const grpc::Status& status);

// True when mcpcapd itself answered with this error (it carries a reason): the backend is alive.
bool FromBackend(const grpc::Status& status);

// The reason, or the gRPC code's name when there is none ("UNAVAILABLE").
std::string ErrorLabel(const grpc::Status& status);

// "CAPTURE_NOT_FOUND: capture '/x.pcap' not found": the reason (the gRPC code when there is
// none), the message, then each field violation (its path passed through `field_name`) and the
// retry delay, e.g. " (field: bpf_filter)", " (retry after 1 s)".
std::string DescribeBackendError(
    const grpc::Status& status,
    const std::function<std::string(const std::string&)>& field_name = nullptr);

}  // namespace mcpcap::gateway

#endif  // MCPCAP_GATEWAY_BACKEND_ERROR_DETAILS_H_
