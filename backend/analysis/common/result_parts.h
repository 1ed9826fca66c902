// The shared parts of results filled one way everywhere: endpoints, packet references and the
// time an analysis ran.
#ifndef MCPCAP_BACKEND_ANALYSIS_COMMON_RESULT_PARTS_H_
#define MCPCAP_BACKEND_ANALYSIS_COMMON_RESULT_PARTS_H_

#include <cstdint>
#include <string>

#include "backend/base/proto_time.h"
#include "backend/dissect/ip_address.h"
#include "backend/flow/capture_time.h"
#include "mcpcap/v1/capture.pb.h"

namespace mcpcap {

// An address and a TCP or UDP port.
inline void FillEndpoint(const IpAddress& ip, uint16_t port, v1::Endpoint* out) {
  out->set_ip(ip.ToString());
  out->set_port(port);
}

// An address without a port (ICMP, or any port).
inline void FillEndpoint(const IpAddress& ip, v1::Endpoint* out) { out->set_ip(ip.ToString()); }

inline void FillPacketRef(uint64_t frame, CaptureNanos time, v1::PacketRef* out) {
  out->set_packet_number(frame);
  SetTimestampNanos(time, out->mutable_timestamp());
}

// The transport of a message by its IP protocol number (6 TCP, 17 UDP).
inline v1::Transport TransportOf(uint8_t ip_protocol) {
  return ip_protocol == 6    ? v1::TRANSPORT_TCP
         : ip_protocol == 17 ? v1::TRANSPORT_UDP
                             : v1::TRANSPORT_UNSPECIFIED;
}

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_COMMON_RESULT_PARTS_H_
