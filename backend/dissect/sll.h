// Linux "cooked" capture headers: SLL (v1, 16 bytes) and SLL2 (v2, 20 bytes).
#ifndef MCPCAP_BACKEND_DISSECT_SLL_H_
#define MCPCAP_BACKEND_DISSECT_SLL_H_

#include "backend/base/byte_reader.h"
#include "backend/dissect/packet.h"

namespace mcpcap {

inline constexpr size_t kSllHeaderLength = 16;
inline constexpr size_t kSll2HeaderLength = 20;

// Fill packet type, the source MAC when the link address is one, and ethertype; *next gets the
// bytes after the header. False (with an anomaly) when the header is cut short.
bool DecodeSll(Bytes frame, DecodedPacket* out, Bytes* next);
bool DecodeSll2(Bytes frame, DecodedPacket* out, Bytes* next);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_DISSECT_SLL_H_
