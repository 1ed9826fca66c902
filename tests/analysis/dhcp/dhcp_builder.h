// Hand-built BOOTP/DHCP and DHCPv6 messages for the tests.
#ifndef MCPCAP_TESTS_ANALYSIS_DHCP_DHCP_BUILDER_H_
#define MCPCAP_TESTS_ANALYSIS_DHCP_DHCP_BUILDER_H_

#include <cstdint>
#include <string>

#include "tests/analysis/icmp/packet_builder.h"

namespace mcpcap::testing {

inline std::string Opt(uint8_t code, const std::string& data) {
  std::string o;
  o += static_cast<char>(code);
  o += static_cast<char>(data.size());
  return o + data;
}
inline std::string MsgType(uint8_t t) { return Opt(53, std::string(1, static_cast<char>(t))); }
inline const std::string kEnd = "\xff";

struct BootpFields {
  uint8_t op = 1;
  uint8_t htype = 1;
  uint8_t hlen = 6;
  uint32_t xid = 0x12345678;
  uint16_t flags = 0;
  std::string ciaddr = V4("0.0.0.0"), yiaddr = V4("0.0.0.0"), siaddr = V4("0.0.0.0"),
              giaddr = V4("0.0.0.0");
  std::string chaddr = std::string("\x00\x0c\x29\x12\x34\x56", 6);
  std::string sname, file;  // padded to 64 / 128
  bool magic = true;
};

inline std::string Bootp(const BootpFields& f, const std::string& options) {
  std::string m;
  m += static_cast<char>(f.op);
  m += static_cast<char>(f.htype);
  m += static_cast<char>(f.hlen);
  m += '\0';
  m += Be32(f.xid) + Be16(3) + Be16(f.flags) + f.ciaddr + f.yiaddr + f.siaddr + f.giaddr;
  std::string ch = f.chaddr;
  ch.resize(16, '\0');
  std::string sname = f.sname, file = f.file;
  sname.resize(64, '\0');
  file.resize(128, '\0');
  m += ch + sname + file;
  if (f.magic) m += std::string("\x63\x82\x53\x63", 4);
  return m + options;
}

// The whole IPv4/UDP packet (raw IP link type).
inline std::string DhcpIp(const char* src, const char* dst, uint16_t sport, uint16_t dport,
                          const std::string& dhcp) {
  return Ip4(src, dst, 17, 64, Udp(sport, dport, dhcp));
}

inline std::string V6Opt(uint16_t code, const std::string& data) {
  return Be16(code) + Be16(static_cast<uint16_t>(data.size())) + data;
}

}  // namespace mcpcap::testing

#endif  // MCPCAP_TESTS_ANALYSIS_DHCP_DHCP_BUILDER_H_
