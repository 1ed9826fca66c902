#include "backend/payload/detect/detect_ports.h"

#include "backend/payload/detect/detect.h"

namespace mcpcap::payload {
namespace {

struct PortEntry {
  uint8_t ip_protocol;
  uint16_t port;
  Protocol protocol;
  bool reused;  // commonly used by other services too: the port says less
};

constexpr uint8_t kTcp = 6, kUdp = 17;

// IANA registrations (and the de facto ports of the databases).
constexpr PortEntry kPorts[] = {
    {kTcp, 21, Protocol::kFtp, false},     {kTcp, 22, Protocol::kSsh, false},
    {kTcp, 25, Protocol::kSmtp, false},    {kTcp, 587, Protocol::kSmtp, false},
    {kTcp, 2525, Protocol::kSmtp, true},   {kTcp, 53, Protocol::kDns, false},
    {kTcp, 80, Protocol::kHttp, false},    {kTcp, 8080, Protocol::kHttp, true},
    {kTcp, 8000, Protocol::kHttp, true},   {kTcp, 8008, Protocol::kHttp, true},
    {kTcp, 8888, Protocol::kHttp, true},   {kTcp, 3128, Protocol::kHttp, true},
    {kTcp, 110, Protocol::kPop3, false},   {kTcp, 143, Protocol::kImap, false},
    {kTcp, 443, Protocol::kTls, false},    {kTcp, 465, Protocol::kTls, false},
    {kTcp, 853, Protocol::kTls, false},    {kTcp, 993, Protocol::kTls, false},
    {kTcp, 995, Protocol::kTls, false},    {kTcp, 8443, Protocol::kTls, true},
    {kTcp, 3306, Protocol::kMySql, false}, {kTcp, 5432, Protocol::kPostgreSql, false},
    {kTcp, 6379, Protocol::kRedis, false}, {kTcp, 27017, Protocol::kMongoDb, false},
    {kTcp, 5060, Protocol::kSip, false},   {kTcp, 5061, Protocol::kTls, false},
    {kUdp, 53, Protocol::kDns, false},     {kUdp, 67, Protocol::kDhcp, false},
    {kUdp, 68, Protocol::kDhcp, false},    {kUdp, 546, Protocol::kDhcpv6, false},
    {kUdp, 547, Protocol::kDhcpv6, false}, {kUdp, 5060, Protocol::kSip, false},
    {kUdp, 443, Protocol::kQuic, false},   {kUdp, 123, Protocol::kNtp, false},
    {kUdp, 161, Protocol::kSnmp, false},   {kUdp, 162, Protocol::kSnmp, false},
    {kUdp, 5353, Protocol::kMdns, false},
};

const PortEntry* Find(uint8_t ip_protocol, uint16_t port) {
  for (const PortEntry& e : kPorts) {
    if (e.ip_protocol == ip_protocol && e.port == port) return &e;
  }
  return nullptr;
}

}  // namespace

std::optional<Protocol> ProtocolForPort(uint8_t ip_protocol, uint16_t port) {
  const PortEntry* e = Find(ip_protocol, port);
  if (e == nullptr) return std::nullopt;
  return e->protocol;
}

namespace detect {

double PortOnlyConfidence(uint8_t ip_protocol, uint16_t port) {
  const PortEntry* e = Find(ip_protocol, port);
  if (e == nullptr) return 0;
  return e->reused ? 0.3 : 0.5;
}

}  // namespace detect
}  // namespace mcpcap::payload
