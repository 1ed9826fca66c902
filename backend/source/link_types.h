// Names of LINKTYPE_* values as Wireshark's capinfos prints them (taken from capinfos 4.0).
#ifndef MCPCAP_BACKEND_SOURCE_LINK_TYPES_H_
#define MCPCAP_BACKEND_SOURCE_LINK_TYPES_H_

#include <cstdint>
#include <string>

namespace mcpcap {

struct LinkTypeName {
  uint16_t link_type;       // LINKTYPE_* as stored in the file
  int wtap_encap;           // Wireshark's encapsulation number (shown by capinfos)
  const char* short_name;   // e.g. "ether"
  const char* description;  // e.g. "Ethernet"
};

// nullptr for a link type Wireshark does not know.
const LinkTypeName* FindLinkType(uint16_t link_type);

// "Ethernet", or "Unknown (N)".
std::string LinkTypeDescription(uint16_t link_type);
// "ether", or "unknown".
std::string LinkTypeShortName(uint16_t link_type);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_SOURCE_LINK_TYPES_H_
