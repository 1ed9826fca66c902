// Turns the caller's `pcap_file` into a file this process can read.
#ifndef MCPCAP_BACKEND_SOURCE_CAPTURE_LOCATION_H_
#define MCPCAP_BACKEND_SOURCE_CAPTURE_LOCATION_H_

#include <string>

#include "absl/status/statusor.h"

namespace mcpcap {

struct CaptureLocation {
  std::string source;      // as the caller named it
  std::string local_path;  // readable path
};

// True for http:// and https:// (scheme compared case-insensitively).
bool IsUrl(const std::string& pcap_file);

// Local paths are used as they are (relative to the working directory). URLs are refused with
// UNIMPLEMENTED until downloads are supported; other schemes with INVALID_ARGUMENT.
absl::StatusOr<CaptureLocation> LocateCapture(const std::string& pcap_file);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_SOURCE_CAPTURE_LOCATION_H_
