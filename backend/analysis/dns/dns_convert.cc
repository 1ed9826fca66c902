#include "backend/analysis/dns/dns_convert.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace mcpcap {
namespace {

void FillRecord(const DnsRecordEntry& rr, v1::DnsRecord* out) {
  out->set_name(rr.name);
  out->set_type(rr.type);
  out->set_dns_class(rr.klass);
  out->set_ttl(rr.ttl);
  out->set_type_name(DnsTypeName(rr.type));
  // OPT's class field is the UDP payload size, not a class.
  out->set_class_name(rr.type == kDnsTypeOpt ? "" : DnsClassName(rr.klass));
  out->set_data(rr.data);
  out->set_address(rr.address);
  if (rr.type == kDnsTypeCname) out->set_cname(rr.target);
  if (rr.type == kDnsTypeMx) out->set_mx(rr.target);
  out->set_rdata_hex(rr.rdata_hex);
  out->set_cache_flush(rr.cache_flush);
  out->set_target(rr.target);
  out->set_rdlength(rr.rdlength);
}

void FillQuestion(const DnsQuestionEntry& q, v1::DnsQuestion* out) {
  out->set_name(q.name);
  out->set_type(q.type);
  out->set_dns_class(q.klass);
  out->set_type_name(DnsTypeName(q.type));
  out->set_class_name(DnsClassName(q.klass));
  out->set_unicast_response(q.unicast_response);
}

}  // namespace

void FillDnsMessage(const DnsMessage& m, v1::DnsPacket* out) {
  out->set_dns_id(m.id);
  v1::DnsFlags* f = out->mutable_flags();
  f->set_is_response(m.is_response());
  f->set_authoritative(m.authoritative());
  f->set_truncated(m.truncated());
  f->set_recursion_desired(m.recursion_desired());
  f->set_recursion_available(m.recursion_available());
  f->set_authentic_data(m.authentic_data());
  f->set_checking_disabled(m.checking_disabled());
  out->set_opcode(m.opcode());
  out->set_opcode_name(DnsOpcodeName(m.opcode()));
  out->set_rcode(m.rcode());
  out->set_rcode_name(DnsRcodeName(m.rcode()));
  out->set_qdcount(m.counts[0]);
  out->set_ancount(m.counts[1]);
  out->set_nscount(m.counts[2]);
  out->set_arcount(m.counts[3]);
  // UPDATE reuses the first three sections as zone, prerequisites and updates (RFC 2136 2.2).
  const bool update = m.opcode() == kDnsOpcodeUpdate;
  for (const DnsQuestionEntry& q : m.questions) {
    FillQuestion(q, update ? out->add_zone() : out->add_questions());
  }
  for (const DnsRecordEntry& rr : m.answers) {
    FillRecord(rr, update ? out->add_prerequisites() : out->add_answers());
  }
  for (const DnsRecordEntry& rr : m.authorities) {
    FillRecord(rr, update ? out->add_updates() : out->add_authorities());
  }
  for (const DnsRecordEntry& rr : m.additionals) FillRecord(rr, out->add_additionals());
  if (m.edns.present) {
    v1::Edns* e = out->mutable_edns();
    e->set_version(m.edns.version);
    e->set_udp_payload_size(m.edns.udp_payload_size);
    e->set_dnssec_ok(m.edns.dnssec_ok);
    e->set_extended_rcode(m.edns.extended_rcode);
    for (const EdnsOptionEntry& o : m.edns.options) {
      v1::EdnsOption* eo = e->add_options();
      eo->set_code(o.code);
      eo->set_name(o.name);
      eo->set_value(o.value);
    }
  }
  m.anomalies.ForEach([&](DnsAnomaly a) { out->add_anomalies(std::string(DnsAnomalyName(a))); });
  out->set_summary(DnsSummary(m));
}

std::string DnsSummary(const DnsMessage& m) {
  std::string s = m.opcode() == 0 ? "Standard query" : DnsOpcodeName(m.opcode());
  if (m.is_response()) s += " response";
  absl::StrAppendFormat(&s, " 0x%04x", m.id);
  if (m.is_response() && m.rcode() != 0) absl::StrAppend(&s, " ", DnsRcodeName(m.rcode()));
  for (const DnsQuestionEntry& q : m.questions) {
    absl::StrAppend(&s, " ", DnsTypeName(q.type), " ", q.name);
  }
  // A few answers are enough for a one-line view; the records are all in `answers`. An UPDATE's
  // are prerequisites, not answers.
  size_t shown = 0;
  const std::vector<DnsRecordEntry> none;
  for (const DnsRecordEntry& rr : m.opcode() == kDnsOpcodeUpdate ? none : m.answers) {
    if (shown++ == 5) {
      absl::StrAppend(&s, " ...");
      break;
    }
    absl::StrAppend(&s, " ", DnsTypeName(rr.type), " ",
                    rr.data.size() > 60 ? rr.data.substr(0, 57) + "..." : rr.data);
  }
  return s;
}

}  // namespace mcpcap
