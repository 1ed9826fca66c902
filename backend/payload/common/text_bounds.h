// Bounded, printable copies of texts taken from the wire, and the one rule for masking secrets:
// shared by every payload parser so that all of them cut, clean and mask texts the same way.
#ifndef MCPCAP_BACKEND_PAYLOAD_COMMON_TEXT_BOUNDS_H_
#define MCPCAP_BACKEND_PAYLOAD_COMMON_TEXT_BOUNDS_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "backend/payload/common/app_events.h"

namespace mcpcap::payload {

// A copy of a text taken from the wire, at most `max_bytes`: `text` holds its first bytes and
// `full_length` is its length on the wire; a cut text ends with "...". Invalid UTF-8 bytes
// become '?' so that the result is always valid UTF-8.
std::string BoundedText(absl::string_view text, uint64_t full_length,
                        size_t max_bytes = kMaxTextBytes);
// The same, at most kMaxValueBytes (names, versions, parameter values).
inline std::string BoundedValue(absl::string_view text) {
  return BoundedText(text, text.size(), kMaxValueBytes);
}

// `text` on one line for a summary: runs of white space become one space, at most `max_bytes`
// (cut: ends "..."), valid UTF-8.
std::string OneLine(absl::string_view text, size_t max_bytes);

// A masked form of a secret for Credential::evidence: "abcd****" for a long secret, "ab****" for
// a medium one, "****" for a short one: never more than a quarter of it. One rule for every
// protocol.
std::string MaskSecret(absl::string_view secret);

}  // namespace mcpcap::payload

#endif  // MCPCAP_BACKEND_PAYLOAD_COMMON_TEXT_BOUNDS_H_
