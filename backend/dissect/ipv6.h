// IPv6 header and its extension-header chain.
#ifndef MCPCAP_BACKEND_DISSECT_IPV6_H_
#define MCPCAP_BACKEND_DISSECT_IPV6_H_

#include <cstddef>

#include "backend/base/byte_reader.h"
#include "backend/dissect/packet.h"

namespace mcpcap {

// Longer chains are reported as ipv6_extension_chain_too_long (real traffic has a handful).
inline constexpr int kMaxIpv6ExtensionHeaders = 16;

// Fills out->ip and sets l3_kind when the fixed header is sound, then walks hop-by-hop, routing,
// fragment, destination options and AH headers; ip.protocol is the first other next header (ESP
// and "no next header" end the walk). out->ip.payload is the captured rest and
// *wire_payload_length its length as the header claims. Returns true when the transport header
// should be decoded next (chain sound, not a fragment, not ESP/no-next-header).
bool DecodeIpv6(Bytes data, DecodedPacket* out, size_t* wire_payload_length);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_DISSECT_IPV6_H_
