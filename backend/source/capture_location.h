// Turns the caller's capture into a file this process can read: a `pcap_file` (a local path,
// inside the allowed roots when the operator set any, or an http(s) URL downloaded to a private
// temporary file) or a held capture resource ("captures/{id}", see capture_registry.h). gzip
// content is handled later, by the reader, whatever the source.
#ifndef MCPCAP_BACKEND_SOURCE_CAPTURE_LOCATION_H_
#define MCPCAP_BACKEND_SOURCE_CAPTURE_LOCATION_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "backend/source/capture_registry.h"
#include "backend/source/gzip_source.h"
#include "backend/source/local_roots.h"
#include "backend/source/temp_dir.h"
#include "backend/source/upload_store.h"
#include "backend/source/url_fetcher.h"

namespace mcpcap {

struct CaptureLocation {
  std::string source;      // as the caller named it (the URL, never a temporary path)
  std::string local_path;  // readable path, valid while `hold` lives
  // Keeps a downloaded, uploaded or checked file open until the analysis ends; dropping it
  // removes a download.
  std::shared_ptr<const HeldFile> hold;
  // The cap on its decompressed size when it is gzip content (--max-decompressed-bytes).
  uint64_t max_decompressed_bytes = kDefaultMaxDecompressedBytes;
  // For a held capture, its name ("captures/{id}"): an identity of its content.
  std::string held_name;
};

struct SourceConfig {
  std::vector<std::string> roots;  // --root; empty = any local path (as the original)
  FetchOptions fetch;              // --allow-private-urls, --max-download-bytes, ...
  UploadLimits uploads;
  CaptureRegistryLimits captures;
  uint64_t max_decompressed_bytes = kDefaultMaxDecompressedBytes;  // given to each location
  std::string temp_parent;  // where the private temp dir goes ("" = $TMPDIR or /tmp)
};

// True for http:// and https:// (scheme compared case-insensitively).
bool IsUrl(const std::string& pcap_file);

class CaptureLocator {
 public:
  // Resolves the roots and makes the private temp dir (removed with the locator).
  static absl::StatusOr<std::unique_ptr<CaptureLocator>> Create(SourceConfig config);

  // `cancelled` is polled while a URL downloads, and `progress` (when set) told how far it got.
  // Errors name `pcap_file` as given.
  absl::StatusOr<CaptureLocation> Locate(const std::string& pcap_file,
                                         const std::function<bool()>& cancelled,
                                         const DownloadProgress& progress = {}) const;
  // A held capture by its name ("captures/{id}"), shown by that name in results.
  absl::StatusOr<CaptureLocation> LocateHeld(const std::string& name) const;
  // The file at a local path (within the roots) or URL, opened and kept open, for
  // CaptureService.CreateCapture.
  absl::StatusOr<std::shared_ptr<const HeldFile>> Hold(
      const std::string& path_or_url, const std::function<bool()>& cancelled) const;

  UploadStore* uploads() const { return uploads_.get(); }
  CaptureRegistry* captures() const { return captures_.get(); }
  const TempDir& temp_dir() const { return *temp_dir_; }
  const LocalRoots& roots() const { return roots_; }

 private:
  CaptureLocator() = default;
  LocalRoots roots_;
  std::unique_ptr<TempDir> temp_dir_;
  std::unique_ptr<UrlFetcher> fetcher_;
  std::unique_ptr<UploadStore> uploads_;
  std::unique_ptr<CaptureRegistry> captures_;
  LocalRoots open_roots_;  // the roots, or "/" when unrestricted: Hold always opens a file
  uint64_t max_decompressed_bytes_ = kDefaultMaxDecompressedBytes;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_SOURCE_CAPTURE_LOCATION_H_
