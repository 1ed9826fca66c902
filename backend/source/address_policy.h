// Which network addresses a capture URL may be fetched from (the SSRF guard). Every address a
// host name resolves to, on every redirect hop, is checked before any connection is made.
#ifndef MCPCAP_BACKEND_SOURCE_ADDRESS_POLICY_H_
#define MCPCAP_BACKEND_SOURCE_ADDRESS_POLICY_H_

#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace mcpcap {

enum class AddressKind {
  kPublic,
  // Refused unless the operator passes --allow-private-urls:
  kLoopback,   // 127/8, ::1
  kPrivate,    // RFC 1918, CGNAT 100.64/10, benchmarking 198.18/15, ULA fc00::/7, fec0::/10
  kLinkLocal,  // 169.254/16, fe80::/10
  // Always refused: nothing legitimate serves captures there.
  kMetadata,       // cloud instance metadata and platform endpoints (169.254.169.254, ...)
  kUnspecified,    // 0/8, ::
  kMulticast,      // 224/4, ff00::/8
  kBroadcast,      // 255.255.255.255
  kDocumentation,  // 192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32
  kReserved,       // 240/4, IETF assignments, IPv6 outside 2000::/3, Teredo, ...
};

// "public", "loopback", "private", ... for messages.
const char* AddressKindName(AddressKind kind);

// An IPv4 or IPv6 address; IPv4 is kept as IPv4-mapped IPv6 (::ffff:a.b.c.d).
struct NetAddress {
  std::array<uint8_t, 16> bytes{};
  bool is_v4 = false;

  static std::optional<NetAddress> Parse(absl::string_view text);  // "10.0.0.1", "::1"
  static std::optional<NetAddress> FromSockaddr(const sockaddr* sa);
  std::string ToString() const;
};

// IPv4 inside IPv6 (mapped, NAT64 64:ff9b::/96, 6to4 2002::/16) is classified as the IPv4.
AddressKind ClassifyAddress(const NetAddress& address);

struct AddressPolicy {
  bool allow_private = false;  // loopback, private and link-local too
  // Allowed whatever their kind: tests serve from 127.0.0.1 with the policy otherwise strict.
  std::vector<NetAddress> exceptions;

  bool Allows(const NetAddress& address) const;
  // OK, or PERMISSION_DENIED naming `what` (the URL), the address and why it is refused.
  absl::Status Check(const NetAddress& address, absl::string_view what) const;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_SOURCE_ADDRESS_POLICY_H_
