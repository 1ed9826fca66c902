// Linux netfilter NFLOG (LINKTYPE_NFLOG): a 4-byte header (address family, version, resource
// id) and a walk of type-length-value attributes, one of which (NFULA_PAYLOAD) holds the packet.
#ifndef MCPCAP_BACKEND_DISSECT_NFLOG_H_
#define MCPCAP_BACKEND_DISSECT_NFLOG_H_

#include "backend/base/byte_reader.h"
#include "backend/dissect/packet.h"

namespace mcpcap {

// Sets ethertype from the address family (AF_INET, AF_INET6; 0 for any other) and *next to the
// NFULA_PAYLOAD value. False (with an anomaly) when the header or a TLV is cut short or the
// packet has no payload attribute.
bool DecodeNflog(Bytes frame, DecodedPacket* out, Bytes* next);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_DISSECT_NFLOG_H_
