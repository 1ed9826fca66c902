// The packet an ICMP error quotes (RFC 792 / 4443): the header of the datagram that failed and
// the first bytes of its transport header, which is what names the real target and port.
#ifndef MCPCAP_BACKEND_ANALYSIS_ICMP_ICMP_QUOTED_H_
#define MCPCAP_BACKEND_ANALYSIS_ICMP_ICMP_QUOTED_H_

#include <cstdint>

#include "backend/base/byte_reader.h"
#include "backend/dissect/ip_address.h"

namespace mcpcap {

struct IcmpQuoted {
  bool ok = false;  // an IPv4 or IPv6 header was quoted
  IpAddress src;
  IpAddress dst;
  uint8_t protocol = 0;
  uint8_t ttl = 0;
  bool has_ports = false;  // TCP, UDP, SCTP, UDP-Lite, first fragment
  uint16_t src_port = 0;
  uint16_t dst_port = 0;
  bool has_echo = false;  // the quoted packet is an ICMP/ICMPv6 echo
  uint16_t echo_id = 0;
  uint16_t echo_seq = 0;
};

// Never fails: a quote too short for a header gives ok = false. The quote is usually cut (8
// bytes of transport), so only the first bytes of the transport header are read.
IcmpQuoted ParseIcmpQuoted(Bytes quoted);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_ICMP_ICMP_QUOTED_H_
