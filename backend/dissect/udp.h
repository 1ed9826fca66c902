// UDP header.
#ifndef MCPCAP_BACKEND_DISSECT_UDP_H_
#define MCPCAP_BACKEND_DISSECT_UDP_H_

#include <cstddef>

#include "backend/base/byte_reader.h"
#include "backend/dissect/packet.h"

namespace mcpcap {

// `data` is the captured IP payload, `wire_length` its length as IP claims. Fills ports,
// out->udp and out->payload (clamped to the UDP length) and sets l4_kind when the header is sound.
void DecodeUdp(Bytes data, size_t wire_length, DecodedPacket* out);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_DISSECT_UDP_H_
