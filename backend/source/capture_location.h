// Turns the caller's `pcap_file` into a file this process can read: a local path (inside the
// allowed roots, when the operator set any), an http(s) URL (downloaded to a private temporary
// file) or an uploaded capture's handle (upload://...). gzip content is handled later, by the
// reader, whatever the source.
#ifndef MCPCAP_BACKEND_SOURCE_CAPTURE_LOCATION_H_
#define MCPCAP_BACKEND_SOURCE_CAPTURE_LOCATION_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
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
};

struct SourceConfig {
  std::vector<std::string> roots;  // --root; empty = any local path (as the original)
  FetchOptions fetch;              // --allow-private-urls, --max-download-bytes, ...
  UploadLimits uploads;
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

  UploadStore* uploads() const { return uploads_.get(); }
  const TempDir& temp_dir() const { return *temp_dir_; }
  const LocalRoots& roots() const { return roots_; }

 private:
  CaptureLocator() = default;
  LocalRoots roots_;
  std::unique_ptr<TempDir> temp_dir_;
  std::unique_ptr<UrlFetcher> fetcher_;
  std::unique_ptr<UploadStore> uploads_;
  uint64_t max_decompressed_bytes_ = kDefaultMaxDecompressedBytes;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_SOURCE_CAPTURE_LOCATION_H_
