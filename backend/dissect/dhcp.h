// BOOTP and DHCPv4 (RFC 951, 2131, 2132): the fixed header and every option, with long options
// (RFC 3396) joined and the sname/file fields read as options when option 52 says so.
// Malformations are named anomalies; the parser never fails on bytes it was given.
#ifndef MCPCAP_BACKEND_DISSECT_DHCP_H_
#define MCPCAP_BACKEND_DISSECT_DHCP_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "backend/base/byte_reader.h"
#include "backend/dissect/ip_address.h"

namespace mcpcap {

// Values are bit positions in a uint32_t: append only.
enum class DhcpAnomaly : uint8_t {
  kTruncated,          // shorter than the 236-byte BOOTP header (the rest reads as zeros)
  kBadHardwareLength,  // hlen > 16, or Ethernet with hlen != 6
  kOptionTruncated,    // an option's length runs past the end of its area
  kOptionBadLength,    // a typed option with a length its type does not allow
  kOptionBadValue,     // undecodable content (domain-search compression, route width, ...)
  kMissingEnd,         // the option area ends without the END option
  kBadOverload,        // option 52 with a value other than 1, 2 or 3
  kTooManyOptions,     // more than kMaxDhcpOptions: the rest were skipped
  kCount,
};
absl::string_view DhcpAnomalyName(DhcpAnomaly a);  // "dhcp_option_truncated", ...

inline constexpr size_t kMaxDhcpOptions = 255;

struct DhcpOption {
  uint8_t code = 0;
  std::string data;  // joined over repeated instances (RFC 3396)
};

struct DhcpMessage {
  uint8_t op = 0;
  uint8_t htype = 0;
  uint8_t hlen = 0;
  uint8_t hops = 0;
  uint32_t xid = 0;
  uint16_t secs = 0;
  uint16_t flags = 0;
  IpAddress ciaddr, yiaddr, siaddr, giaddr;
  uint8_t chaddr[16] = {};
  std::string sname;  // NUL-trimmed; empty when the field carries options
  std::string file;
  bool has_magic = false;           // DHCP (options follow) rather than plain BOOTP
  uint8_t overload = 0;             // option 52
  std::vector<DhcpOption> options;  // first-seen order
  uint32_t anomalies = 0;           // DhcpAnomaly bits

  bool broadcast() const { return (flags & 0x8000) != 0; }
  bool Has(DhcpAnomaly a) const { return (anomalies >> static_cast<unsigned>(a)) & 1; }
  void Add(DhcpAnomaly a) { anomalies |= 1u << static_cast<unsigned>(a); }
  const DhcpOption* Find(uint8_t code) const;
  // Option 53, or 0 when absent (plain BOOTP).
  uint8_t message_type() const;
  // "aa:bb:cc:dd:ee:ff" for Ethernet; the first hlen bytes as hex otherwise.
  std::string ClientHardwareAddress() const;
};

// `payload` is the UDP payload. nullopt when it is too short to hold op, htype, hlen and the
// client hardware address; a header cut after them is a message with the kTruncated anomaly
// and zeros for what is missing. *truncated (when given) is set in both cases.
std::optional<DhcpMessage> ParseDhcp(Bytes payload, bool* truncated = nullptr);

// "DISCOVER", ... "Unknown(N)" for message type codes 1-18.
std::string DhcpMessageTypeName(uint8_t type);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_DISSECT_DHCP_H_
