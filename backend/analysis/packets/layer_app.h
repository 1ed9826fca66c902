// Application layers of get_packet_details, as far as our parsers decode one packet's payload:
// DNS (also mDNS, LLMNR, DNS over TCP), DHCP (layer_dns.cc), HTTP/1.x heads, SIP and TLS records
// (layer_web.cc). Only what this packet carries: a message split over segments shows its start.
#ifndef MCPCAP_BACKEND_ANALYSIS_PACKETS_LAYER_APP_H_
#define MCPCAP_BACKEND_ANALYSIS_PACKETS_LAYER_APP_H_

#include <cstdint>

#include "backend/analysis/packets/layer_fields.h"
#include "backend/base/byte_reader.h"

namespace mcpcap {

// The application layer of a TCP segment's or UDP datagram's payload, when we recognise one.
void AddApplicationLayers(LayerContext* ctx, bool tcp, uint16_t src_port, uint16_t dst_port,
                          Bytes payload);

// Each adds its layer when `payload` holds its protocol and returns whether it did.
bool AddDnsLayer(LayerContext* ctx, bool tcp, uint16_t src_port, uint16_t dst_port, Bytes payload);
bool AddDhcpLayer(LayerContext* ctx, uint16_t src_port, uint16_t dst_port, Bytes payload);
bool AddSipLayer(LayerContext* ctx, bool tcp, uint16_t src_port, uint16_t dst_port, Bytes payload);
bool AddHttpLayer(LayerContext* ctx, Bytes payload);
bool AddTlsLayer(LayerContext* ctx, Bytes payload);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_PACKETS_LAYER_APP_H_
