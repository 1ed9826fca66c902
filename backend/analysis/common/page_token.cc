#include "backend/analysis/common/page_token.h"

#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "backend/base/error_details.h"

namespace mcpcap {
namespace {

// A version tag, so a later token layout can be told apart.
constexpr char kTokenVersion[] = "p1";
constexpr size_t kMaxTokenBytes = 512;

absl::Status BadToken(absl::string_view why) {
  return FieldError("options.page_token",
                    absl::StrCat("page_token is not one mcpcapd gave (", why,
                                 "): pass a `next_page_token` from `capture.partial_listings` "
                                 "unchanged"));
}

}  // namespace

std::string EncodePageToken(const PageToken& token) {
  return absl::WebSafeBase64Escape(absl::StrCat(kTokenVersion, "\n", token.listing, "\n",
                                                token.offset, "\n", token.request_key));
}

absl::StatusOr<PageToken> DecodePageToken(absl::string_view text) {
  if (text.size() > kMaxTokenBytes) return BadToken("too long");
  std::string raw;
  if (!absl::WebSafeBase64Unescape(text, &raw)) return BadToken("not base64");
  std::vector<std::string> parts = absl::StrSplit(raw, '\n');
  PageToken token;
  if (parts.size() != 4 || parts[0] != kTokenVersion || parts[1].empty() ||
      !absl::SimpleAtoi(parts[2], &token.offset)) {
    return BadToken("malformed");
  }
  token.listing = std::move(parts[1]);
  token.request_key = std::move(parts[3]);
  return token;
}

}  // namespace mcpcap
