#include "backend/source/address_policy.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstring>

#include "absl/strings/str_cat.h"
#include "backend/source/capture_errors.h"

namespace mcpcap {
namespace {

struct V4Range {
  uint32_t network;
  int prefix;
  AddressKind kind;
};

constexpr uint32_t Ip4(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
  return (uint32_t{a} << 24) | (uint32_t{b} << 16) | (uint32_t{c} << 8) | d;
}

// Most specific first: the first match wins.
constexpr V4Range kV4Ranges[] = {
    {Ip4(169, 254, 169, 254), 32, AddressKind::kMetadata},  // AWS, GCP, Azure, OCI, ...
    {Ip4(169, 254, 170, 2), 32, AddressKind::kMetadata},    // AWS ECS task metadata
    {Ip4(100, 100, 100, 200), 32, AddressKind::kMetadata},  // Alibaba Cloud
    {Ip4(168, 63, 129, 16), 32, AddressKind::kMetadata},    // Azure WireServer
    {Ip4(255, 255, 255, 255), 32, AddressKind::kBroadcast},
    {Ip4(0, 0, 0, 0), 8, AddressKind::kUnspecified},
    {Ip4(10, 0, 0, 0), 8, AddressKind::kPrivate},
    {Ip4(100, 64, 0, 0), 10, AddressKind::kPrivate},  // carrier-grade NAT
    {Ip4(127, 0, 0, 0), 8, AddressKind::kLoopback},
    {Ip4(169, 254, 0, 0), 16, AddressKind::kLinkLocal},
    {Ip4(172, 16, 0, 0), 12, AddressKind::kPrivate},
    {Ip4(192, 0, 0, 0), 24, AddressKind::kReserved},  // IETF protocol assignments
    {Ip4(192, 0, 2, 0), 24, AddressKind::kDocumentation},
    {Ip4(192, 88, 99, 0), 24, AddressKind::kReserved},  // old 6to4 relay anycast
    {Ip4(192, 168, 0, 0), 16, AddressKind::kPrivate},
    {Ip4(198, 18, 0, 0), 15, AddressKind::kPrivate},  // benchmarking labs
    {Ip4(198, 51, 100, 0), 24, AddressKind::kDocumentation},
    {Ip4(203, 0, 113, 0), 24, AddressKind::kDocumentation},
    {Ip4(224, 0, 0, 0), 4, AddressKind::kMulticast},
    {Ip4(240, 0, 0, 0), 4, AddressKind::kReserved},
};

AddressKind ClassifyV4(uint32_t ip) {
  for (const V4Range& r : kV4Ranges) {
    const uint32_t mask = r.prefix == 0 ? 0 : ~uint32_t{0} << (32 - r.prefix);
    if ((ip & mask) == r.network) return r.kind;
  }
  return AddressKind::kPublic;
}

uint32_t V4At(const std::array<uint8_t, 16>& b, size_t at) {
  return Ip4(b[at], b[at + 1], b[at + 2], b[at + 3]);
}

bool HasPrefix(const std::array<uint8_t, 16>& b, std::initializer_list<uint8_t> prefix) {
  size_t i = 0;
  for (uint8_t p : prefix)
    if (b[i++] != p) return false;
  return true;
}

bool AllZero(const std::array<uint8_t, 16>& b, size_t from, size_t to) {
  for (size_t i = from; i < to; ++i)
    if (b[i] != 0) return false;
  return true;
}

AddressKind ClassifyV6(const std::array<uint8_t, 16>& b) {
  // fd00:ec2::254, AWS's IPv6 instance metadata endpoint (inside the ULA range).
  static constexpr std::array<uint8_t, 16> kAwsMetadata = {
      0xfd, 0x00, 0x0e, 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54};
  if (b == kAwsMetadata) return AddressKind::kMetadata;
  if (AllZero(b, 0, 10)) {
    if (b[10] == 0xff && b[11] == 0xff) return ClassifyV4(V4At(b, 12));  // IPv4-mapped
    if (AllZero(b, 10, 15)) {
      if (b[15] == 0) return AddressKind::kUnspecified;
      if (b[15] == 1) return AddressKind::kLoopback;
    }
    return AddressKind::kReserved;  // IPv4-compatible (deprecated) and the rest of ::/80
  }
  if (HasPrefix(b, {0x00, 0x64, 0xff, 0x9b}) && AllZero(b, 4, 12)) {
    return ClassifyV4(V4At(b, 12));  // NAT64 well-known prefix
  }
  if (HasPrefix(b, {0x00, 0x64, 0xff, 0x9b, 0x00, 0x01})) return AddressKind::kPrivate;
  if (HasPrefix(b, {0x20, 0x02})) return ClassifyV4(V4At(b, 2));  // 6to4
  if (HasPrefix(b, {0x20, 0x01, 0x0d, 0xb8})) return AddressKind::kDocumentation;
  if (HasPrefix(b, {0x3f, 0xff}) && (b[2] & 0xf0) == 0) return AddressKind::kDocumentation;
  // 2001::/23: IETF protocol assignments, Teredo (2001::/32) among them.
  if (b[0] == 0x20 && b[1] == 0x01 && (b[2] & 0xfe) == 0) return AddressKind::kReserved;
  if (b[0] == 0xff) return AddressKind::kMulticast;
  if ((b[0] & 0xfe) == 0xfc) return AddressKind::kPrivate;  // unique local fc00::/7
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return AddressKind::kLinkLocal;
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) return AddressKind::kPrivate;  // old site-local
  if ((b[0] & 0xe0) != 0x20) return AddressKind::kReserved;  // global unicast is 2000::/3
  return AddressKind::kPublic;
}

}  // namespace

const char* AddressKindName(AddressKind kind) {
  switch (kind) {
    case AddressKind::kPublic:
      return "public";
    case AddressKind::kLoopback:
      return "loopback";
    case AddressKind::kPrivate:
      return "private";
    case AddressKind::kLinkLocal:
      return "link-local";
    case AddressKind::kMetadata:
      return "cloud metadata";
    case AddressKind::kUnspecified:
      return "unspecified";
    case AddressKind::kMulticast:
      return "multicast";
    case AddressKind::kBroadcast:
      return "broadcast";
    case AddressKind::kDocumentation:
      return "documentation";
    case AddressKind::kReserved:
      return "reserved";
  }
  return "unknown";
}

std::optional<NetAddress> NetAddress::Parse(absl::string_view text) {
  const std::string s(text);
  NetAddress ip;
  in_addr v4;
  if (inet_pton(AF_INET, s.c_str(), &v4) == 1) {
    ip.is_v4 = true;
    ip.bytes[10] = ip.bytes[11] = 0xff;
    std::memcpy(ip.bytes.data() + 12, &v4, 4);
    return ip;
  }
  in6_addr v6;
  if (inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
    std::memcpy(ip.bytes.data(), &v6, 16);
    return ip;
  }
  return std::nullopt;
}

std::optional<NetAddress> NetAddress::FromSockaddr(const sockaddr* sa) {
  if (sa == nullptr) return std::nullopt;
  NetAddress ip;
  if (sa->sa_family == AF_INET) {
    sockaddr_in in;
    std::memcpy(&in, sa, sizeof in);
    ip.is_v4 = true;
    ip.bytes[10] = ip.bytes[11] = 0xff;
    std::memcpy(ip.bytes.data() + 12, &in.sin_addr, 4);
    return ip;
  }
  if (sa->sa_family == AF_INET6) {
    sockaddr_in6 in6;
    std::memcpy(&in6, sa, sizeof in6);
    std::memcpy(ip.bytes.data(), &in6.sin6_addr, 16);
    return ip;
  }
  return std::nullopt;
}

std::string NetAddress::ToString() const {
  char text[INET6_ADDRSTRLEN] = {0};
  if (is_v4) {
    inet_ntop(AF_INET, bytes.data() + 12, text, sizeof text);
  } else {
    inet_ntop(AF_INET6, bytes.data(), text, sizeof text);
  }
  return text;
}

AddressKind ClassifyAddress(const NetAddress& address) {
  return address.is_v4 ? ClassifyV4(V4At(address.bytes, 12)) : ClassifyV6(address.bytes);
}

bool AddressPolicy::Allows(const NetAddress& address) const {
  for (const NetAddress& e : exceptions)
    if (e.bytes == address.bytes) return true;
  switch (ClassifyAddress(address)) {
    case AddressKind::kPublic:
      return true;
    case AddressKind::kLoopback:
    case AddressKind::kPrivate:
    case AddressKind::kLinkLocal:
      return allow_private;
    default:
      return false;
  }
}

absl::Status AddressPolicy::Check(const NetAddress& address, absl::string_view what) const {
  if (Allows(address)) return absl::OkStatus();
  const AddressKind kind = ClassifyAddress(address);
  const bool operator_may_allow = kind == AddressKind::kLoopback || kind == AddressKind::kPrivate ||
                                  kind == AddressKind::kLinkLocal;
  return CaptureError(
      absl::StatusCode::kPermissionDenied, v1::ERROR_REASON_URL_NOT_ALLOWED, what,
      absl::StrCat(
          "capture URL '", what, "' leads to ", address.ToString(), ", a ", AddressKindName(kind),
          " address: ",
          operator_may_allow
              ? "mcpcapd does not fetch from loopback, private or link-local addresses unless its "
                "operator starts it with --allow-private-urls"
              : "mcpcapd never fetches from such addresses"),
      {{"address", address.ToString()}, {"address_kind", AddressKindName(kind)}});
}

}  // namespace mcpcap
