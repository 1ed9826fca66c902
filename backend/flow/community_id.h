// Community ID v1 (corelight/community-id-spec): one string naming a flow the same way in every
// tool that implements it (Zeek, Suricata, tshark's communityid post-dissector), so that a model
// can carry a flow from our answers to theirs. "1:" + base64(SHA-1(seed, ordered endpoints,
// protocol, ports)); ICMP types stand in for ports, request and reply types pairing up.
#ifndef MCPCAP_BACKEND_FLOW_COMMUNITY_ID_H_
#define MCPCAP_BACKEND_FLOW_COMMUNITY_ID_H_

#include <cstdint>
#include <string>

#include "backend/dissect/ip_address.h"

namespace mcpcap {

// One packet's flow as the spec reads it: addresses, IP protocol number and, for TCP, UDP and
// SCTP, the ports; for ICMP and ICMPv6 the type and code.
struct CommunityIdTuple {
  IpAddress src;
  IpAddress dst;
  uint8_t protocol = 0;
  uint16_t src_port = 0;  // or the ICMP type
  uint16_t dst_port = 0;  // or the ICMP code
  // False when the transport header was not captured (a snapped ICMP header): the ID then
  // covers addresses and protocol only, as the reference implementation does.
  bool has_ports = true;
};

// The Community ID of the tuple ("1:...="); empty when the addresses are not one family.
std::string CommunityId(const CommunityIdTuple& tuple, uint16_t seed = 0);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_FLOW_COMMUNITY_ID_H_
