#include "backend/dissect/icmp_names.h"

#include "absl/strings/str_cat.h"

namespace mcpcap {
namespace {

std::string UnknownType(uint8_t type) { return absl::StrCat("Unknown Type (", type, ")"); }
std::string UnknownCode(uint8_t code) { return absl::StrCat("Unknown Code (", code, ")"); }
std::string PlainCode(uint8_t code) { return absl::StrCat("Code ", code); }

// Looks `code` up in a table indexed by code; nullptr entries and codes past the end are unknown.
template <size_t N>
std::string FromTable(const char* const (&table)[N], uint8_t code) {
  if (code < N && table[code] != nullptr) return table[code];
  return UnknownCode(code);
}

constexpr const char* kUnreachableCodes[] = {
    "Network Unreachable",
    "Host Unreachable",
    "Protocol Unreachable",
    "Port Unreachable",
    "Fragmentation Needed",
    "Source Route Failed",
    "Destination Network Unknown",
    "Destination Host Unknown",
    "Source Host Isolated",
    "Network Administratively Prohibited",
    "Host Administratively Prohibited",
    "Network Unreachable for TOS",
    "Host Unreachable for TOS",
    "Communication Administratively Prohibited",
    "Host Precedence Violation",
    "Precedence Cutoff in Effect",
};
constexpr const char* kRedirectCodes[] = {
    "Redirect for Network",
    "Redirect for Host",
    "Redirect for TOS and Network",
    "Redirect for TOS and Host",
};
constexpr const char* kTimeExceededCodes[] = {
    "TTL Exceeded in Transit",
    "Fragment Reassembly Time Exceeded",
};
constexpr const char* kParameterProblemCodes[] = {
    "Pointer Indicates the Error",
    "Missing a Required Option",
    "Bad Length",
};
constexpr const char* kPhoturisCodes[] = {
    "Bad SPI",           "Authentication Failed", "Decompression Failed",
    "Decryption Failed", "Need Authentication",   "Need Authorization",
};
constexpr const char* kExtendedEchoReplyCodes[] = {
    "No Error",
    "Malformed Query",
    "No Such Interface",
    "No Such Table Entry",
    "Multiple Interfaces Satisfy Query",
};

constexpr const char* kV6UnreachableCodes[] = {
    "No Route to Destination",
    "Communication with Destination Administratively Prohibited",
    "Beyond Scope of Source Address",
    "Address Unreachable",
    "Port Unreachable",
    "Source Address Failed Ingress/Egress Policy",
    "Reject Route to Destination",
    "Error in Source Routing Header",
    "Headers Too Long",
};
constexpr const char* kV6TimeExceededCodes[] = {
    "Hop Limit Exceeded in Transit",
    "Fragment Reassembly Time Exceeded",
};
constexpr const char* kV6ParameterProblemCodes[] = {
    "Erroneous Header Field Encountered",
    "Unrecognized Next Header Type Encountered",
    "Unrecognized IPv6 Option Encountered",
    "IPv6 First Fragment Has Incomplete IPv6 Header Chain",
    "SR Upper-layer Header Error",
    "Unrecognized Next Header Type Encountered by Intermediate Node",
    "Extension Header Too Big",
    "Extension Header Chain Too Long",
    "Too Many Extension Headers",
    "Too Many Options in Extension Header",
    "Option Too Big",
};
constexpr const char* kV6NodeInfoQueryCodes[] = {
    "Data Contains an IPv6 Address",
    "Data Contains a Name or Is Empty",
    "Data Contains an IPv4 Address",
};
constexpr const char* kV6NodeInfoResponseCodes[] = {
    "Successful Reply",
    "Responder Refuses to Answer",
    "Qtype Unknown to Responder",
};

}  // namespace

std::string IcmpTypeName(uint8_t type) {
  switch (type) {
    case 0:
      return "Echo Reply";
    case 1:
    case 2:
      return "Reserved";
    case 3:
      return "Destination Unreachable";
    case 4:
      return "Source Quench";
    case 5:
      return "Redirect";
    case 6:
      return "Alternate Host Address";
    case 8:
      return "Echo Request";
    case 9:
      return "Router Advertisement";
    case 10:
      return "Router Solicitation";
    case 11:
      return "Time Exceeded";
    case 12:
      return "Parameter Problem";
    case 13:
      return "Timestamp Request";
    case 14:
      return "Timestamp Reply";
    case 15:
      return "Information Request";
    case 16:
      return "Information Reply";
    case 17:
      return "Address Mask Request";
    case 18:
      return "Address Mask Reply";
    case 19:
      return "Reserved (for Security)";
    case 30:
      return "Traceroute";
    case 31:
      return "Datagram Conversion Error";
    case 32:
      return "Mobile Host Redirect";
    case 33:
      return "IPv6 Where-Are-You";
    case 34:
      return "IPv6 I-Am-Here";
    case 35:
      return "Mobile Registration Request";
    case 36:
      return "Mobile Registration Reply";
    case 37:
      return "Domain Name Request";
    case 38:
      return "Domain Name Reply";
    case 39:
      return "SKIP";
    case 40:
      return "Photuris";
    case 41:
      return "Experimental Mobility";
    case 42:
      return "Extended Echo Request";
    case 43:
      return "Extended Echo Reply";
    case 253:
      return "RFC3692-style Experiment 1";
    case 254:
      return "RFC3692-style Experiment 2";
    default:
      if (type >= 20 && type <= 29) return "Reserved (for Robustness Experiment)";
      return UnknownType(type);
  }
}

std::string IcmpCodeName(uint8_t type, uint8_t code) {
  switch (type) {
    case 3:
      return FromTable(kUnreachableCodes, code);
    case 5:
      return FromTable(kRedirectCodes, code);
    case 9:
      if (code == 0) return "Normal Router Advertisement";
      if (code == 16) return "Does Not Route Common Traffic";
      return UnknownCode(code);
    case 11:
      return FromTable(kTimeExceededCodes, code);
    case 12:
      return FromTable(kParameterProblemCodes, code);
    case 40:
      return FromTable(kPhoturisCodes, code);
    case 43:
      return FromTable(kExtendedEchoReplyCodes, code);
    default:
      return PlainCode(code);
  }
}

std::string Icmpv6TypeName(uint8_t type) {
  switch (type) {
    case 1:
      return "Destination Unreachable";
    case 2:
      return "Packet Too Big";
    case 3:
      return "Time Exceeded";
    case 4:
      return "Parameter Problem";
    case 100:
    case 101:
    case 200:
    case 201:
      return "Private Experimentation";
    case 127:
    case 255:
      return "Reserved for Expansion";
    case 128:
      return "Echo Request";
    case 129:
      return "Echo Reply";
    case 130:
      return "Multicast Listener Query";
    case 131:
      return "Multicast Listener Report";
    case 132:
      return "Multicast Listener Done";
    case 133:
      return "Router Solicitation";
    case 134:
      return "Router Advertisement";
    case 135:
      return "Neighbor Solicitation";
    case 136:
      return "Neighbor Advertisement";
    case 137:
      return "Redirect";
    case 138:
      return "Router Renumbering";
    case 139:
      return "Node Information Query";
    case 140:
      return "Node Information Response";
    case 141:
      return "Inverse Neighbor Discovery Solicitation";
    case 142:
      return "Inverse Neighbor Discovery Advertisement";
    case 143:
      return "Multicast Listener Report v2";
    case 144:
      return "Home Agent Address Discovery Request";
    case 145:
      return "Home Agent Address Discovery Reply";
    case 146:
      return "Mobile Prefix Solicitation";
    case 147:
      return "Mobile Prefix Advertisement";
    case 148:
      return "Certification Path Solicitation";
    case 149:
      return "Certification Path Advertisement";
    case 150:
      return "Experimental Mobility";
    case 151:
      return "Multicast Router Advertisement";
    case 152:
      return "Multicast Router Solicitation";
    case 153:
      return "Multicast Router Termination";
    case 154:
      return "FMIPv6";
    case 155:
      return "RPL Control";
    case 156:
      return "ILNPv6 Locator Update";
    case 157:
      return "Duplicate Address Request";
    case 158:
      return "Duplicate Address Confirmation";
    case 159:
      return "MPL Control";
    case 160:
      return "Extended Echo Request";
    case 161:
      return "Extended Echo Reply";
    default:
      return UnknownType(type);
  }
}

std::string Icmpv6CodeName(uint8_t type, uint8_t code) {
  switch (type) {
    case 1:
      return FromTable(kV6UnreachableCodes, code);
    case 3:
      return FromTable(kV6TimeExceededCodes, code);
    case 4:
      return FromTable(kV6ParameterProblemCodes, code);
    case 138:
      if (code == 0) return "Router Renumbering Command";
      if (code == 1) return "Router Renumbering Result";
      if (code == 255) return "Sequence Number Reset";
      return UnknownCode(code);
    case 139:
      return FromTable(kV6NodeInfoQueryCodes, code);
    case 140:
      return FromTable(kV6NodeInfoResponseCodes, code);
    case 161:
      return FromTable(kExtendedEchoReplyCodes, code);
    default:
      return PlainCode(code);
  }
}

IcmpKind ClassifyIcmp(int ip_version, uint8_t type) {
  if (ip_version == 6) {
    switch (type) {
      case 128:
        return IcmpKind::kEchoRequest;
      case 129:
        return IcmpKind::kEchoReply;
      case 1:
        return IcmpKind::kUnreachable;
      case 2:
        return IcmpKind::kPacketTooBig;
      case 3:
        return IcmpKind::kTimeExceeded;
      case 4:
        return IcmpKind::kParameterProblem;
      case 137:
        return IcmpKind::kRedirect;
      default:
        return IcmpKind::kOther;
    }
  }
  switch (type) {
    case 8:
      return IcmpKind::kEchoRequest;
    case 0:
      return IcmpKind::kEchoReply;
    case 3:
      return IcmpKind::kUnreachable;
    case 4:
      return IcmpKind::kSourceQuench;
    case 5:
      return IcmpKind::kRedirect;
    case 11:
      return IcmpKind::kTimeExceeded;
    case 12:
      return IcmpKind::kParameterProblem;
    default:
      return IcmpKind::kOther;
  }
}

bool IsPortUnreachable(int ip_version, uint8_t type, uint8_t code) {
  return ip_version == 6 ? (type == 1 && code == 4) : (type == 3 && code == 3);
}

bool IsHopLimitExceeded(int ip_version, uint8_t type, uint8_t code) {
  return ip_version == 6 ? (type == 3 && code == 0) : (type == 11 && code == 0);
}

std::string IpProtocolName(uint8_t protocol) {
  switch (protocol) {
    case 1:
      return "ICMP";
    case 2:
      return "IGMP";
    case 4:
      return "IPIP";
    case 6:
      return "TCP";
    case 17:
      return "UDP";
    case 41:
      return "IPv6";
    case 47:
      return "GRE";
    case 50:
      return "ESP";
    case 51:
      return "AH";
    case 58:
      return "ICMPv6";
    case 89:
      return "OSPF";
    case 103:
      return "PIM";
    case 112:
      return "VRRP";
    case 132:
      return "SCTP";
    case 136:
      return "UDPLite";
    default:
      return absl::StrCat("IP proto ", protocol);
  }
}

}  // namespace mcpcap
