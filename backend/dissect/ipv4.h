// IPv4 header (options skipped, not parsed).
#ifndef MCPCAP_BACKEND_DISSECT_IPV4_H_
#define MCPCAP_BACKEND_DISSECT_IPV4_H_

#include <cstddef>

#include "backend/base/byte_reader.h"
#include "backend/dissect/packet.h"

namespace mcpcap {

// Fills out->ip and sets l3_kind when the header is sound; out->ip.payload is the captured part
// of the payload and *wire_payload_length its length as the header claims. Returns true when the
// transport header should be decoded next (sound header, not a fragment).
bool DecodeIpv4(Bytes data, DecodedPacket* out, size_t* wire_payload_length);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_DISSECT_IPV4_H_
