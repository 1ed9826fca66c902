#include "backend/analysis/packets/search_pattern.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "re2/re2.h"

namespace mcpcap {
namespace {

// Memory RE2 may use for one expression (bounds the program and its DFA cache).
constexpr int64_t kMaxRegexMemory = int64_t{8} << 20;

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

absl::StatusOr<std::string> ParseHexBytes(const std::string& text) {
  std::string digits;
  absl::string_view rest = text;
  while (!rest.empty()) {
    const char c = rest.front();
    if (c == ' ' || c == ':' || c == '-' || c == '\t' || c == ',') {
      rest.remove_prefix(1);
    } else if (rest.size() >= 2 && c == '0' && (rest[1] == 'x' || rest[1] == 'X')) {
      rest.remove_prefix(2);
    } else if (HexValue(c) >= 0) {
      digits += c;
      rest.remove_prefix(1);
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("hex pattern: '", std::string(1, c), "' is not a hex digit"));
    }
  }
  if (digits.empty()) return absl::InvalidArgumentError("hex pattern has no bytes");
  if (digits.size() % 2 != 0) {
    return absl::InvalidArgumentError("hex pattern has an odd number of digits");
  }
  std::string bytes;
  for (size_t i = 0; i < digits.size(); i += 2) {
    bytes += static_cast<char>(HexValue(digits[i]) * 16 + HexValue(digits[i + 1]));
  }
  return bytes;
}

absl::StatusOr<SearchPattern> SearchPattern::Compile(const std::string& pattern,
                                                     v1::SearchKind kind,
                                                     std::optional<bool> case_insensitive) {
  if (pattern.empty()) return absl::InvalidArgumentError("pattern is empty");
  if (pattern.size() > kMaxSearchPatternLength) {
    return absl::InvalidArgumentError(
        absl::StrCat("pattern is longer than ", kMaxSearchPatternLength, " characters"));
  }
  SearchPattern out;
  switch (kind) {
    case v1::SEARCH_KIND_HEX: {
      auto bytes = ParseHexBytes(pattern);
      if (!bytes.ok()) return bytes.status();
      out.needle_ = *std::move(bytes);
      return out;
    }
    case v1::SEARCH_KIND_REGEX: {
      RE2::Options options;
      options.set_encoding(RE2::Options::EncodingLatin1);  // one character per frame byte
      options.set_case_sensitive(!case_insensitive.value_or(true));
      options.set_log_errors(false);
      options.set_max_mem(kMaxRegexMemory);
      auto regex = std::make_shared<RE2>(pattern, options);
      if (!regex->ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("regex does not compile (RE2 syntax: no backreferences or "
                         "lookaround): ",
                         regex->error()));
      }
      if (regex->ProgramSize() > kMaxRegexProgramSize) {
        return absl::InvalidArgumentError(
            absl::StrCat("regex is too large (", regex->ProgramSize(), " > ", kMaxRegexProgramSize,
                         " instructions): use a shorter pattern or smaller repetition counts"));
      }
      out.regex_ = std::move(regex);
      return out;
    }
    case v1::SEARCH_KIND_STRING:
    case v1::SEARCH_KIND_UNSPECIFIED:
    default:
      out.fold_case_ = case_insensitive.value_or(false);
      out.needle_ = out.fold_case_ ? absl::AsciiStrToLower(pattern) : pattern;
      return out;
  }
}

std::optional<SearchHit> SearchPattern::Find(Bytes data) const {
  const absl::string_view text(reinterpret_cast<const char*>(data.data()), data.size());
  if (regex_ != nullptr) {
    re2::StringPiece match;
    if (!regex_->Match(re2::StringPiece(text.data(), text.size()), 0, text.size(), RE2::UNANCHORED,
                       &match, 1)) {
      return std::nullopt;
    }
    return SearchHit{static_cast<size_t>(match.data() - text.data()), match.size()};
  }
  if (!fold_case_) {
    const size_t at = text.find(needle_);
    if (at == absl::string_view::npos) return std::nullopt;
    return SearchHit{at, needle_.size()};
  }
  const auto it = std::search(text.begin(), text.end(), needle_.begin(), needle_.end(),
                              [](char a, char b) { return absl::ascii_tolower(a) == b; });
  if (it == text.end()) return std::nullopt;
  return SearchHit{static_cast<size_t>(it - text.begin()), needle_.size()};
}

}  // namespace mcpcap
