#include "backend/source/capture_location.h"

#include "absl/algorithm/container.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "backend/base/error_details.h"
#include "backend/base/status_macros.h"

namespace mcpcap {

bool IsUrl(const std::string& pcap_file) {
  return absl::StartsWithIgnoreCase(pcap_file, "http://") ||
         absl::StartsWithIgnoreCase(pcap_file, "https://");
}

absl::StatusOr<std::unique_ptr<CaptureLocator>> CaptureLocator::Create(SourceConfig config) {
  std::unique_ptr<CaptureLocator> locator(new CaptureLocator());
  locator->max_decompressed_bytes_ = config.max_decompressed_bytes;
  ASSIGN_OR_RETURN(locator->roots_, LocalRoots::Create(config.roots));
  ASSIGN_OR_RETURN(locator->temp_dir_, TempDir::Create(config.temp_parent));
  locator->fetcher_ =
      std::make_unique<UrlFetcher>(std::move(config.fetch), locator->temp_dir_.get());
  locator->uploads_ = std::make_unique<UploadStore>(config.uploads, locator->temp_dir_.get());
  locator->captures_ = std::make_unique<CaptureRegistry>(config.captures);
  if (locator->roots_.restricted()) {
    locator->open_roots_ = locator->roots_;
  } else {
    ASSIGN_OR_RETURN(locator->open_roots_, LocalRoots::Create({"/"}));
  }
  return locator;
}

absl::StatusOr<CaptureLocation> CaptureLocator::Locate(const std::string& pcap_file,
                                                       const std::function<bool()>& cancelled,
                                                       const DownloadProgress& progress) const {
  if (pcap_file.empty()) {
    return FieldError(
        "pcap_file",
        "pcap_file is empty: name a capture file or URL (or a held capture in `capture`)");
  }
  if (IsUrl(pcap_file)) {
    ASSIGN_OR_RETURN(std::unique_ptr<HeldFile> file,
                     fetcher_->Fetch(pcap_file, cancelled, progress));
    std::string path = file->path();
    return CaptureLocation{pcap_file, std::move(path), std::move(file), max_decompressed_bytes_,
                           ""};
  }
  const size_t scheme = pcap_file.find("://");
  if (scheme != std::string::npos && scheme > 0 &&
      absl::c_all_of(pcap_file.substr(0, scheme), absl::ascii_isalpha)) {
    return FieldError("pcap_file",
                      absl::StrCat("capture '", pcap_file,
                                   "': pcap_file takes a local path or an http(s) URL (a held "
                                   "capture goes in `capture`)"));
  }
  if (!roots_.restricted()) {
    return CaptureLocation{pcap_file, pcap_file, nullptr, max_decompressed_bytes_, ""};
  }
  ASSIGN_OR_RETURN(std::unique_ptr<HeldFile> file, roots_.Open(pcap_file));
  std::string path = file->path();
  return CaptureLocation{pcap_file, std::move(path), std::move(file), max_decompressed_bytes_, ""};
}

absl::StatusOr<CaptureLocation> CaptureLocator::LocateHeld(const std::string& name) const {
  ASSIGN_OR_RETURN(HeldCapture held, captures_->Find(name, "capture"));
  std::string path = held.file->path();
  return CaptureLocation{name, std::move(path), std::move(held.file), max_decompressed_bytes_,
                         name};
}

absl::StatusOr<std::shared_ptr<const HeldFile>> CaptureLocator::Hold(
    const std::string& path_or_url, const std::function<bool()>& cancelled) const {
  if (IsUrl(path_or_url)) {
    ASSIGN_OR_RETURN(std::unique_ptr<HeldFile> file, fetcher_->Fetch(path_or_url, cancelled, {}));
    return std::shared_ptr<const HeldFile>(std::move(file));
  }
  ASSIGN_OR_RETURN(std::unique_ptr<HeldFile> file, open_roots_.Open(path_or_url));
  return std::shared_ptr<const HeldFile>(std::move(file));
}

}  // namespace mcpcap
