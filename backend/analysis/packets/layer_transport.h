// Transport layers of get_packet_details: TCP (flags, options, raw sequence numbers: relative ones
// need the stream's state), UDP, ICMP and ICMPv6 (the packet an error quotes is returned for the
// caller to decode as further layers, as Wireshark does).
#ifndef MCPCAP_BACKEND_ANALYSIS_PACKETS_LAYER_TRANSPORT_H_
#define MCPCAP_BACKEND_ANALYSIS_PACKETS_LAYER_TRANSPORT_H_

#include <cstddef>
#include <cstdint>

#include "backend/analysis/packets/layer_fields.h"
#include "backend/base/byte_reader.h"

namespace mcpcap {

struct TransportNext {
  bool complete = false;  // the header was captured whole and is sane
  uint16_t src_port = 0;
  uint16_t dst_port = 0;
  Bytes payload;  // captured bytes after the header (within the UDP length)
  Bytes quoted;   // ICMP/ICMPv6 errors: the offending packet's start
};

// `wire_length`: the segment's length as the IP header announces it (for tcp.len).
TransportNext AddTcpLayer(LayerContext* ctx, Bytes segment, size_t wire_length);
TransportNext AddUdpLayer(LayerContext* ctx, Bytes datagram);
TransportNext AddIcmpLayer(LayerContext* ctx, Bytes message);
TransportNext AddIcmpv6Layer(LayerContext* ctx, Bytes message);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_PACKETS_LAYER_TRANSPORT_H_
