// DNS messages (RFC 1035 and successors), also as carried by mDNS (RFC 6762) and LLMNR
// (RFC 4795): header, every section, record data in readable form, EDNS. Parsing never fails
// hard: what was read before a malformation is kept and the malformation is named.
//
//   DnsMessage msg;
//   if (ParseDnsMessage(udp_payload, DnsVariant::kDns, &msg)) ... msg.answers[0].data ...
//
// Memory is bounded by the message: at most kDnsMaxRecords records, names of at most 255 wire
// bytes, and record text proportional to the record data (hex of opaque data is capped).
#ifndef MCPCAP_BACKEND_DISSECT_DNS_H_
#define MCPCAP_BACKEND_DISSECT_DNS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "backend/base/byte_reader.h"
#include "backend/dissect/dns_anomaly.h"
#include "backend/dissect/dns_names.h"

namespace mcpcap {

// Records read per message, over all sections (PcapPlusPlus stops at 300 too); the header's
// counts beyond it are recorded as dns_too_many_records.
inline constexpr size_t kDnsMaxRecords = 300;
inline constexpr size_t kDnsHeaderSize = 12;

enum class DnsVariant : uint8_t {
  kDns,    // unicast DNS, port 53 (or found elsewhere by the strict heuristic)
  kMdns,   // multicast DNS, port 5353: the top class bit is a flag, not part of the class
  kLlmnr,  // link-local multicast name resolution, port 5355
};

const char* DnsVariantName(DnsVariant v);  // "dns", "mdns", "llmnr"

struct DnsQuestionEntry {
  std::string name;
  uint16_t type = 0;
  uint16_t klass = 0;             // mDNS: without the unicast-response bit
  bool unicast_response = false;  // mDNS QU bit
};

struct DnsRecordEntry {
  std::string name;
  uint16_t type = 0;
  uint16_t klass = 0;  // mDNS: without the cache-flush bit; OPT: the UDP payload size
  bool cache_flush = false;
  uint32_t ttl = 0;
  uint16_t rdlength = 0;
  // Readable data in zone-file form ("10 mail.example.com" for MX, "\# 3 0a0b0c" when unknown).
  std::string data;
  std::string address;    // A, AAAA
  std::string target;     // the name a CNAME, NS, PTR, DNAME, MX, SRV, SVCB or HTTPS points to
  std::string rdata_hex;  // types without a decoder, and data that did not fit its type
};

struct EdnsOptionEntry {
  uint16_t code = 0;
  std::string name;
  std::string value;
};

struct EdnsInfo {
  bool present = false;
  uint16_t udp_payload_size = 0;
  uint8_t extended_rcode = 0;  // upper 8 bits of the 12-bit rcode
  uint8_t version = 0;
  bool dnssec_ok = false;
  std::vector<EdnsOptionEntry> options;
};

struct DnsMessage {
  uint16_t id = 0;
  uint16_t flags = 0;                 // the raw flags word
  uint16_t counts[4] = {0, 0, 0, 0};  // QD, AN, NS, AR as announced by the header
  std::vector<DnsQuestionEntry> questions;
  std::vector<DnsRecordEntry> answers;
  std::vector<DnsRecordEntry> authorities;
  std::vector<DnsRecordEntry> additionals;
  EdnsInfo edns;
  DnsAnomalySet anomalies;
  size_t parsed_length = 0;  // bytes consumed by the records read

  bool is_response() const { return (flags & 0x8000) != 0; }
  uint8_t opcode() const { return static_cast<uint8_t>((flags >> 11) & 0x0f); }
  bool authoritative() const { return (flags & 0x0400) != 0; }
  bool truncated() const { return (flags & 0x0200) != 0; }
  bool recursion_desired() const { return (flags & 0x0100) != 0; }
  bool recursion_available() const { return (flags & 0x0080) != 0; }
  bool authentic_data() const { return (flags & 0x0020) != 0; }
  bool checking_disabled() const { return (flags & 0x0010) != 0; }
  uint8_t header_rcode() const { return static_cast<uint8_t>(flags & 0x0f); }
  // The 12-bit rcode: EDNS's upper bits joined to the header's four.
  uint16_t rcode() const {
    return static_cast<uint16_t>(edns.present ? (edns.extended_rcode << 4) | header_rcode()
                                              : header_rcode());
  }
  void Clear();
};

// Parses one DNS message (a UDP payload, or one length-prefixed message of a TCP stream) into
// *out, which is cleared first. Returns false only when there is no header (fewer than 12
// bytes); everything else is reported in out->anomalies with what could be read.
bool ParseDnsMessage(Bytes message, DnsVariant variant, DnsMessage* out);

// A strict test for DNS on a port not assigned to it: the whole payload parses without any
// anomaly, opcode QUERY, at least one question, every question of class IN/ANY and a name of
// letters, digits, '-' and '_'. Rejects nearly all other UDP traffic.
bool LooksLikeDns(const DnsMessage& message);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_DISSECT_DNS_H_
