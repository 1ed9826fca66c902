// Errors about the capture a caller named: the reason, and `pcap_file` as the caller gave it in
// the metadata (never a temporary path or descriptor the server made of it).
#ifndef MCPCAP_BACKEND_SOURCE_CAPTURE_ERRORS_H_
#define MCPCAP_BACKEND_SOURCE_CAPTURE_ERRORS_H_

#include <string>

#include "backend/base/error_details.h"

namespace mcpcap {

inline absl::Status CaptureError(absl::StatusCode code, v1::ErrorReason reason,
                                 absl::string_view pcap_file, absl::string_view message,
                                 ErrorFacts more = {}) {
  return WithFacts(ReasonError(code, reason, message, {{"pcap_file", std::string(pcap_file)}}),
                   more);
}

// INVALID_ARGUMENT: what `pcap_file` names is not a pcap or pcapng file.
inline absl::Status NotACaptureFile(absl::string_view pcap_file, absl::string_view message) {
  return FieldError("pcap_file", message, v1::ERROR_REASON_NOT_A_CAPTURE_FILE,
                    {{"pcap_file", std::string(pcap_file)}});
}

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_SOURCE_CAPTURE_ERRORS_H_
