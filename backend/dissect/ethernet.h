// Ethernet II / 802.3 header.
#ifndef MCPCAP_BACKEND_DISSECT_ETHERNET_H_
#define MCPCAP_BACKEND_DISSECT_ETHERNET_H_

#include "backend/base/byte_reader.h"
#include "backend/dissect/packet.h"

namespace mcpcap {

inline constexpr uint16_t kEthertypeIpv4 = 0x0800;
inline constexpr uint16_t kEthertypeArp = 0x0806;
inline constexpr uint16_t kEthertypeIpv6 = 0x86dd;
inline constexpr uint16_t kEthertypeRarp = 0x8035;
inline constexpr size_t kEthernetHeaderLength = 14;

// Fills MACs and ethertype; *next gets the bytes after the header. False (with an anomaly) when
// the header is cut short.
bool DecodeEthernet(Bytes frame, DecodedPacket* out, Bytes* next);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_DISSECT_ETHERNET_H_
