// The pattern of search_packets, compiled once: a string (frame contains "text"), hex bytes
// (frame contains 16:03:01) or an RE2 regular expression over the bytes read as Latin-1 (frame
// matches "re", case-insensitive by default as in tshark).
#ifndef MCPCAP_BACKEND_ANALYSIS_PACKETS_SEARCH_PATTERN_H_
#define MCPCAP_BACKEND_ANALYSIS_PACKETS_SEARCH_PATTERN_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "backend/base/byte_reader.h"
#include "mcpcap/v1/packets.pb.h"

namespace re2 {
class RE2;
}

namespace mcpcap {

// Longest pattern accepted (characters as given).
inline constexpr size_t kMaxSearchPatternLength = 1024;
// Largest compiled regular expression (RE2 program instructions).
inline constexpr int kMaxRegexProgramSize = 20000;

struct SearchHit {
  size_t offset = 0;
  size_t length = 0;
};

class SearchPattern {
 public:
  // INVALID_ARGUMENT for an empty or too long pattern, odd or non-hex digits, or a regular
  // expression RE2 cannot compile or that is too large. `case_insensitive` unset: tshark's
  // default (strings match case, regular expressions do not); hex ignores it.
  static absl::StatusOr<SearchPattern> Compile(const std::string& pattern, v1::SearchKind kind,
                                               std::optional<bool> case_insensitive);

  // The first match in `data`, if any.
  std::optional<SearchHit> Find(Bytes data) const;

 private:
  SearchPattern() = default;

  std::string needle_;               // string and hex: the bytes (lower case when folding)
  bool fold_case_ = false;           // string: compare ASCII letters without case
  std::shared_ptr<re2::RE2> regex_;  // regex kind
};

// Parses "16 03 01", "16:03:01", "16-03-01" or "160301" (optionally "0x"-prefixed) into bytes.
absl::StatusOr<std::string> ParseHexBytes(const std::string& text);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_PACKETS_SEARCH_PATTERN_H_
