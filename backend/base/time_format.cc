#include "backend/base/time_format.h"

#include <cstdio>
#include <ctime>
#include <limits>

namespace mcpcap {

std::string FormatUtcIso(int64_t sec, uint32_t nsec, int digits) {
  if (digits < 0) digits = 0;
  if (digits > 9) digits = 9;
  // Classic pcap may hold a "fraction" of a second or more: carry it into the seconds.
  const int64_t carry = nsec / 1000000000u;
  if (sec <= std::numeric_limits<int64_t>::max() - carry) sec += carry;
  nsec %= 1000000000u;
  std::time_t t = static_cast<std::time_t>(sec);
  std::tm tm{};
  if (gmtime_r(&t, &tm) == nullptr) return "invalid-time";
  char buf[64];
  int n = std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900,
                        tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  if (digits > 0) {
    uint32_t frac = nsec;
    for (int i = digits; i < 9; ++i) frac /= 10;
    n += std::snprintf(buf + n, sizeof buf - n, ".%0*u", digits, frac);
  }
  std::snprintf(buf + n, sizeof buf - n, "Z");
  return buf;
}

}  // namespace mcpcap
