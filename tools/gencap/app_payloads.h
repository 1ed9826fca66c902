// Application messages carried by the generated traffic: DNS queries and responses, DHCP
// (BOOTP) messages, HTTP/1.1 request and response heads. Each writes real wire format.
#ifndef MCPCAP_TOOLS_GENCAP_APP_PAYLOADS_H_
#define MCPCAP_TOOLS_GENCAP_APP_PAYLOADS_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "tools/gencap/byte_writer.h"
#include "tools/gencap/frame_builder.h"
#include "tools/gencap/rng.h"

namespace mcpcap::gencap {

namespace dns_type {
inline constexpr uint16_t kA = 1, kCname = 5, kPtr = 12, kMx = 15, kTxt = 16, kAaaa = 28;
}

// A name a client would plausibly look up ("api.github.com"); stable for a given draw.
std::string RandomDomainName(Rng& rng);

struct DnsExchange {
  uint16_t id = 0;
  std::string name;
  uint16_t qtype = dns_type::kA;
  bool edns = false;
  bool nxdomain = false;
};
void WriteDnsQuery(const DnsExchange& q, ByteWriter& w);
// Answers are drawn from `rng`: addresses, CNAME chains to CDNs, MX pairs, SPF TXT, PTR names.
void WriteDnsResponse(const DnsExchange& q, Rng& rng, ByteWriter& w);

namespace dhcp_type {
inline constexpr uint8_t kDiscover = 1, kOffer = 2, kRequest = 3, kAck = 5;
}
struct DhcpExchange {
  uint32_t xid = 0;
  Mac client_mac;
  IpAddr offered;  // IPv4
  IpAddr server;   // IPv4
  IpAddr router;   // IPv4
  std::string hostname;
};
void WriteDhcp(const DhcpExchange& x, uint8_t msg_type, ByteWriter& w);

std::string_view RandomHttpPath(Rng& rng);
void WriteHttpRequest(std::string_view host, std::string_view path, ByteWriter& w);
void WriteHttpResponseHead(int status, uint32_t content_length, ByteWriter& w);

}  // namespace mcpcap::gencap

#endif  // MCPCAP_TOOLS_GENCAP_APP_PAYLOADS_H_
