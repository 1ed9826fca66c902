// The entry point: decode one captured frame to layer 4, without allocating or copying.
//
//   DecodedPacket pkt;  // reuse one per thread; DecodePacket resets it
//   DecodePacket(record.link_type, record.data, record.origlen, &pkt);
//   if (pkt.l4_kind == L4Kind::kTcp) ... pkt.tcp.seq ... pkt.payload ...
#ifndef MCPCAP_BACKEND_DISSECT_DECODER_H_
#define MCPCAP_BACKEND_DISSECT_DECODER_H_

#include <cstdint>

#include "backend/base/byte_reader.h"
#include "backend/dissect/link_layer.h"
#include "backend/dissect/packet.h"

namespace mcpcap {

// Decodes `frame` (the captured bytes) of link type `link_type` (LINKTYPE_*) into *out, which is
// reset first. `wire_length` is the frame's length on the wire (origlen); when it exceeds
// frame.size() the frame is flagged snaplen_truncated and lengths that run past the capture are
// not reported as anomalies. Never fails: problems are recorded in out->anomalies and decoding
// stops at the layer that had them.
void DecodePacket(uint16_t link_type, Bytes frame, uint32_t wire_length, DecodedPacket* out);

// Same, for a frame known to be captured whole.
inline void DecodePacket(uint16_t link_type, Bytes frame, DecodedPacket* out) {
  DecodePacket(link_type, frame, static_cast<uint32_t>(frame.size()), out);
}

// Decodes a transport header given the IP protocol number, e.g. over a reassembled IP payload.
// Sets l4_kind, ports, tcp/udp/icmp and payload of *out without resetting the rest.
void DecodeTransport(uint8_t protocol, Bytes ip_payload, DecodedPacket* out);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_DISSECT_DECODER_H_
