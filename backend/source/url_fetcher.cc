#include "backend/source/url_fetcher.h"

#include <curl/curl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "backend/base/status_macros.h"
#include "backend/source/capture_errors.h"
#include "backend/source/url_target.h"

namespace mcpcap {
namespace {

using Clock = std::chrono::steady_clock;

// Bodies of redirects and error pages are read and dropped, up to this much.
constexpr uint64_t kMaxDiscardedBytes = 1 << 20;

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct EasyDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct ListDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

// State shared with curl's callbacks during one hop.
struct Transfer {
  CURL* easy = nullptr;
  const UrlTarget* target = nullptr;
  const AddressPolicy* policy = nullptr;
  const std::function<bool()>* cancelled = nullptr;
  const DownloadProgress* progress = nullptr;
  int fd = -1;
  uint64_t max_bytes = 0;
  uint64_t written = 0;
  uint64_t discarded = 0;
  bool too_large = false;
  uint64_t refused_size = 0;  // the size that crossed max_bytes
  std::string write_error;
  std::string refused_address;  // a connect attempt outside the pinned, allowed addresses
};

bool IsSuccess(long code) { return code >= 200 && code < 300; }

size_t OnBody(char* data, size_t, size_t n, void* user) {
  Transfer* t = static_cast<Transfer*>(user);
  long code = 0;
  curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &code);
  if (!IsSuccess(code)) {  // a redirect's or an error page's body: not the capture
    t->discarded += n;
    return t->discarded > kMaxDiscardedBytes ? 0 : n;
  }
  if (t->written + n > t->max_bytes) {
    t->too_large = true;
    t->refused_size = t->written + n;
    return 0;
  }
  size_t done = 0;
  while (done < n) {
    const ssize_t w = ::write(t->fd, data + done, n - done);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      t->write_error = w < 0 ? std::strerror(errno) : "no space";
      return 0;
    }
    done += static_cast<size_t>(w);
  }
  t->written += n;
  return n;
}

int OnProgress(void* user, curl_off_t dltotal, curl_off_t, curl_off_t, curl_off_t) {
  const Transfer* t = static_cast<const Transfer*>(user);
  if (*t->progress && t->written > 0) {  // only the capture's body: written is 0 for redirects
    (*t->progress)(t->written, dltotal > 0 ? static_cast<uint64_t>(dltotal) : 0);
  }
  return (*t->cancelled && (*t->cancelled)()) ? 1 : 0;
}

// The last line of defence: curl may connect only to the addresses we checked and pinned.
curl_socket_t OnOpenSocket(void* user, curlsocktype, curl_sockaddr* address) {
  Transfer* t = static_cast<Transfer*>(user);
  const auto ip = NetAddress::FromSockaddr(&address->addr);
  if (!ip || !t->target->Pinned(*ip) || !t->policy->Allows(*ip)) {
    t->refused_address = ip ? ip->ToString() : "an unknown address";
    return CURL_SOCKET_BAD;
  }
  return ::socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

absl::Status HttpError(long code, const std::string& url, const std::string& what) {
  const std::string message = absl::StrCat(what, " answered HTTP ", code);
  const ErrorFacts status = {{"http_status", absl::StrCat(code)}};
  if (code == 404 || code == 410) {
    return CaptureError(absl::StatusCode::kNotFound, v1::ERROR_REASON_CAPTURE_NOT_FOUND, url,
                        absl::StrCat(message, " (not found)"), status);
  }
  if (code == 401 || code == 403 || code == 407) {
    return CaptureError(absl::StatusCode::kPermissionDenied, v1::ERROR_REASON_CAPTURE_UNREADABLE,
                        url, absl::StrCat(message, " (access denied)"), status);
  }
  return CaptureError(absl::StatusCode::kUnavailable, v1::ERROR_REASON_DOWNLOAD_FAILED, url,
                      absl::StrCat(message, ": the capture was not downloaded"), status);
}

absl::Status DownloadTimeout(const std::string& url, const std::string& message,
                             const FetchOptions& options) {
  return CaptureError(absl::StatusCode::kDeadlineExceeded, v1::ERROR_REASON_DOWNLOAD_TIMEOUT, url,
                      message, {{"timeout_seconds", absl::StrCat(options.timeout_seconds)}});
}

absl::Status CurlError(CURLcode rc, const Transfer& t, const char* detail, const std::string& url,
                       const std::string& what, const FetchOptions& options) {
  if (!t.refused_address.empty()) {
    return CaptureError(absl::StatusCode::kPermissionDenied, v1::ERROR_REASON_URL_NOT_ALLOWED, url,
                        absl::StrCat(what, ": a connection to ", t.refused_address,
                                     " was refused by the address policy"),
                        {{"address", t.refused_address}});
  }
  if (t.too_large || rc == CURLE_FILESIZE_EXCEEDED) {
    // The bytes that crossed the limit, or the length the server announced (none: past it).
    curl_off_t announced = -1;
    curl_easy_getinfo(t.easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &announced);
    const uint64_t size = t.too_large     ? t.refused_size
                          : announced > 0 ? static_cast<uint64_t>(announced)
                                          : options.max_bytes + 1;
    return CaptureError(
        absl::StatusCode::kResourceExhausted, v1::ERROR_REASON_DOWNLOAD_TOO_LARGE, url,
        absl::StrCat(what, " is larger than the limit of ", options.max_bytes,
                     " bytes (--max-download-bytes)"),
        {{"limit_bytes", absl::StrCat(options.max_bytes)}, {"size_bytes", absl::StrCat(size)}});
  }
  if (!t.write_error.empty()) {
    return ReasonError(absl::StatusCode::kResourceExhausted, v1::ERROR_REASON_SERVER_ERROR,
                       absl::StrCat(what, ": writing the download failed: ", t.write_error));
  }
  const std::string reason = *detail ? detail : curl_easy_strerror(rc);
  auto failed = [&url](absl::StatusCode code, const std::string& message) {
    return CaptureError(code, v1::ERROR_REASON_DOWNLOAD_FAILED, url, message);
  };
  switch (rc) {
    case CURLE_ABORTED_BY_CALLBACK:
      return ReasonError(absl::StatusCode::kCancelled, v1::ERROR_REASON_CALL_CANCELLED,
                         absl::StrCat("download of ", what, " was cancelled"));
    case CURLE_OPERATION_TIMEDOUT:
      return DownloadTimeout(
          url,
          absl::StrCat(what, " did not download within ", options.timeout_seconds,
                       " s (--download-timeout-seconds): ", reason),
          options);
    case CURLE_COULDNT_CONNECT:
      return failed(absl::StatusCode::kUnavailable,
                    absl::StrCat(what, ": cannot connect: ", reason));
    case CURLE_UNSUPPORTED_PROTOCOL:
      return FieldError("pcap_file", absl::StrCat(what, ": ", reason),
                        v1::ERROR_REASON_INVALID_ARGUMENT, {{"pcap_file", url}});
    case CURLE_WRITE_ERROR:
      return failed(absl::StatusCode::kUnavailable,
                    absl::StrCat(what, ": the server sent too large an error or redirect body"));
    default:
      return failed(absl::StatusCode::kUnavailable,
                    absl::StrCat(what, ": download failed: ", reason));
  }
}

}  // namespace

UrlFetcher::UrlFetcher(FetchOptions options, const TempDir* temp_dir)
    : options_(std::move(options)), temp_dir_(temp_dir) {
  GlobalInit();
}

absl::StatusOr<std::unique_ptr<HeldFile>> UrlFetcher::Fetch(
    const std::string& url, const std::function<bool()>& cancelled,
    const DownloadProgress& progress) const {
  const auto deadline = Clock::now() + std::chrono::seconds(options_.timeout_seconds);
  ASSIGN_OR_RETURN(std::unique_ptr<HeldFile> file, temp_dir_->NewFile());
  std::string hop_url = url;
  for (uint32_t hop = 0;; ++hop) {
    const std::string what =
        hop == 0 ? absl::StrCat("capture URL '", url, "'")
                 : absl::StrCat("capture URL '", url, "' (redirected to '", hop_url, "')");
    ASSIGN_OR_RETURN(UrlTarget target,
                     ResolveUrlTarget(hop_url, url, options_.policy, options_.resolve));
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      return DownloadTimeout(
          url,
          absl::StrCat(what, " did not download within ", options_.timeout_seconds,
                       " s (--download-timeout-seconds)"),
          options_);
    }
    if (!file->Truncate()) {
      return ReasonError(absl::StatusCode::kInternal, v1::ERROR_REASON_SERVER_ERROR,
                         "cannot reset the download file");
    }

    std::unique_ptr<CURL, EasyDeleter> easy(curl_easy_init());
    if (!easy) {
      return ReasonError(absl::StatusCode::kResourceExhausted, v1::ERROR_REASON_SERVER_ERROR,
                         "cannot start a download (libcurl)");
    }
    std::unique_ptr<curl_slist, ListDeleter> pins;
    if (const std::string pin = target.PinEntry(); !pin.empty()) {
      pins.reset(curl_slist_append(nullptr, pin.c_str()));
    }
    Transfer t;
    t.easy = easy.get();
    t.target = &target;
    t.policy = &options_.policy;
    t.cancelled = &cancelled;
    t.progress = &progress;
    t.fd = file->fd();
    t.max_bytes = options_.max_bytes;
    char detail[CURL_ERROR_SIZE] = {0};
    CURL* c = easy.get();
    curl_easy_setopt(c, CURLOPT_URL, hop_url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);  // each hop is checked here
    curl_easy_setopt(c, CURLOPT_PROXY, "");           // a proxy would bypass the pinning
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_RESOLVE, pins.get());
    curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, OnOpenSocket);
    curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, &t);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, OnBody);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, OnProgress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, &t);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(left));
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::min<long>(left, 30000)));
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options_.max_bytes));
    curl_easy_setopt(c, CURLOPT_USERAGENT, "mcpcapd");
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, detail);
    const CURLcode rc = curl_easy_perform(c);
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    if (rc != CURLE_OK) return CurlError(rc, t, detail, url, what, options_);
    if (IsSuccess(code)) return file;
    if (code >= 300 && code < 400) {
      char* next = nullptr;
      curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &next);
      if (next == nullptr) return HttpError(code, url, what);
      if (hop >= options_.max_redirects) {
        return CaptureError(absl::StatusCode::kUnavailable, v1::ERROR_REASON_DOWNLOAD_FAILED, url,
                            absl::StrCat(what, " redirects more than ", options_.max_redirects,
                                         " times (--max-redirects)"),
                            {{"max_redirects", absl::StrCat(options_.max_redirects)}});
      }
      hop_url = next;
      continue;
    }
    return HttpError(code, url, what);
  }
}

}  // namespace mcpcap
