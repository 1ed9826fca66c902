// TCP sequence-number arithmetic modulo 2^32 (RFC 1982 style): a is "before" b when the signed
// distance from b to a is negative, so comparisons survive wrap-around.
#ifndef MCPCAP_BACKEND_TCP_SEQ_MATH_H_
#define MCPCAP_BACKEND_TCP_SEQ_MATH_H_

#include <cstdint>

namespace mcpcap {

inline bool SeqLt(uint32_t a, uint32_t b) { return static_cast<int32_t>(a - b) < 0; }
inline bool SeqLe(uint32_t a, uint32_t b) { return static_cast<int32_t>(a - b) <= 0; }
// Written as Wireshark's GT_SEQ (b - a), so at a distance of exactly 2^31 a is both before and
// after b, as there: the tcp.analysis flags then agree on such (fuzzed) sequence jumps too.
inline bool SeqGt(uint32_t a, uint32_t b) { return static_cast<int32_t>(b - a) < 0; }

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_TCP_SEQ_MATH_H_
