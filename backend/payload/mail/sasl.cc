#include "backend/payload/mail/sasl.h"

#include "absl/strings/escaping.h"
#include "backend/payload/common/app_events.h"
#include "backend/payload/common/text_bounds.h"

namespace mcpcap::payload {
namespace {

bool Decode(absl::string_view base64, std::string* out) {
  if (base64.empty() || base64.size() > 4 * kMaxValueBytes) return false;
  return absl::Base64Unescape(base64, out);
}

}  // namespace

std::string SaslPlainUser(absl::string_view base64) {
  std::string decoded;
  if (!Decode(base64, &decoded)) return "";
  const size_t first = decoded.find('\0');
  if (first == std::string::npos) return "";
  const size_t second = decoded.find('\0', first + 1);
  if (second == std::string::npos) return "";
  const absl::string_view authcid =
      absl::string_view(decoded).substr(first + 1, second - first - 1);
  return BoundedValue(authcid);
}

std::string SaslLoginUser(absl::string_view base64) {
  std::string decoded;
  if (!Decode(base64, &decoded)) return "";
  return decoded.find('\0') == std::string::npos ? BoundedValue(decoded) : "";
}

}  // namespace mcpcap::payload
