// DNS-rebinding protection for the HTTP transport: a browser page on evil.example resolving to
// 127.0.0.1 still sends "Host: evil.example" and "Origin: http://evil.example", so both headers
// must name this server (localhost, 127.0.0.1, [::1] or the bound address, with the bound port)
// or an origin the operator allowed.
#ifndef MCPCAP_GATEWAY_HTTP_HOST_CHECK_H_
#define MCPCAP_GATEWAY_HTTP_HOST_CHECK_H_

#include <string>
#include <vector>

namespace mcpcap::gateway {

class HostCheck {
 public:
  // `bound_host` is the address we listen on; `allowed_origins` are full origins such as
  // "https://mcp.example.com" (their host[:port] is then a valid Host too).
  HostCheck(const std::string& bound_host, int port,
            const std::vector<std::string>& allowed_origins);

  bool HostAllowed(const std::string& host_header) const;
  // An absent Origin (non-browser clients) is allowed; "null" is not.
  bool OriginAllowed(const std::string& origin) const;

 private:
  std::vector<std::string> hosts_;    // "host:port", lower case
  std::vector<std::string> origins_;  // "scheme://host:port", lower case, explicit port
};

// "http://Example.com" -> "http://example.com:80"; empty when it is not an http(s) origin.
std::string NormalizeOrigin(const std::string& origin);

}  // namespace mcpcap::gateway

#endif  // MCPCAP_GATEWAY_HTTP_HOST_CHECK_H_
