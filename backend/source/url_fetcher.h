// Downloads http(s) capture URLs with libcurl into a private temporary file. Every hop of a
// redirect chain is parsed, resolved and checked against the address policy by us (curl
// follows nothing itself), and the connection is pinned to the checked addresses, so a DNS
// answer that changes between check and connect cannot reach a forbidden address.
#ifndef MCPCAP_BACKEND_SOURCE_URL_FETCHER_H_
#define MCPCAP_BACKEND_SOURCE_URL_FETCHER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "backend/source/address_policy.h"
#include "backend/source/held_file.h"
#include "backend/source/temp_dir.h"

namespace mcpcap {

struct FetchOptions {
  AddressPolicy policy;
  uint64_t max_bytes = uint64_t{1} << 30;  // --max-download-bytes
  uint32_t timeout_seconds = 120;          // --download-timeout-seconds, whole chain of hops
  uint32_t max_redirects = 5;              // --max-redirects
  // Host name -> addresses; getaddrinfo when empty. Tests map names without real DNS.
  std::function<absl::StatusOr<std::vector<NetAddress>>(const std::string& host)> resolve;
};

// Bytes of the capture downloaded so far, and its length (0 when the server does not say).
using DownloadProgress = std::function<void(uint64_t done, uint64_t total)>;

class UrlFetcher {
 public:
  // `temp_dir` must outlive the fetcher.
  UrlFetcher(FetchOptions options, const TempDir* temp_dir);

  // The body of `url` in a new temporary file (already unlinked: it goes away with the
  // returned object, whatever happens). `cancelled` is polled during the transfer, and
  // `progress` (when set) told how far the capture's body got. Errors
  // name the URL: INVALID_ARGUMENT (not http/https), PERMISSION_DENIED (address refused, HTTP
  // 401/403), NOT_FOUND (HTTP 404/410, unknown host), DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED
  // (too large), CANCELLED, UNAVAILABLE (refused, TLS, other HTTP errors, too many redirects).
  absl::StatusOr<std::unique_ptr<HeldFile>> Fetch(const std::string& url,
                                                  const std::function<bool()>& cancelled,
                                                  const DownloadProgress& progress = {}) const;

  const FetchOptions& options() const { return options_; }

 private:
  FetchOptions options_;
  const TempDir* temp_dir_;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_SOURCE_URL_FETCHER_H_
