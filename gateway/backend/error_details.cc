#include "gateway/backend/error_details.h"

#include "absl/strings/str_cat.h"
#include "gateway/backend/backend.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace mcpcap::gateway {
namespace {

constexpr char kDomain[] = "mcpcap.v1";  // ErrorInfo.domain of mcpcapd's errors

template <typename Detail>
bool Unpack(const google::protobuf::Any& any, Detail* detail) {
  return any.type_url() ==
             absl::StrCat("type.googleapis.com/", Detail::descriptor()->full_name()) &&
         detail->ParseFromString(any.value());
}

std::string Seconds(std::chrono::milliseconds delay) {
  const auto ms = delay.count();
  return ms % 1000 == 0 ? absl::StrCat(ms / 1000, " s") : absl::StrCat(ms, " ms");
}

}  // namespace

BackendError ReadBackendError(const grpc::Status& status) {
  BackendError out;
  google::rpc::Status rpc;
  if (status.ok() || status.error_details().empty() ||
      !rpc.ParseFromString(status.error_details())) {
    return out;
  }
  for (const google::protobuf::Any& any : rpc.details()) {
    google::rpc::ErrorInfo info;
    google::rpc::BadRequest bad_request;
    google::rpc::RetryInfo retry;
    if (Unpack(any, &info) && info.domain() == kDomain) {
      out.reason = info.reason();
      out.metadata.insert(info.metadata().begin(), info.metadata().end());
    } else if (Unpack(any, &bad_request)) {
      for (const auto& v : bad_request.field_violations()) {
        out.field_violations.emplace_back(v.field(), v.description());
      }
    } else if (Unpack(any, &retry)) {
      out.retry_delay = std::chrono::milliseconds(retry.retry_delay().seconds() * 1000 +
                                                  retry.retry_delay().nanos() / 1000000);
    }
  }
  return out;
}

bool FromBackend(const grpc::Status& status) { return !ReadBackendError(status).reason.empty(); }

std::string ErrorLabel(const grpc::Status& status) {
  std::string reason = ReadBackendError(status).reason;
  return reason.empty() ? StatusCodeName(status.error_code()) : reason;
}

std::string DescribeBackendError(const grpc::Status& status,
                                 const std::function<std::string(const std::string&)>& field_name) {
  const BackendError error = ReadBackendError(status);
  std::string text =
      absl::StrCat(error.reason.empty() ? StatusCodeName(status.error_code()) : error.reason, ": ",
                   status.error_message().empty() ? "(no message)" : status.error_message());
  for (const auto& [field, description] : error.field_violations) {
    const std::string name = field_name ? field_name(field) : field;
    // The description usually is the message itself: name the field only.
    if (description.empty() || description == status.error_message()) {
      absl::StrAppend(&text, " (field: ", name, ")");
    } else {
      absl::StrAppend(&text, " (field ", name, ": ", description, ")");
    }
  }
  if (error.retry_delay) absl::StrAppend(&text, " (retry after ", Seconds(*error.retry_delay), ")");
  return text;
}

}  // namespace mcpcap::gateway
