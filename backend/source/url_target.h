// One hop of a download: a URL taken apart, its host resolved, and every address checked
// against the policy before anything connects.
#ifndef MCPCAP_BACKEND_SOURCE_URL_TARGET_H_
#define MCPCAP_BACKEND_SOURCE_URL_TARGET_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "backend/source/address_policy.h"

namespace mcpcap {

using Resolver = std::function<absl::StatusOr<std::vector<NetAddress>>(const std::string& host)>;

struct UrlTarget {
  std::string url;
  std::string scheme;  // "http" or "https"
  std::string host;    // without IPv6 brackets
  bool host_is_literal = false;
  uint32_t port = 0;
  std::vector<NetAddress> addresses;  // all allowed by the policy

  // The CURLOPT_RESOLVE entry pinning host:port to `addresses` (empty for literal hosts).
  std::string PinEntry() const;
  bool Pinned(const NetAddress& address) const;
};

// getaddrinfo: every address of `host`; NOT_FOUND when it does not resolve.
absl::StatusOr<std::vector<NetAddress>> ResolveHost(const std::string& host);

// Parses `url` (only http and https), resolves it with `resolve` (getaddrinfo when empty) and
// checks every address: one refused address refuses the hop. Errors name `shown` (the URL the
// caller gave) and, on a redirect, the hop too.
absl::StatusOr<UrlTarget> ResolveUrlTarget(const std::string& url, const std::string& shown,
                                           const AddressPolicy& policy, const Resolver& resolve);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_SOURCE_URL_TARGET_H_
