#include "backend/payload/common/text_bounds.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace mcpcap::payload {
namespace {

bool IsUtf8Continuation(uint8_t b) { return (b & 0xC0) == 0x80; }

// Length of the valid UTF-8 sequence starting at s[i], or 0 when it is not valid.
size_t Utf8SequenceLength(absl::string_view s, size_t i) {
  const auto b = static_cast<uint8_t>(s[i]);
  size_t n = 0;
  if (b < 0x80) return 1;
  if (b >= 0xC2 && b <= 0xDF) n = 2;
  if (b >= 0xE0 && b <= 0xEF) n = 3;
  if (b >= 0xF0 && b <= 0xF4) n = 4;
  if (n == 0 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if (!IsUtf8Continuation(static_cast<uint8_t>(s[i + k]))) return 0;
  }
  const auto b1 = static_cast<uint8_t>(s[i + 1]);
  if (b == 0xE0 && b1 < 0xA0) return 0;   // overlong
  if (b == 0xED && b1 >= 0xA0) return 0;  // surrogates
  if (b == 0xF0 && b1 < 0x90) return 0;   // overlong
  if (b == 0xF4 && b1 >= 0x90) return 0;  // past U+10FFFF
  return n;
}

}  // namespace

std::string BoundedText(absl::string_view text, uint64_t full_length, size_t max_bytes) {
  max_bytes = std::max<size_t>(max_bytes, 4);
  const bool cut = full_length > max_bytes || text.size() > max_bytes;
  if (cut) {
    size_t keep = std::min(text.size(), max_bytes - 3);
    while (keep > 0 && keep < text.size() && IsUtf8Continuation(static_cast<uint8_t>(text[keep]))) {
      --keep;
    }
    text = text.substr(0, keep);
  }
  std::string out;
  out.reserve(text.size() + 3);
  for (size_t i = 0; i < text.size();) {
    const size_t n = Utf8SequenceLength(text, i);
    if (n == 0) {
      out.push_back('?');
      ++i;
    } else {
      out.append(text.data() + i, n);
      i += n;
    }
  }
  if (cut) out += "...";
  return out;
}

std::string OneLine(absl::string_view text, size_t max_bytes) {
  std::string flat;
  flat.reserve(std::min(text.size(), max_bytes + 4));
  bool space = false;
  for (const char c : text) {
    if (flat.size() > max_bytes) break;
    if (absl::ascii_isspace(static_cast<unsigned char>(c)) || c == '\0') {
      space = !flat.empty();
      continue;
    }
    if (space) flat.push_back(' ');
    space = false;
    flat.push_back(c);
  }
  if (flat.size() <= max_bytes) return BoundedText(flat, flat.size());
  std::string cut = BoundedText(flat.substr(0, max_bytes > 3 ? max_bytes - 3 : 0), max_bytes - 3);
  return cut + "...";
}

std::string MaskSecret(absl::string_view secret) {
  const size_t shown = secret.size() >= 16 ? 4 : secret.size() >= 8 ? 2 : 0;
  return absl::StrCat(secret.substr(0, shown), "****");
}

}  // namespace mcpcap::payload
