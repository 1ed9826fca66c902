// Mnemonics for DNS numbers (IANA registries): record types, classes, opcodes, rcodes and EDNS
// option codes. Unknown values get the RFC 3597 generic form ("TYPE65280", "CLASS7").
#ifndef MCPCAP_BACKEND_DISSECT_DNS_NAMES_H_
#define MCPCAP_BACKEND_DISSECT_DNS_NAMES_H_

#include <cstdint>
#include <string>

namespace mcpcap {

// Record types the analysis refers to by name.
enum DnsType : uint16_t {
  kDnsTypeA = 1,
  kDnsTypeNs = 2,
  kDnsTypeCname = 5,
  kDnsTypeSoa = 6,
  kDnsTypeNull = 10,
  kDnsTypePtr = 12,
  kDnsTypeHinfo = 13,
  kDnsTypeMx = 15,
  kDnsTypeTxt = 16,
  kDnsTypeAaaa = 28,
  kDnsTypeSrv = 33,
  kDnsTypeNaptr = 35,
  kDnsTypeDname = 39,
  kDnsTypeOpt = 41,
  kDnsTypeDs = 43,
  kDnsTypeRrsig = 46,
  kDnsTypeNsec = 47,
  kDnsTypeDnskey = 48,
  kDnsTypeSvcb = 64,
  kDnsTypeHttps = 65,
  kDnsTypeSpf = 99,
  kDnsTypeAny = 255,
  kDnsTypeCaa = 257,
};

// Classes with a meaning of their own in UPDATE messages (RFC 2136).
inline constexpr uint16_t kDnsClassNone = 254;
inline constexpr uint16_t kDnsClassAny = 255;

// Opcodes (the header's 4 bits) the analysis treats apart.
inline constexpr uint8_t kDnsOpcodeInverseQuery = 1;  // RFC 1035 (obsolete since RFC 3425)
inline constexpr uint8_t kDnsOpcodeUpdate = 5;  // RFC 2136: zone, prerequisite, update sections

std::string DnsTypeName(uint16_t type);
std::string DnsClassName(uint16_t klass);
std::string DnsOpcodeName(uint8_t opcode);
// rcode may be the 12-bit extended value (header rcode plus the EDNS upper bits).
std::string DnsRcodeName(uint16_t rcode);
std::string EdnsOptionName(uint16_t code);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_DISSECT_DNS_NAMES_H_
