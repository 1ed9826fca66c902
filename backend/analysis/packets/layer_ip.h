// IPv4 and IPv6 layers of get_packet_details (each IPv6 extension header a layer of its own, as
// Wireshark's protocols), read from the header bytes themselves so a cut header still shows what
// was captured.
#ifndef MCPCAP_BACKEND_ANALYSIS_PACKETS_LAYER_IP_H_
#define MCPCAP_BACKEND_ANALYSIS_PACKETS_LAYER_IP_H_

#include <cstdint>

#include "backend/analysis/packets/layer_fields.h"
#include "backend/base/byte_reader.h"

namespace mcpcap {

// What follows an IP header.
struct IpNext {
  bool complete = false;           // the whole header was captured and is sane
  bool fragment = false;           // a fragment: the transport is not in this packet alone
  uint8_t protocol = 0;            // after extension headers
  Bytes payload;                   // captured bytes after the header(s), within the IP length
  size_t wire_payload_length = 0;  // as the IP length announces it
};

// `wire_size`: the packet's bytes on the wire (for a total length of 0, TCP segmentation offload).
IpNext AddIpv4Layer(LayerContext* ctx, Bytes packet, size_t wire_size);
IpNext AddIpv6Layer(LayerContext* ctx, Bytes packet);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_PACKETS_LAYER_IP_H_
