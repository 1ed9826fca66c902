// Page tokens: which listing, where its next page starts, and which request (capture and
// arguments) they belong to. Opaque to callers (URL-safe base64), checked on the way back in.
#ifndef MCPCAP_BACKEND_ANALYSIS_COMMON_PAGE_TOKEN_H_
#define MCPCAP_BACKEND_ANALYSIS_COMMON_PAGE_TOKEN_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace mcpcap {

struct PageToken {
  std::string listing;
  uint64_t offset = 0;
  std::string request_key;
};

std::string EncodePageToken(const PageToken& token);
// INVALID_ARGUMENT on options.page_token when the text is not a token of ours.
absl::StatusOr<PageToken> DecodePageToken(absl::string_view text);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_COMMON_PAGE_TOKEN_H_
