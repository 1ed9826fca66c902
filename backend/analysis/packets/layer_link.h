// Link and ARP layers of get_packet_details: Ethernet (and 802.1Q tags), Linux cooked (SLL,
// SLL2), BSD null/loopback; other links as a layer without fields.
#ifndef MCPCAP_BACKEND_ANALYSIS_PACKETS_LAYER_LINK_H_
#define MCPCAP_BACKEND_ANALYSIS_PACKETS_LAYER_LINK_H_

#include <cstdint>

#include "backend/analysis/packets/layer_fields.h"
#include "backend/base/byte_reader.h"
#include "backend/dissect/packet.h"

namespace mcpcap {

// The link layers of `frame` (of LINKTYPE `link_type`). `link` is what DecodeLinkLayer found
// (its VLAN tags); `network` the start of the network header, null when the link header broke.
void AddLinkLayers(LayerContext* ctx, uint16_t link_type, Bytes frame, const DecodedPacket& link,
                   const uint8_t* network);

// ARP/RARP: the fixed part, then the addresses for Ethernet/IPv4.
void AddArpLayer(LayerContext* ctx, Bytes arp);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_PACKETS_LAYER_LINK_H_
