// The layers of one frame for get_packet_details, outermost first: link, network, transport,
// then what they carry (tunnels opened, the packet an ICMP error quotes, an application message),
// each with its offset, length and fields, under the bounds of layer_fields.h.
#ifndef MCPCAP_BACKEND_ANALYSIS_PACKETS_PACKET_LAYERS_H_
#define MCPCAP_BACKEND_ANALYSIS_PACKETS_PACKET_LAYERS_H_

#include "backend/analysis/common/frame_scan.h"
#include "mcpcap/v1/packets.pb.h"

namespace mcpcap {

// Appends the layers of `frame` to out->layers.
void AddPacketLayers(const Frame& frame, v1::GetPacketDetailsResponse* out);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_PACKETS_PACKET_LAYERS_H_
