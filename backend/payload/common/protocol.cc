#include "backend/payload/common/protocol.h"

#include <array>

namespace mcpcap::payload {
namespace {

constexpr std::array<absl::string_view, static_cast<size_t>(Protocol::kCount)> kNames = {
    "unknown", "mysql", "postgresql", "redis", "mongodb", "http", "tls", "ssh",    "dns",  "dhcp",
    "sip",     "smtp",  "ftp",        "quic",  "pop3",    "imap", "ntp", "dhcpv6", "mdns", "snmp",
};

}  // namespace

absl::string_view ProtocolName(Protocol protocol) {
  const auto i = static_cast<size_t>(protocol);
  return i < kNames.size() ? kNames[i] : "unknown";
}

std::optional<Protocol> ProtocolFromName(absl::string_view name) {
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<Protocol>(i);
  }
  return std::nullopt;
}

bool IsDatabaseProtocol(Protocol protocol) {
  return protocol == Protocol::kMySql || protocol == Protocol::kPostgreSql ||
         protocol == Protocol::kRedis || protocol == Protocol::kMongoDb;
}

}  // namespace mcpcap::payload
