// A parsed DNS message as the result's DnsPacket: flags, sections, EDNS, summary line.
#ifndef MCPCAP_BACKEND_ANALYSIS_DNS_DNS_CONVERT_H_
#define MCPCAP_BACKEND_ANALYSIS_DNS_DNS_CONVERT_H_

#include <string>

#include "backend/dissect/dns.h"
#include "mcpcap/v1/dns.pb.h"

namespace mcpcap {

// Fills the message's part of *out (not the frame, addresses or pairing).
void FillDnsMessage(const DnsMessage& message, v1::DnsPacket* out);

// One line as a packet list shows it, e.g.
// "Standard query response 0x1a2b NXDOMAIN AAAA foo.example".
std::string DnsSummary(const DnsMessage& message);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_DNS_DNS_CONVERT_H_
