#include "backend/source/capture_location.h"

#include "absl/algorithm/container.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace mcpcap {

bool IsUrl(const std::string& pcap_file) {
  return absl::StartsWithIgnoreCase(pcap_file, "http://") ||
         absl::StartsWithIgnoreCase(pcap_file, "https://");
}

absl::StatusOr<CaptureLocation> LocateCapture(const std::string& pcap_file) {
  if (pcap_file.empty()) {
    return absl::InvalidArgumentError("pcap_file is empty: name a capture file or URL");
  }
  if (IsUrl(pcap_file)) {
    return absl::UnimplementedError(absl::StrCat(
        "capture '", pcap_file, "': http(s) downloads are not supported by this mcpcapd yet; ",
        "download the file and pass its local path"));
  }
  const size_t scheme = pcap_file.find("://");
  if (scheme != std::string::npos && scheme > 0 &&
      absl::c_all_of(pcap_file.substr(0, scheme), absl::ascii_isalpha)) {
    return absl::InvalidArgumentError(
        absl::StrCat("capture '", pcap_file, "': only local paths and http(s) URLs are accepted"));
  }
  return CaptureLocation{pcap_file, pcap_file};
}

}  // namespace mcpcap
