// DHCPv6 (RFC 8415) on UDP 546/547: message type, transaction id, client and server DUIDs, IA_NA
// addresses, DNS servers and domain list, with relay messages opened down to the client's message.
#ifndef MCPCAP_BACKEND_DISSECT_DHCPV6_H_
#define MCPCAP_BACKEND_DISSECT_DHCPV6_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "backend/base/byte_reader.h"

namespace mcpcap {

struct Dhcpv6Option {
  uint16_t code = 0;
  std::string name;                 // "client_id", ... "option_N"
  std::vector<std::string> values;  // readable values
  std::string hex;                  // the raw data, at most 256 bytes shown
};

// An address or prefix a server offers or assigns (or a client asks to keep), with its IA.
struct Dhcpv6Lease {
  std::string address;  // "2001:db8::5", or "2001:db8:1::/56" for a delegated prefix
  const char* ia = "";  // "ia_na", "ia_ta" or "ia_pd"
  uint32_t iaid = 0;
  uint32_t preferred_lifetime = 0;  // seconds
  uint32_t valid_lifetime = 0;
};

struct Dhcpv6Message {
  uint8_t msg_type = 0;
  uint32_t transaction_id = 0;  // 24 bits; 0 for relay messages
  uint8_t relay_hops = 0;       // relay messages: how many relays the innermost message crossed
  uint8_t outer_type = 0;       // the type of the message on the wire (RELAY-FORW/-REPL if relayed)
  std::string peer_address;     // relayed: the innermost relay header's peer-address (the client)
  std::string link_address;     // relayed: the innermost relay header's link-address
  std::string client_duid;      // "DUID-LL 00:01:..." style: type name + hex of the whole DUID
  std::string server_duid;
  std::string client_mac;              // from a DUID-LL / DUID-LLT with hardware type 1
  std::vector<std::string> addresses;  // IA_NA / IA_TA addresses
  std::vector<std::string> prefixes;   // IA_PD prefixes
  std::vector<Dhcpv6Lease> leases;     // the same addresses and prefixes, with their IA and times
  std::vector<std::string> dns_servers;
  std::vector<std::string> domains;
  std::string status;                 // status code option, "NoAddrsAvail: text"
  std::vector<Dhcpv6Option> options;  // top-level options of the innermost message
  bool truncated = false;             // an option ran past its container
};

// nullopt when the payload is too short for a message header.
std::optional<Dhcpv6Message> ParseDhcpv6(Bytes payload);

// "SOLICIT", "ADVERTISE", ... "Unknown(N)".
std::string Dhcpv6MessageTypeName(uint8_t type);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_DISSECT_DHCPV6_H_
