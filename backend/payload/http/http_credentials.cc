#include "backend/payload/http/http_credentials.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "backend/payload/common/text_bounds.h"

namespace mcpcap::payload {
namespace {

constexpr absl::string_view kPasswordKeys[] = {"password", "passwd", "pwd", "pass"};
constexpr absl::string_view kUserKeys[] = {"user",  "username", "user_name", "login",
                                           "email", "uname",    "usr"};
constexpr absl::string_view kApiKeyHeaders[] = {"X-API-Key",     "Api-Key",
                                                "X-Auth-Token",  "X-Access-Token",
                                                "Private-Token", "X-Amz-Security-Token"};

bool OneOf(absl::string_view key, absl::Span<const absl::string_view> names) {
  for (absl::string_view n : names) {
    if (absl::EqualsIgnoreCase(key, n)) return true;
  }
  return false;
}

std::string Bounded(absl::string_view s) { return std::string(s.substr(0, kMaxValueBytes)); }

// Percent-decoding for user names ('+' is a space in forms); bounded.
std::string FormDecode(absl::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size() && out.size() < kMaxValueBytes; ++i) {
    if (s[i] == '+') {
      out.push_back(' ');
    } else if (s[i] == '%' && i + 2 < s.size() && absl::ascii_isxdigit(s[i + 1]) &&
               absl::ascii_isxdigit(s[i + 2])) {
      auto hex = [](char c) { return absl::ascii_isdigit(c) ? c - '0' : (c | 0x20) - 'a' + 10; };
      out.push_back(static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

void FromAuthorization(absl::string_view header, absl::string_view value,
                       std::vector<Credential>* out) {
  const size_t sp = value.find(' ');
  const absl::string_view scheme = value.substr(0, sp);
  const absl::string_view token = sp == absl::string_view::npos
                                      ? absl::string_view()
                                      : absl::StripAsciiWhitespace(value.substr(sp));
  Credential c;
  if (absl::EqualsIgnoreCase(scheme, "Basic")) {
    c.kind = "http_basic_auth";
    std::string decoded;
    if (absl::Base64Unescape(token, &decoded)) {
      c.user = Bounded(decoded.substr(0, decoded.find(':')));
    }
    c.evidence = absl::StrCat(header, ": Basic ", MaskSecret(token));
  } else if (absl::EqualsIgnoreCase(scheme, "Bearer")) {
    c.kind = "bearer_token";
    c.evidence = absl::StrCat(header, ": Bearer ", MaskSecret(token));
  } else if (absl::EqualsIgnoreCase(scheme, "Digest")) {
    // Digest sends a hash, not the password: the user name is the finding.
    c.kind = "http_digest_auth";
    for (absl::string_view part : absl::StrSplit(token, ',')) {
      part = absl::StripAsciiWhitespace(part);
      if (absl::StartsWithIgnoreCase(part, "username=")) {
        c.user = Bounded(absl::StripPrefix(absl::StripSuffix(part.substr(9), "\""), "\""));
      }
    }
    c.evidence = absl::StrCat(header, ": Digest username=\"", c.user, "\" (password hashed)");
  } else if (absl::EqualsIgnoreCase(scheme, "NTLM") ||
             absl::EqualsIgnoreCase(scheme, "Negotiate")) {
    return;  // challenge-response blobs, no reusable secret in clear
  } else {
    c.kind = "http_authorization";
    c.evidence = absl::StrCat(header, ": ", Bounded(scheme), " ", MaskSecret(token));
  }
  out->push_back(std::move(c));
}

// Cookie names are shown, their values masked.
void FromCookie(absl::string_view value, std::vector<Credential>* out) {
  std::vector<std::string> parts;
  for (absl::string_view cookie : absl::StrSplit(value, ';')) {
    cookie = absl::StripAsciiWhitespace(cookie);
    if (cookie.empty() || parts.size() >= 8) continue;
    const size_t eq = cookie.find('=');
    parts.push_back(
        absl::StrCat(cookie.substr(0, std::min<size_t>(eq, 64)), "=",
                     eq == absl::string_view::npos ? "" : MaskSecret(cookie.substr(eq + 1))));
  }
  if (parts.empty()) return;
  Credential c;
  c.kind = "session_cookie";
  c.evidence = Bounded(absl::StrCat("Cookie: ", absl::StrJoin(parts, "; ")));
  out->push_back(std::move(c));
}

// `where` names the place: "URI query", "form body".
void FromParameters(absl::string_view params, absl::string_view where,
                    std::vector<Credential>* out) {
  std::string user;
  std::vector<std::string> evidence;
  for (absl::string_view pair : absl::StrSplit(params, absl::ByAnyChar("&;"))) {
    const size_t eq = pair.find('=');
    if (eq == absl::string_view::npos) continue;
    const absl::string_view key = pair.substr(0, eq);
    const absl::string_view value = pair.substr(eq + 1);
    if (OneOf(key, kUserKeys) && user.empty()) user = FormDecode(value);
    if (OneOf(key, kPasswordKeys) && !value.empty() && evidence.size() < 4) {
      evidence.push_back(absl::StrCat(Bounded(key), "=", MaskSecret(value)));
    }
  }
  if (evidence.empty()) return;
  Credential c;
  c.kind = "password_in_request";
  c.user = std::move(user);
  c.evidence = absl::StrCat(where, ": ", absl::StrJoin(evidence, "&"));
  out->push_back(std::move(c));
}

}  // namespace

std::vector<Credential> FindHttpCredentials(const HttpHead& head, absl::string_view form_body) {
  std::vector<Credential> out;
  for (const auto& [name, value] : head.headers) {
    if (absl::EqualsIgnoreCase(name, "Authorization") ||
        absl::EqualsIgnoreCase(name, "Proxy-Authorization")) {
      FromAuthorization(name, value, &out);
    } else if (absl::EqualsIgnoreCase(name, "Cookie")) {
      FromCookie(value, &out);
    } else if (OneOf(name, kApiKeyHeaders)) {
      Credential c;
      c.kind = "api_key";
      c.evidence = absl::StrCat(Bounded(name), ": ", MaskSecret(value));
      out.push_back(std::move(c));
    }
  }
  const size_t query = head.uri.find('?');
  if (query != absl::string_view::npos) {
    absl::string_view q = head.uri.substr(query + 1);
    q = q.substr(0, q.find('#'));
    FromParameters(q, "URI query", &out);
  }
  if (!form_body.empty()) FromParameters(form_body, "form body", &out);
  return out;
}

}  // namespace mcpcap::payload
