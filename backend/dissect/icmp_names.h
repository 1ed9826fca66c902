// Names of ICMP and ICMPv6 types and codes, and what each type means for analysis.
//
// Type names keep the wording of the original mcpcap for the types it named ("Echo Request",
// "Destination Unreachable", ...) so prompts and clients that match on them keep working; the
// other types and all codes follow IANA and Wireshark. Unknown values get "Unknown Type (N)" and
// "Unknown Code (N)"; types whose code carries no meaning get "Code N", as the original did.
#ifndef MCPCAP_BACKEND_DISSECT_ICMP_NAMES_H_
#define MCPCAP_BACKEND_DISSECT_ICMP_NAMES_H_

#include <cstdint>
#include <string>

namespace mcpcap {

std::string IcmpTypeName(uint8_t type);
std::string IcmpCodeName(uint8_t type, uint8_t code);
std::string Icmpv6TypeName(uint8_t type);
std::string Icmpv6CodeName(uint8_t type, uint8_t code);

// The same, choosing the family by IP version (4 or 6).
inline std::string IcmpTypeName(int ip_version, uint8_t type) {
  return ip_version == 6 ? Icmpv6TypeName(type) : IcmpTypeName(type);
}
inline std::string IcmpCodeName(int ip_version, uint8_t type, uint8_t code) {
  return ip_version == 6 ? Icmpv6CodeName(type, code) : IcmpCodeName(type, code);
}

// What a message is, across both families.
enum class IcmpKind : uint8_t {
  kOther,
  kEchoRequest,
  kEchoReply,
  kUnreachable,   // v4 3, v6 1
  kTimeExceeded,  // v4 11, v6 3
  kParameterProblem,
  kPacketTooBig,  // v6 2
  kSourceQuench,
  kRedirect,  // v4 5, v6 137
};
IcmpKind ClassifyIcmp(int ip_version, uint8_t type);

// True for a "port unreachable" (v4 3/3, v6 1/4): the destination itself answered.
bool IsPortUnreachable(int ip_version, uint8_t type, uint8_t code);
// True for "TTL / hop limit exceeded in transit" (v4 11/0, v6 3/0): a router on the path answered.
bool IsHopLimitExceeded(int ip_version, uint8_t type, uint8_t code);

// IP protocol numbers as short names ("TCP", "UDP", "ICMP", ...), "IP proto N" otherwise.
std::string IpProtocolName(uint8_t protocol);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_DISSECT_ICMP_NAMES_H_
