// Secrets and identities an HTTP request shows in clear: Authorization and Proxy-Authorization
// (Basic with its decoded user name, Bearer, Digest user names), cookies, API-key headers, and
// passwords in the URI query or in a form body. Evidence names the place and masks the secret.
#ifndef MCPCAP_BACKEND_PAYLOAD_HTTP_HTTP_CREDENTIALS_H_
#define MCPCAP_BACKEND_PAYLOAD_HTTP_HTTP_CREDENTIALS_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "backend/payload/common/app_events.h"
#include "backend/payload/http/http_message.h"

namespace mcpcap::payload {

// At most this many body bytes are searched for form passwords.
inline constexpr size_t kHttpFormPrefixBytes = 1024;

// Credentials in `head` (a request) and in `form_body` (a prefix of an
// application/x-www-form-urlencoded body; empty otherwise). `from` and `at` are left default.
std::vector<Credential> FindHttpCredentials(const HttpHead& head, absl::string_view form_body);

}  // namespace mcpcap::payload

#endif  // MCPCAP_BACKEND_PAYLOAD_HTTP_HTTP_CREDENTIALS_H_
