// ICMP (IPv4) and ICMPv6 headers: type, code, echo id/seq, and the quoted packet of errors.
#ifndef MCPCAP_BACKEND_DISSECT_ICMP_H_
#define MCPCAP_BACKEND_DISSECT_ICMP_H_

#include "backend/base/byte_reader.h"
#include "backend/dissect/packet.h"

namespace mcpcap {

// `data` is the captured IP payload. Fills out->icmp and out->payload (the bytes after the
// 8-byte header, or after 4 bytes for short messages of other types) and sets l4_kind. A header
// cut short still sets l4_kind (with icmp.header_truncated) when at least its type was captured.
void DecodeIcmp(Bytes data, DecodedPacket* out);
void DecodeIcmpv6(Bytes data, DecodedPacket* out);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_DISSECT_ICMP_H_
