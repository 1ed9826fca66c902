#include "backend/dissect/dns.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "backend/dissect/dns_name.h"
#include "backend/dissect/dns_rdata.h"

namespace mcpcap {
namespace {

enum Section { kQuestion = 0, kAnswer = 1, kAuthority = 2, kAdditional = 3 };

// The EDNS pseudo-record: its class and TTL fields carry EDNS's own values (RFC 6891 6.1.3).
void ReadOpt(Bytes message, size_t rdata_pos, Section section, DnsRecordEntry* rr,
             DnsMessage* out) {
  if (section != kAdditional || out->edns.present || rr->name != kDnsRootName) {
    out->anomalies.Add(DnsAnomaly::kBadOpt);
    if (out->edns.present || section != kAdditional) return;  // keep the first, proper one
  }
  EdnsInfo& e = out->edns;
  e.present = true;
  e.udp_payload_size = rr->klass;
  e.extended_rcode = static_cast<uint8_t>(rr->ttl >> 24);
  e.version = static_cast<uint8_t>(rr->ttl >> 16);
  e.dnssec_ok = (rr->ttl & 0x8000) != 0;
  DecodeEdnsOptions(message.subspan(rdata_pos, rr->rdlength), &e, &out->anomalies);
  rr->data = absl::StrCat("EDNS", e.version, " udp=", e.udp_payload_size, e.dnssec_ok ? " do" : "");
  for (const EdnsOptionEntry& o : e.options) {
    absl::StrAppend(&rr->data, " ", o.name, o.value.empty() ? "" : "=", o.value);
  }
}

// Reads one question at *pos; false when the message ends inside it.
bool ReadQuestion(Bytes message, DnsVariant variant, size_t* pos, DnsMessage* out) {
  DnsQuestionEntry q;
  size_t next = 0;
  if (!ReadDnsName(message, *pos, message.size(), &next, &q.name, &out->anomalies)) return false;
  ByteReader r(message);
  uint16_t klass = 0;
  if (!r.Seek(next) || !r.ReadU16Be(&q.type) || !r.ReadU16Be(&klass)) {
    out->anomalies.Add(DnsAnomaly::kTruncatedQuestion);
    return false;
  }
  if (variant == DnsVariant::kMdns) {
    q.unicast_response = (klass & 0x8000) != 0;
    klass &= 0x7fff;
  }
  q.klass = klass;
  out->questions.push_back(std::move(q));
  *pos = r.position();
  return true;
}

bool ReadRecord(Bytes message, DnsVariant variant, Section section, size_t* pos, DnsMessage* out) {
  DnsRecordEntry rr;
  size_t next = 0;
  if (!ReadDnsName(message, *pos, message.size(), &next, &rr.name, &out->anomalies)) return false;
  ByteReader r(message);
  if (!r.Seek(next) || !r.ReadU16Be(&rr.type) || !r.ReadU16Be(&rr.klass) || !r.ReadU32Be(&rr.ttl) ||
      !r.ReadU16Be(&rr.rdlength) || rr.rdlength > r.remaining()) {
    out->anomalies.Add(DnsAnomaly::kTruncatedRecord);
    return false;
  }
  const size_t rdata_pos = r.position();
  if (rr.type == kDnsTypeOpt) {
    ReadOpt(message, rdata_pos, section, &rr, out);
  } else {
    if (variant == DnsVariant::kMdns) {
      rr.cache_flush = (rr.klass & 0x8000) != 0;
      rr.klass &= 0x7fff;
    }
    DecodeRdata(message, rdata_pos, &rr, &out->anomalies);
  }
  std::vector<DnsRecordEntry>& list = section == kAnswer      ? out->answers
                                      : section == kAuthority ? out->authorities
                                                              : out->additionals;
  list.push_back(std::move(rr));
  *pos = rdata_pos + list.back().rdlength;
  return true;
}

bool NameCharsOk(const std::string& name) {
  if (name.empty() || name == kDnsRootName) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.';
  });
}

}  // namespace

const char* DnsVariantName(DnsVariant v) {
  switch (v) {
    case DnsVariant::kMdns:
      return "mdns";
    case DnsVariant::kLlmnr:
      return "llmnr";
    case DnsVariant::kDns:
      break;
  }
  return "dns";
}

void DnsMessage::Clear() {
  id = flags = 0;
  std::fill(std::begin(counts), std::end(counts), 0);
  questions.clear();
  answers.clear();
  authorities.clear();
  additionals.clear();
  edns = EdnsInfo();
  anomalies = DnsAnomalySet();
  parsed_length = 0;
}

bool ParseDnsMessage(Bytes message, DnsVariant variant, DnsMessage* out) {
  out->Clear();
  ByteReader r(message);
  if (!r.ReadU16Be(&out->id) || !r.ReadU16Be(&out->flags) || !r.ReadU16Be(&out->counts[0]) ||
      !r.ReadU16Be(&out->counts[1]) || !r.ReadU16Be(&out->counts[2]) ||
      !r.ReadU16Be(&out->counts[3])) {
    out->anomalies.Add(DnsAnomaly::kTruncatedHeader);
    return false;
  }
  size_t announced = 0;
  for (uint16_t c : out->counts) announced += c;
  if (announced > kDnsMaxRecords) out->anomalies.Add(DnsAnomaly::kTooManyRecords);
  // The smallest question or record takes 5 bytes: reserve no more than the bytes allow.
  const size_t room = std::min(kDnsMaxRecords, message.size() / 5);
  out->questions.reserve(std::min<size_t>(out->counts[0], room));
  out->answers.reserve(std::min<size_t>(out->counts[1], room));

  size_t pos = kDnsHeaderSize;
  size_t budget = kDnsMaxRecords;
  bool stopped = false;
  for (int s = kQuestion; s <= kAdditional && !stopped; ++s) {
    for (uint16_t i = 0; i < out->counts[s]; ++i) {
      if (budget == 0) {
        stopped = true;
        break;
      }
      --budget;
      if (pos >= message.size()) {
        out->anomalies.Add(DnsAnomaly::kCountMismatch);
        stopped = true;
        break;
      }
      const bool ok = s == kQuestion
                          ? ReadQuestion(message, variant, &pos, out)
                          : ReadRecord(message, variant, static_cast<Section>(s), &pos, out);
      if (!ok) {
        stopped = true;
        break;
      }
    }
  }
  out->parsed_length = pos;
  if (!stopped && pos < message.size()) out->anomalies.Add(DnsAnomaly::kTrailingBytes);
  return true;
}

bool LooksLikeDns(const DnsMessage& m) {
  if (!m.anomalies.empty() || m.opcode() != 0 || m.questions.empty()) return false;
  if (m.flags & 0x0040) return false;  // the Z bit must be zero
  if (!m.is_response() && (m.counts[1] != 0 || m.counts[2] != 0)) return false;
  for (const DnsQuestionEntry& q : m.questions) {
    if ((q.klass != 1 && q.klass != 255) || q.type == 0 || !NameCharsOk(q.name)) return false;
  }
  for (const auto* list : {&m.answers, &m.authorities}) {
    for (const DnsRecordEntry& rr : *list) {
      if (rr.klass != 1 || !rr.rdata_hex.empty()) return false;
    }
  }
  return true;
}

}  // namespace mcpcap
