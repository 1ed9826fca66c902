// Application protocols we recognise, and their stable names in results.
#ifndef MCPCAP_BACKEND_PAYLOAD_COMMON_PROTOCOL_H_
#define MCPCAP_BACKEND_PAYLOAD_COMMON_PROTOCOL_H_

#include <cstdint>
#include <optional>

#include "absl/strings/string_view.h"

namespace mcpcap::payload {

enum class Protocol : uint8_t {
  kUnknown,
  kMySql,
  kPostgreSql,
  kRedis,
  kMongoDb,
  kHttp,
  kTls,
  kSsh,
  kDns,
  kDhcp,
  kSip,
  kSmtp,
  kFtp,
  kQuic,
  kPop3,
  kImap,
  kNtp,
  kDhcpv6,
  kMdns,
  kSnmp,
  kCount,  // not a protocol: the number of values
};

// "mysql", "postgresql", "redis", "mongodb", "http", "tls", "ssh", "dns", ... "unknown".
absl::string_view ProtocolName(Protocol protocol);
// The protocol named `name` (as ProtocolName spells it); nullopt for anything else.
std::optional<Protocol> ProtocolFromName(absl::string_view name);

// True for the protocols whose queries extract_database_queries reports.
bool IsDatabaseProtocol(Protocol protocol);

}  // namespace mcpcap::payload

#endif  // MCPCAP_BACKEND_PAYLOAD_COMMON_PROTOCOL_H_
