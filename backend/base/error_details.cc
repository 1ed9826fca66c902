#include "backend/base/error_details.h"

#include <optional>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/rpc/error_details.pb.h"

namespace mcpcap {
namespace {

constexpr absl::string_view kReasonPrefix = "ERROR_REASON_";

// The payload key of a detail: the type URL its google.protobuf.Any will carry.
template <typename Detail>
std::string TypeUrl() {
  return absl::StrCat("type.googleapis.com/", Detail::descriptor()->full_name());
}

// Map entries (ErrorInfo.metadata) in key order: the same error gives the same bytes.
std::string SerializeDeterministically(const google::protobuf::MessageLite& message) {
  std::string out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  return out;
}

template <typename Detail>
std::optional<Detail> GetDetail(const absl::Status& status) {
  absl::optional<absl::Cord> payload = status.GetPayload(TypeUrl<Detail>());
  Detail detail;
  if (!payload || !detail.ParseFromString(std::string(*payload))) return std::nullopt;
  return detail;
}

template <typename Detail>
void SetDetail(absl::Status& status, const Detail& detail) {
  status.SetPayload(TypeUrl<Detail>(), absl::Cord(SerializeDeterministically(detail)));
}

void AddFacts(google::rpc::ErrorInfo& info, ErrorFacts facts) {
  for (const auto& [key, value] : facts) (*info.mutable_metadata())[std::string(key)] = value;
}

google::rpc::ErrorInfo MakeInfo(v1::ErrorReason reason, ErrorFacts facts) {
  google::rpc::ErrorInfo info;
  info.set_reason(ReasonName(reason));
  info.set_domain(kErrorDomain);
  AddFacts(info, facts);
  return info;
}

// The reason of a status made without one (none of ours should be): its code's closest meaning.
v1::ErrorReason ReasonForCode(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kInvalidArgument:
      return v1::ERROR_REASON_INVALID_ARGUMENT;
    case absl::StatusCode::kCancelled:
    case absl::StatusCode::kDeadlineExceeded:
      return v1::ERROR_REASON_CALL_CANCELLED;
    default:
      return v1::ERROR_REASON_SERVER_ERROR;
  }
}

template <typename Detail>
void AppendDetail(const std::optional<Detail>& detail, google::rpc::Status& out) {
  if (!detail) return;
  google::protobuf::Any* any = out.add_details();
  any->set_type_url(TypeUrl<Detail>());
  any->set_value(SerializeDeterministically(*detail));
}

}  // namespace

absl::Status ReasonError(absl::StatusCode code, v1::ErrorReason reason, absl::string_view message,
                         ErrorFacts facts) {
  absl::Status status(code, message);
  SetDetail(status, MakeInfo(reason, facts));
  return status;
}

absl::Status FieldError(absl::string_view field, absl::string_view message, v1::ErrorReason reason,
                        ErrorFacts facts) {
  absl::Status status = WithFacts(ReasonError(absl::StatusCode::kInvalidArgument, reason, message,
                                              {{"field", std::string(field)}}),
                                  facts);
  google::rpc::BadRequest bad_request;
  google::rpc::BadRequest::FieldViolation* violation = bad_request.add_field_violations();
  violation->set_field(std::string(field));
  violation->set_description(std::string(message));
  SetDetail(status, bad_request);
  return status;
}

absl::Status WithFacts(absl::Status status, ErrorFacts facts) {
  std::optional<google::rpc::ErrorInfo> info = GetDetail<google::rpc::ErrorInfo>(status);
  if (!info) return status;
  AddFacts(*info, facts);
  SetDetail(status, *info);
  return status;
}

absl::Status WithRetryDelay(absl::Status status, absl::Duration delay) {
  google::rpc::RetryInfo retry;
  const int64_t seconds = absl::IDivDuration(delay, absl::Seconds(1), &delay);
  retry.mutable_retry_delay()->set_seconds(seconds);
  retry.mutable_retry_delay()->set_nanos(static_cast<int32_t>(absl::ToInt64Nanoseconds(delay)));
  SetDetail(status, retry);
  return status;
}

absl::Status WithMessage(const absl::Status& status, absl::string_view message) {
  absl::Status out(status.code(), message);
  status.ForEachPayload([&out](absl::string_view type_url, const absl::Cord& payload) {
    out.SetPayload(type_url, payload);
  });
  return out;
}

v1::ErrorReason ErrorReasonOf(const absl::Status& status) {
  std::optional<google::rpc::ErrorInfo> info = GetDetail<google::rpc::ErrorInfo>(status);
  v1::ErrorReason reason = v1::ERROR_REASON_UNSPECIFIED;
  if (info && info->domain() == kErrorDomain) {
    v1::ErrorReason_Parse(absl::StrCat(kReasonPrefix, info->reason()), &reason);
  }
  return reason;
}

std::map<std::string, std::string> ErrorMetadataOf(const absl::Status& status) {
  std::optional<google::rpc::ErrorInfo> info = GetDetail<google::rpc::ErrorInfo>(status);
  if (!info) return {};
  return std::map<std::string, std::string>(info->metadata().begin(), info->metadata().end());
}

std::string ReasonName(v1::ErrorReason reason) {
  absl::string_view name = v1::ErrorReason_Name(reason);
  absl::ConsumePrefix(&name, kReasonPrefix);
  return std::string(name);
}

google::rpc::Status ToRpcStatus(const absl::Status& status) {
  google::rpc::Status out;
  out.set_code(static_cast<int32_t>(status.code()));
  out.set_message(std::string(status.message()));
  if (status.ok()) return out;
  std::optional<google::rpc::ErrorInfo> info = GetDetail<google::rpc::ErrorInfo>(status);
  if (!info) info = MakeInfo(ReasonForCode(status.code()), {});
  AppendDetail(info, out);
  AppendDetail(GetDetail<google::rpc::BadRequest>(status), out);
  AppendDetail(GetDetail<google::rpc::RetryInfo>(status), out);
  return out;
}

}  // namespace mcpcap
