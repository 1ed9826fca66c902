// LINKTYPE_* numbers and the dispatch from a link type to its header decoder.
#ifndef MCPCAP_BACKEND_DISSECT_LINK_LAYER_H_
#define MCPCAP_BACKEND_DISSECT_LINK_LAYER_H_

#include <cstdint>

#include "backend/base/byte_reader.h"
#include "backend/dissect/packet.h"

namespace mcpcap {

// https://www.tcpdump.org/linktypes.html
inline constexpr uint16_t kLinkTypeNull = 0;
inline constexpr uint16_t kLinkTypeEthernet = 1;
inline constexpr uint16_t kLinkTypePpp = 9;
inline constexpr uint16_t kLinkTypeFddi = 10;
inline constexpr uint16_t kLinkTypeRawAlt12 = 12;  // DLT_RAW on some platforms
inline constexpr uint16_t kLinkTypeRawAlt14 = 14;  // DLT_RAW on OpenBSD
inline constexpr uint16_t kLinkTypePppHdlc = 50;
inline constexpr uint16_t kLinkTypeRaw = 101;
inline constexpr uint16_t kLinkTypeCiscoHdlc = 104;
inline constexpr uint16_t kLinkTypeLoop = 108;
inline constexpr uint16_t kLinkTypeLinuxSll = 113;
inline constexpr uint16_t kLinkTypeIpv4 = 228;
inline constexpr uint16_t kLinkTypeIpv6 = 229;
inline constexpr uint16_t kLinkTypeNflog = 239;
inline constexpr uint16_t kLinkTypeIpoib = 242;
inline constexpr uint16_t kLinkTypeLinuxSll2 = 276;

// Decodes the link header(s) of `frame`, including VLAN tags, MPLS labels and PPPoE sessions.
// On success out->ethertype names the network protocol and *next holds its bytes. False (with an
// anomaly) when decoding stops.
bool DecodeLinkLayer(uint16_t link_type, Bytes frame, DecodedPacket* out, Bytes* next);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_DISSECT_LINK_LAYER_H_
