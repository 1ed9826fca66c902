#include "backend/dissect/ip_address.h"

#include <arpa/inet.h>

namespace mcpcap {
namespace {

size_t WriteDecimal(uint8_t v, char* out) {
  size_t n = 0;
  if (v >= 100) out[n++] = static_cast<char>('0' + v / 100);
  if (v >= 10) out[n++] = static_cast<char>('0' + v / 10 % 10);
  out[n++] = static_cast<char>('0' + v % 10);
  return n;
}

size_t WriteDottedQuad(const uint8_t* p, char* out) {
  size_t n = 0;
  for (int i = 0; i < 4; ++i) {
    if (i > 0) out[n++] = '.';
    n += WriteDecimal(p[i], out + n);
  }
  return n;
}

size_t WriteHexGroup(uint16_t v, char* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  size_t n = 0;
  bool started = false;
  for (int shift = 12; shift >= 0; shift -= 4) {
    unsigned nibble = (v >> shift) & 0xf;
    if (nibble != 0 || started || shift == 0) {
      out[n++] = kHex[nibble];
      started = true;
    }
  }
  return n;
}

size_t WriteIpv6(const uint8_t* p, char* out) {
  uint16_t groups[8];
  for (int i = 0; i < 8; ++i) groups[i] = static_cast<uint16_t>(p[2 * i] << 8 | p[2 * i + 1]);

  // RFC 5952 4.2: compress the longest run of two or more zero groups, the first on a tie.
  int best_start = -1, best_len = 0;
  for (int i = 0; i < 8;) {
    if (groups[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && groups[j] == 0) ++j;
    if (j - i > best_len && j - i >= 2) {
      best_start = i;
      best_len = j - i;
    }
    i = j;
  }

  // RFC 5952 5: IPv4-mapped addresses keep the dotted quad.
  bool mapped = best_start == 0 && best_len == 5 && groups[5] == 0xffff;
  size_t n = 0;
  int last_group = mapped ? 6 : 8;
  for (int i = 0; i < last_group;) {
    if (i == best_start) {
      out[n++] = ':';
      out[n++] = ':';
      i += best_len;
      continue;
    }
    if (i > 0 && i != best_start + best_len) out[n++] = ':';
    n += WriteHexGroup(groups[i], out + n);
    ++i;
  }
  if (mapped) {
    out[n++] = ':';
    n += WriteDottedQuad(p + 12, out + n);
  }
  return n;
}

}  // namespace

size_t IpAddress::ToChars(char* buf) const {
  size_t n = 0;
  if (version_ == 4) n = WriteDottedQuad(bytes_, buf);
  if (version_ == 6) n = WriteIpv6(bytes_, buf);
  buf[n] = '\0';
  return n;
}

std::string IpAddress::ToString() const {
  char buf[kMaxTextLength];
  size_t n = ToChars(buf);
  return std::string(buf, n);
}

bool IpAddress::Parse(const std::string& text, IpAddress* out) {
  uint8_t buf[16];
  if (text.size() > 64) return false;
  if (inet_pton(AF_INET, text.c_str(), buf) == 1) {
    *out = V4(buf);
    return true;
  }
  if (inet_pton(AF_INET6, text.c_str(), buf) == 1) {
    *out = V6(buf);
    return true;
  }
  return false;
}

}  // namespace mcpcap
