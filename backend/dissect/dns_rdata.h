// Record data of each common type in readable, zone-file-like form, and EDNS options.
#ifndef MCPCAP_BACKEND_DISSECT_DNS_RDATA_H_
#define MCPCAP_BACKEND_DISSECT_DNS_RDATA_H_

#include <cstddef>

#include "backend/base/byte_reader.h"
#include "backend/dissect/dns.h"

namespace mcpcap {

// Opaque data is shown as hex up to this many bytes, then "..." (the length is always given).
inline constexpr size_t kDnsMaxHexBytes = 512;
// EDNS options kept per message; a hostile OPT record could hold thousands of empty ones.
inline constexpr size_t kEdnsMaxOptions = 32;

// Fills rr->data (and address, target or rdata_hex) from the rr->rdlength bytes of record data
// at `pos` of `message`; names inside may point anywhere in the message. Data that does not fit
// its type is shown in the RFC 3597 generic form and flagged dns_bad_rdata.
void DecodeRdata(Bytes message, size_t pos, DnsRecordEntry* rr, DnsAnomalySet* anomalies);

// Reads the options of an OPT record's data into edns->options (dns_bad_opt when one is cut).
void DecodeEdnsOptions(Bytes rdata, EdnsInfo* edns, DnsAnomalySet* anomalies);

// Lower-case hex of at most kDnsMaxHexBytes bytes, with "..." when cut.
std::string DnsHex(Bytes data);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_DISSECT_DNS_RDATA_H_
