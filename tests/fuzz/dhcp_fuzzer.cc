// libFuzzer entry point for the DHCP parsers. The first input byte picks DHCPv4 (even) or
// DHCPv6 (odd); the rest is the UDP payload. Every option of a parsed DHCPv4 message is also
// formatted, since that is where typed lengths, names and compression pointers are read.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "backend/dissect/dhcp.h"
#include "backend/dissect/dhcp_options.h"
#include "backend/dissect/dhcpv6.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const mcpcap::Bytes payload(data + 1, size - 1);
  volatile size_t sink = 0;
  if ((data[0] & 1) == 0) {
    std::optional<mcpcap::DhcpMessage> m = mcpcap::ParseDhcp(payload);
    if (!m) return 0;
    sink = sink + m->ClientHardwareAddress().size() + m->sname.size() + m->file.size();
    for (const mcpcap::DhcpOption& o : m->options) {
      std::vector<std::string> values;
      mcpcap::FormatDhcpOption(o.code, o.data, &values);
      for (const std::string& v : values) sink = sink + v.size();
      sink = sink + mcpcap::DhcpOptionName(o.code).size() + mcpcap::HexColons(o.data).size();
    }
    sink = sink + mcpcap::DhcpMessageTypeName(m->message_type()).size();
  } else {
    std::optional<mcpcap::Dhcpv6Message> m = mcpcap::ParseDhcpv6(payload);
    if (!m) return 0;
    for (const mcpcap::Dhcpv6Option& o : m->options) {
      for (const std::string& v : o.values) sink = sink + v.size();
    }
    sink = sink + m->client_duid.size() + m->addresses.size() +
           mcpcap::Dhcpv6MessageTypeName(m->msg_type).size();
  }
  return 0;
}
