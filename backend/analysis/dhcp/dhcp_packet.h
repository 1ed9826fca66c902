// One DHCP message as a result entry: the fixed fields, every option with readable values, and
// the options an analyst asks for first lifted to the top level (as the original did).
#ifndef MCPCAP_BACKEND_ANALYSIS_DHCP_DHCP_PACKET_H_
#define MCPCAP_BACKEND_ANALYSIS_DHCP_DHCP_PACKET_H_

#include <cstdint>

#include "backend/dissect/dhcp.h"
#include "backend/dissect/dhcpv6.h"
#include "mcpcap/v1/dhcp.pb.h"

namespace mcpcap {

// Fills the DHCP part of *out; call after the frame, time and address fields are filled: the roles
// (sender_role, client, server) are read from the message type and those addresses. Option
// anomalies found while formatting are added to msg->anomalies.
void FillDhcpv4Packet(DhcpMessage* msg, v1::DhcpPacket* out);
void FillDhcpv6Packet(const Dhcpv6Message& msg, v1::DhcpPacket* out);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_DHCP_DHCP_PACKET_H_
