// Errors a program can branch on: an absl::Status that keeps its code and message and also
// carries a reason from the contract's closed list (mcpcap.v1.ErrorReason) with metadata, a
// field violation or a retry delay. They ride as payloads under the type URLs of
// google.rpc.ErrorInfo, BadRequest and RetryInfo, so they survive ASSIGN_OR_RETURN unchanged;
// the service turns them into the google.rpc.Status of the call's binary error details
// (backend/service/status_conversion.h).
#ifndef MCPCAP_BACKEND_BASE_ERROR_DETAILS_H_
#define MCPCAP_BACKEND_BASE_ERROR_DETAILS_H_

#include <initializer_list>
#include <map>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/rpc/status.pb.h"
#include "mcpcap/v1/errors.pb.h"

namespace mcpcap {

// ErrorInfo.domain of every mcpcapd error.
inline constexpr char kErrorDomain[] = "mcpcap.v1";

// ErrorInfo.metadata entries: snake_case key, value as text (numbers in decimal).
using ErrorFacts = std::initializer_list<std::pair<absl::string_view, std::string>>;

// A status with `code`, `message` and an ErrorInfo of `reason` and `facts`.
absl::Status ReasonError(absl::StatusCode code, v1::ErrorReason reason, absl::string_view message,
                         ErrorFacts facts = {});

// INVALID_ARGUMENT about one request field: `reason` (INVALID_ARGUMENT unless more precise),
// metadata `field` and `facts`, and a BadRequest violation on `field` (its path in the request
// message, e.g. "options.bpf_filter") described by `message`.
absl::Status FieldError(absl::string_view field, absl::string_view message,
                        v1::ErrorReason reason = v1::ERROR_REASON_INVALID_ARGUMENT,
                        ErrorFacts facts = {});

// `status` with more metadata (its reason unchanged; a status without one is returned as is).
absl::Status WithFacts(absl::Status status, ErrorFacts facts);

// `status` with a RetryInfo: try again after `delay`.
absl::Status WithRetryDelay(absl::Status status, absl::Duration delay);

// The same code, reason and details under another message (a cause put in context).
absl::Status WithMessage(const absl::Status& status, absl::string_view message);

// The reason `status` carries; ERROR_REASON_UNSPECIFIED when it has none.
v1::ErrorReason ErrorReasonOf(const absl::Status& status);

// The ErrorInfo metadata `status` carries (empty when it has none).
std::map<std::string, std::string> ErrorMetadataOf(const absl::Status& status);

// ErrorInfo.reason for `reason`: its name without the "ERROR_REASON_" prefix.
std::string ReasonName(v1::ErrorReason reason);

// The google.rpc.Status of a failed call: code, message and details (ErrorInfo, then BadRequest
// and RetryInfo when present). A status nobody gave a reason gets one from its code, so every
// error carries an ErrorInfo.
google::rpc::Status ToRpcStatus(const absl::Status& status);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_BASE_ERROR_DETAILS_H_
