// DHCPv4 option names and readable values (RFC 2132 and later): addresses, lists of addresses,
// integers, text, parameter request lists with option names, relay agent sub-options (82),
// domain search with compression (119), classless static routes (121/249), client FQDN (81).
#ifndef MCPCAP_BACKEND_DISSECT_DHCP_OPTIONS_H_
#define MCPCAP_BACKEND_DISSECT_DHCP_OPTIONS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "backend/dissect/dhcp.h"

namespace mcpcap {

// snake_case name ("subnet_mask", "router", ...), "option_N" when unknown.
std::string DhcpOptionName(uint8_t code);

// Readable values of one option. Multi-valued options give one value per element. On a length
// the option's type does not allow, or undecodable content, returns the anomaly to record and
// leaves *values empty; otherwise returns DhcpAnomaly::kCount.
DhcpAnomaly FormatDhcpOption(uint8_t code, absl::string_view data,
                             std::vector<std::string>* values);

// "01:00:0c:29:12:34:56".
std::string HexColons(absl::string_view data);
// Text as sent when printable (trailing NULs dropped), otherwise with \xNN escapes.
std::string PrintableText(absl::string_view data);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_DISSECT_DHCP_OPTIONS_H_
