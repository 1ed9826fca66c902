// UTC timestamps for results: ISO-8601 with a fixed number of fractional digits.
#ifndef MCPCAP_BACKEND_BASE_TIME_FORMAT_H_
#define MCPCAP_BACKEND_BASE_TIME_FORMAT_H_

#include <cstdint>
#include <string>

namespace mcpcap {

// "2023-11-14T22:13:20.010000Z" for digits = 6; digits in [0, 9].
std::string FormatUtcIso(int64_t sec, uint32_t nsec, int digits);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_BASE_TIME_FORMAT_H_
