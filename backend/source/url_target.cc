#include "backend/source/url_target.h"

#include <curl/curl.h>
#include <netdb.h>
#include <sys/socket.h>

#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "backend/source/capture_errors.h"

namespace mcpcap {
namespace {

struct UrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};

// One part of a parsed URL ("" when absent).
std::string Part(CURLU* u, CURLUPart what, unsigned flags = 0) {
  char* text = nullptr;
  if (curl_url_get(u, what, &text, flags) != CURLUE_OK || text == nullptr) return "";
  std::string out(text);
  curl_free(text);
  return out;
}

std::string Describe(const std::string& url, const std::string& shown) {
  return url == shown ? absl::StrCat("capture URL '", shown, "'")
                      : absl::StrCat("capture URL '", shown, "' (redirected to '", url, "')");
}

}  // namespace

std::string UrlTarget::PinEntry() const {
  if (host_is_literal) return "";
  std::vector<std::string> list;
  for (const NetAddress& a : addresses) {
    list.push_back(a.is_v4 ? a.ToString() : absl::StrCat("[", a.ToString(), "]"));
  }
  return absl::StrCat(host, ":", port, ":", absl::StrJoin(list, ","));
}

bool UrlTarget::Pinned(const NetAddress& address) const {
  for (const NetAddress& a : addresses)
    if (a.bytes == address.bytes) return true;
  return false;
}

absl::StatusOr<std::vector<NetAddress>> ResolveHost(const std::string& host) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const int rc = ::getaddrinfo(host.c_str(), nullptr, &hints, &found);
  if (rc != 0) {
    return absl::NotFoundError(
        absl::StrCat("host '", host, "' cannot be resolved: ", gai_strerror(rc)));
  }
  std::vector<NetAddress> out;
  for (addrinfo* ai = found; ai != nullptr && out.size() < 64; ai = ai->ai_next) {
    auto ip = NetAddress::FromSockaddr(ai->ai_addr);
    if (!ip) continue;
    bool seen = false;
    for (const NetAddress& a : out) seen = seen || a.bytes == ip->bytes;
    if (!seen) out.push_back(*ip);
  }
  ::freeaddrinfo(found);
  if (out.empty()) {
    return absl::NotFoundError(absl::StrCat("host '", host, "' has no IPv4 or IPv6 address"));
  }
  return out;
}

absl::StatusOr<UrlTarget> ResolveUrlTarget(const std::string& url, const std::string& shown,
                                           const AddressPolicy& policy, const Resolver& resolve) {
  const std::string what = Describe(url, shown);
  std::unique_ptr<CURLU, UrlDeleter> u(curl_url());
  if (!u) {
    return ReasonError(absl::StatusCode::kResourceExhausted, v1::ERROR_REASON_SERVER_ERROR,
                       "out of memory parsing a URL");
  }
  // A URL, or a redirect from it, that mcpcapd will not fetch: the caller's pcap_file is at fault.
  auto refused = [&shown](const std::string& message) {
    return FieldError("pcap_file", message, v1::ERROR_REASON_INVALID_ARGUMENT,
                      {{"pcap_file", shown}});
  };
  if (curl_url_set(u.get(), CURLUPART_URL, url.c_str(), CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK) {
    return refused(absl::StrCat(what, " is not a valid URL"));
  }
  UrlTarget target;
  target.url = url;
  target.scheme = absl::AsciiStrToLower(Part(u.get(), CURLUPART_SCHEME));
  if (target.scheme != "http" && target.scheme != "https") {
    return refused(absl::StrCat(what, " uses the scheme '", target.scheme,
                                "': only http and https are fetched"));
  }
  target.host = Part(u.get(), CURLUPART_HOST);
  if (target.host.size() >= 2 && target.host.front() == '[' && target.host.back() == ']') {
    target.host = target.host.substr(1, target.host.size() - 2);
  }
  if (target.host.empty()) return refused(absl::StrCat(what, " has no host"));
  const std::string port = Part(u.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT);
  if (!absl::SimpleAtoi(port, &target.port) || target.port == 0 || target.port > 65535) {
    return refused(absl::StrCat(what, " has an invalid port"));
  }
  if (auto literal = NetAddress::Parse(target.host)) {
    target.host_is_literal = true;
    target.addresses.push_back(*literal);
  } else {
    absl::StatusOr<std::vector<NetAddress>> found =
        resolve ? resolve(target.host) : ResolveHost(target.host);
    if (!found.ok()) {
      const absl::StatusCode code = found.status().code();
      return CaptureError(code,
                          code == absl::StatusCode::kNotFound ? v1::ERROR_REASON_CAPTURE_NOT_FOUND
                                                              : v1::ERROR_REASON_DOWNLOAD_FAILED,
                          shown, absl::StrCat(what, ": ", found.status().message()),
                          {{"host", target.host}});
    }
    target.addresses = std::move(*found);
  }
  for (const NetAddress& a : target.addresses) {
    if (absl::Status allowed = policy.Check(a, shown); !allowed.ok()) {
      if (url == shown) return allowed;
      return WithMessage(allowed,
                         absl::StrCat(allowed.message(), " (after a redirect to '", url, "')"));
    }
  }
  return target;
}

}  // namespace mcpcap
