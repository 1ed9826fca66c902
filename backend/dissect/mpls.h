// An MPLS label stack (unicast 0x8847, multicast 0x8848) between a link header and IPv4/IPv6.
#ifndef MCPCAP_BACKEND_DISSECT_MPLS_H_
#define MCPCAP_BACKEND_DISSECT_MPLS_H_

#include "backend/base/byte_reader.h"
#include "backend/dissect/packet.h"

namespace mcpcap {

inline constexpr int kMaxMplsLabels = 16;

inline bool IsMplsEthertype(uint16_t ethertype) {
  return ethertype == 0x8847 || ethertype == 0x8848;
}

// Skips the labels up to the bottom of the stack and names the payload by its version nibble
// (4 or 6; ethertype 0 for anything else, e.g. a pseudowire). False (with an anomaly) when the
// stack is cut short or deeper than kMaxMplsLabels.
bool DecodeMplsStack(Bytes* data, DecodedPacket* out);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_DISSECT_MPLS_H_
