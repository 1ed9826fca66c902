#include "gateway/http/host_check.h"

#include <algorithm>
#include <cctype>

#include "absl/strings/str_cat.h"

namespace mcpcap::gateway {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// "host", "host:port", "[v6]", "[v6]:port" -> "host:port" with `default_port` when absent.
std::string WithPort(const std::string& authority, int default_port) {
  bool has_port = false;
  if (!authority.empty() && authority[0] == '[') {
    const size_t bracket = authority.find(']');
    has_port = bracket != std::string::npos && bracket + 1 < authority.size() &&
               authority[bracket + 1] == ':';
  } else {
    has_port = authority.find(':') != std::string::npos;
  }
  return has_port ? authority : absl::StrCat(authority, ":", default_port);
}

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

std::string NormalizeOrigin(const std::string& origin) {
  const std::string o = Lower(origin);
  int default_port = 0;
  std::string rest;
  if (o.rfind("http://", 0) == 0) {
    default_port = 80;
    rest = o.substr(7);
  } else if (o.rfind("https://", 0) == 0) {
    default_port = 443;
    rest = o.substr(8);
  } else {
    return "";
  }
  if (!rest.empty() && rest.back() == '/') rest.pop_back();
  if (rest.empty() || rest.find('/') != std::string::npos) return "";
  return absl::StrCat(o.substr(0, o.find("//") + 2), WithPort(rest, default_port));
}

HostCheck::HostCheck(const std::string& bound_host, int port,
                     const std::vector<std::string>& allowed_origins) {
  std::vector<std::string> names = {"localhost", "127.0.0.1", "[::1]"};
  const std::string bound = Lower(bound_host);
  // A specific non-loopback address is how remote clients reach us; wildcards are not names.
  if (!bound.empty() && bound != "0.0.0.0" && bound != "::" && bound != "[::]") {
    names.push_back(bound.find(':') != std::string::npos && bound[0] != '['
                        ? absl::StrCat("[", bound, "]")
                        : bound);
  }
  for (const std::string& n : names) {
    hosts_.push_back(absl::StrCat(n, ":", port));
    origins_.push_back(absl::StrCat("http://", n, ":", port));
    origins_.push_back(absl::StrCat("https://", n, ":", port));
  }
  for (const std::string& o : allowed_origins) {
    const std::string normal = NormalizeOrigin(o);
    if (normal.empty()) continue;
    origins_.push_back(normal);
    const std::string authority = normal.substr(normal.find("//") + 2);
    hosts_.push_back(authority);
    // Behind a TLS proxy the Host of an https origin may come without its default port.
    const std::string default_suffix = normal.rfind("https", 0) == 0 ? ":443" : ":80";
    if (authority.size() > default_suffix.size() &&
        authority.compare(authority.size() - default_suffix.size(), default_suffix.size(),
                          default_suffix) == 0) {
      hosts_.push_back(authority.substr(0, authority.size() - default_suffix.size()));
    }
  }
}

bool HostCheck::HostAllowed(const std::string& host_header) const {
  if (host_header.empty()) return false;  // HTTP/1.1 requires Host
  const std::string host = Lower(host_header);
  return Contains(hosts_, host) || Contains(hosts_, WithPort(host, 80));
}

bool HostCheck::OriginAllowed(const std::string& origin) const {
  if (origin.empty()) return true;
  const std::string normal = NormalizeOrigin(origin);
  return !normal.empty() && Contains(origins_, normal);
}

}  // namespace mcpcap::gateway
