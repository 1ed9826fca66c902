#include "backend/dissect/dns_rdata.h"

#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "backend/base/time_format.h"
#include "backend/dissect/dns_name.h"
#include "backend/dissect/dns_names.h"
#include "backend/dissect/ip_address.h"

namespace mcpcap {
namespace {

// Text in double quotes as dig shows it: '"' and '\\' escaped, other bytes outside printable
// ASCII as \DDD.
void AppendQuoted(Bytes text, std::string* out) {
  out->push_back('"');
  for (uint8_t b : text) {
    if (b == '"' || b == '\\') {
      out->push_back('\\');
      out->push_back(static_cast<char>(b));
    } else if (b >= 0x20 && b < 0x7f) {
      out->push_back(static_cast<char>(b));
    } else {
      absl::StrAppend(out, "\\", b / 100, (b / 10) % 10, b % 10);
    }
  }
  out->push_back('"');
}

// Reads fields of one record's data: fixed-size values through a ByteReader, names through
// ReadDnsName (which needs the whole message for pointers).
class RdataReader {
 public:
  RdataReader(Bytes message, size_t pos, size_t length, DnsAnomalySet* anomalies)
      : message_(message),
        start_(pos),
        end_(pos + length),
        reader_(message.subspan(pos, length)),
        anomalies_(anomalies) {}

  ByteReader& r() { return reader_; }
  bool Name(std::string* out) {
    size_t next = 0;
    if (!ReadDnsName(message_, start_ + reader_.position(), end_, &next, out, anomalies_)) {
      return false;
    }
    return reader_.Seek(next - start_);
  }
  // A <character-string>: one length byte and that many bytes, quoted and escaped.
  bool CharString(std::string* out) {
    uint8_t len = 0;
    Bytes s;
    if (!reader_.ReadU8(&len) || !reader_.ReadBytes(len, &s)) return false;
    AppendQuoted(s, out);
    return true;
  }
  bool AtEnd() const { return reader_.empty(); }

 private:
  Bytes message_;
  size_t start_;
  size_t end_;
  ByteReader reader_;
  DnsAnomalySet* anomalies_;
};

std::string V4(const uint8_t* p) { return IpAddress::V4(p).ToString(); }
std::string V6(const uint8_t* p) { return IpAddress::V6(p).ToString(); }

// DNSSEC times are written YYYYMMDDHHMMSS (RFC 4034 3.2).
std::string DnssecTime(uint32_t t) {
  std::string iso = FormatUtcIso(t, 0, 0);  // "2023-11-14T22:13:20Z"
  std::string out;
  for (char c : iso) {
    if (c >= '0' && c <= '9') out.push_back(c);
  }
  return out;
}

// RFC 4034 Appendix B.
uint16_t KeyTag(Bytes rdata) {
  uint32_t ac = 0;
  for (size_t i = 0; i < rdata.size(); ++i) ac += (i & 1) ? rdata[i] : uint32_t{rdata[i]} << 8;
  ac += (ac >> 16) & 0xffff;
  return static_cast<uint16_t>(ac & 0xffff);
}

std::string UpperHex(Bytes b) {
  std::string h = DnsHex(b);
  for (char& c : h) {
    if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 'a' + 'A');
  }
  return h;
}

// The NSEC/NSEC3 type bit maps (RFC 4034 4.1.2), as mnemonics.
bool TypeBitmap(ByteReader& r, std::string* out) {
  while (!r.empty()) {
    uint8_t window = 0, len = 0;
    Bytes bits;
    if (!r.ReadU8(&window) || !r.ReadU8(&len) || len == 0 || len > 32 || !r.ReadBytes(len, &bits)) {
      return false;
    }
    for (size_t i = 0; i < bits.size(); ++i) {
      for (int b = 0; b < 8; ++b) {
        if (bits[i] & (0x80 >> b)) {
          absl::StrAppend(out, " ", DnsTypeName(static_cast<uint16_t>(window * 256 + i * 8 + b)));
        }
      }
    }
  }
  return true;
}

std::string SvcKeyName(uint16_t key) {
  switch (key) {
    case 0:
      return "mandatory";
    case 1:
      return "alpn";
    case 2:
      return "no-default-alpn";
    case 3:
      return "port";
    case 4:
      return "ipv4hint";
    case 5:
      return "ech";
    case 6:
      return "ipv6hint";
    case 7:
      return "dohpath";
    default:
      return absl::StrCat("key", key);
  }
}

// One SvcParam (RFC 9460 2.1) in presentation form.
bool SvcParam(uint16_t key, Bytes value, std::string* out) {
  ByteReader v(value);
  std::string text = SvcKeyName(key);
  switch (key) {
    case 0: {
      text += "=";
      for (bool first = true; !v.empty(); first = false) {
        uint16_t k = 0;
        if (!v.ReadU16Be(&k)) return false;
        absl::StrAppend(&text, first ? "" : ",", SvcKeyName(k));
      }
      break;
    }
    case 1: {
      text += "=";
      for (bool first = true; !v.empty(); first = false) {
        uint8_t len = 0;
        Bytes id;
        if (!v.ReadU8(&len) || !v.ReadBytes(len, &id)) return false;
        if (!first) text += ",";
        AppendEscapedLabel(id, &text);
      }
      break;
    }
    case 2:
      if (!value.empty()) return false;
      break;
    case 3: {
      uint16_t port = 0;
      if (!v.ReadU16Be(&port) || !v.empty()) return false;
      absl::StrAppend(&text, "=", port);
      break;
    }
    case 4:
    case 6: {
      const size_t n = key == 4 ? 4 : 16;
      if (value.empty() || value.size() % n != 0) return false;
      text += "=";
      for (size_t i = 0; i < value.size(); i += n) {
        absl::StrAppend(&text, i ? "," : "", n == 4 ? V4(&value[i]) : V6(&value[i]));
      }
      break;
    }
    case 5:
      // The ECH configuration is opaque to a reader; its presence and size are what matter.
      absl::StrAppend(&text, "=<", value.size(), " bytes>");
      break;
    case 7:
      text += "=";
      AppendEscapedLabel(value, &text);
      break;
    default:
      if (!value.empty()) absl::StrAppend(&text, "=", DnsHex(value));
      break;
  }
  absl::StrAppend(out, " ", text);
  return true;
}

// Decodes the known types; false when the data does not fit the type.
bool DecodeKnown(RdataReader& in, Bytes rdata, DnsRecordEntry* rr) {
  ByteReader& r = in.r();
  std::string& d = rr->data;
  switch (rr->type) {
    case kDnsTypeA:
      if (rdata.size() != 4) return false;
      rr->address = d = V4(rdata.data());
      return true;
    case kDnsTypeAaaa:
      if (rdata.size() != 16) return false;
      rr->address = d = V6(rdata.data());
      return true;
    case kDnsTypeNs:
    case kDnsTypeCname:
    case kDnsTypePtr:
    case kDnsTypeDname:
      if (!in.Name(&rr->target) || !in.AtEnd()) return false;
      d = rr->target;
      return true;
    case kDnsTypeMx: {
      uint16_t pref = 0;
      if (!r.ReadU16Be(&pref) || !in.Name(&rr->target) || !in.AtEnd()) return false;
      d = absl::StrCat(pref, " ", rr->target);
      return true;
    }
    case kDnsTypeTxt:
    case kDnsTypeSpf:
    case kDnsTypeHinfo:
      if (in.AtEnd()) return rr->type != kDnsTypeHinfo;
      while (!in.AtEnd()) {
        if (!d.empty()) d += " ";
        if (!in.CharString(&d)) return false;
      }
      return true;
    case kDnsTypeSoa: {
      std::string rname;
      uint32_t serial, refresh, retry, expire, minimum;
      if (!in.Name(&rr->target) || !in.Name(&rname) || !r.ReadU32Be(&serial) ||
          !r.ReadU32Be(&refresh) || !r.ReadU32Be(&retry) || !r.ReadU32Be(&expire) ||
          !r.ReadU32Be(&minimum) || !in.AtEnd()) {
        return false;
      }
      d = absl::StrCat(rr->target, " ", rname, " ", serial, " ", refresh, " ", retry, " ", expire,
                       " ", minimum);
      return true;
    }
    case kDnsTypeSrv: {
      uint16_t prio, weight, port;
      if (!r.ReadU16Be(&prio) || !r.ReadU16Be(&weight) || !r.ReadU16Be(&port) ||
          !in.Name(&rr->target) || !in.AtEnd()) {
        return false;
      }
      d = absl::StrCat(prio, " ", weight, " ", port, " ", rr->target);
      return true;
    }
    case kDnsTypeNaptr: {
      uint16_t order, pref;
      if (!r.ReadU16Be(&order) || !r.ReadU16Be(&pref)) return false;
      d = absl::StrCat(order, " ", pref);
      for (int i = 0; i < 3; ++i) {
        d += " ";
        if (!in.CharString(&d)) return false;
      }
      if (!in.Name(&rr->target) || !in.AtEnd()) return false;
      absl::StrAppend(&d, " ", rr->target);
      return true;
    }
    case kDnsTypeCaa: {
      uint8_t flags = 0, tag_len = 0;
      Bytes tag;
      if (!r.ReadU8(&flags) || !r.ReadU8(&tag_len) || tag_len == 0 || !r.ReadBytes(tag_len, &tag)) {
        return false;
      }
      d = absl::StrCat(flags, " ");
      AppendEscapedLabel(tag, &d);
      d += " ";
      AppendQuoted(r.rest(), &d);
      return true;
    }
    case kDnsTypeDs:
    case 59: {  // CDS
      uint16_t tag;
      uint8_t alg, digest_type;
      if (!r.ReadU16Be(&tag) || !r.ReadU8(&alg) || !r.ReadU8(&digest_type) || r.empty()) {
        return false;
      }
      d = absl::StrCat(tag, " ", alg, " ", digest_type, " ", UpperHex(r.rest()));
      return true;
    }
    case kDnsTypeDnskey:
    case 60: {  // CDNSKEY
      uint16_t flags;
      uint8_t proto, alg;
      if (!r.ReadU16Be(&flags) || !r.ReadU8(&proto) || !r.ReadU8(&alg)) return false;
      // A summary: the key itself means nothing to a reader, its role and tag do.
      d = absl::StrCat(flags, " ", proto, " ", alg, " (", (flags & 1) ? "KSK" : "ZSK", ", key tag ",
                       KeyTag(rdata), ", ", r.remaining(), "-byte key)");
      return true;
    }
    case kDnsTypeRrsig: {
      uint16_t covered, tag;
      uint8_t alg, labels;
      uint32_t orig_ttl, expiration, inception;
      std::string signer;
      if (!r.ReadU16Be(&covered) || !r.ReadU8(&alg) || !r.ReadU8(&labels) ||
          !r.ReadU32Be(&orig_ttl) || !r.ReadU32Be(&expiration) || !r.ReadU32Be(&inception) ||
          !r.ReadU16Be(&tag) || !in.Name(&signer)) {
        return false;
      }
      d = absl::StrCat(DnsTypeName(covered), " ", alg, " ", labels, " ", orig_ttl, " ",
                       DnssecTime(expiration), " ", DnssecTime(inception), " ", tag, " ", signer,
                       " (", r.remaining(), "-byte signature)");
      rr->target = signer;
      return true;
    }
    case kDnsTypeNsec: {
      if (!in.Name(&rr->target)) return false;
      d = rr->target;
      return TypeBitmap(r, &d);
    }
    case kDnsTypeSvcb:
    case kDnsTypeHttps: {
      uint16_t prio = 0;
      if (!r.ReadU16Be(&prio) || !in.Name(&rr->target)) return false;
      d = absl::StrCat(prio, " ", rr->target);
      while (!r.empty()) {
        uint16_t key, len;
        Bytes value;
        if (!r.ReadU16Be(&key) || !r.ReadU16Be(&len) || !r.ReadBytes(len, &value) ||
            !SvcParam(key, value, &d)) {
          return false;
        }
      }
      return true;
    }
    default:
      return false;
  }
}

bool HasDecoder(uint16_t type) {
  switch (type) {
    case kDnsTypeA:
    case kDnsTypeAaaa:
    case kDnsTypeNs:
    case kDnsTypeCname:
    case kDnsTypePtr:
    case kDnsTypeDname:
    case kDnsTypeMx:
    case kDnsTypeTxt:
    case kDnsTypeSpf:
    case kDnsTypeHinfo:
    case kDnsTypeSoa:
    case kDnsTypeSrv:
    case kDnsTypeNaptr:
    case kDnsTypeCaa:
    case kDnsTypeDs:
    case 59:
    case kDnsTypeDnskey:
    case 60:
    case kDnsTypeRrsig:
    case kDnsTypeNsec:
    case kDnsTypeSvcb:
    case kDnsTypeHttps:
      return true;
    default:
      return false;
  }
}

std::string EdnsOptionValue(uint16_t code, Bytes value) {
  ByteReader r(value);
  switch (code) {
    case 8: {  // client subnet (RFC 7871): address/source/scope
      uint16_t family;
      uint8_t source, scope;
      if (!r.ReadU16Be(&family) || !r.ReadU8(&source) || !r.ReadU8(&scope)) break;
      const size_t n = family == 1 ? 4 : family == 2 ? 16 : 0;
      if (n == 0 || r.remaining() > n) break;
      uint8_t addr[16] = {};
      for (size_t i = 0; !r.empty(); ++i) r.ReadU8(&addr[i]);
      return absl::StrCat(n == 4 ? V4(addr) : V6(addr), "/", source, "/", scope);
    }
    case 10: {  // cookie (RFC 7873): 8-byte client part, optional 8..32-byte server part
      Bytes client;
      if (!r.ReadBytes(8, &client)) break;
      std::string out = absl::StrCat("client=", DnsHex(client));
      if (!r.empty()) absl::StrAppend(&out, " server=", DnsHex(r.rest()));
      return out;
    }
    case 11: {  // TCP keepalive (RFC 7828), in units of 100 ms
      uint16_t t;
      if (value.empty()) return "";
      if (!r.ReadU16Be(&t)) break;
      return absl::StrCat("timeout=", t * 100, "ms");
    }
    case 12:
      return absl::StrCat(value.size(), " bytes");
    case 15: {  // extended DNS error (RFC 8914)
      uint16_t info;
      if (!r.ReadU16Be(&info)) break;
      std::string out = absl::StrCat("info-code=", info);
      if (!r.empty()) {
        out += " ";
        AppendQuoted(r.rest(), &out);
      }
      return out;
    }
    default:
      break;
  }
  return DnsHex(value);
}

}  // namespace

std::string DnsHex(Bytes data) {
  const bool cut = data.size() > kDnsMaxHexBytes;
  std::string hex = absl::BytesToHexString(absl::string_view(
      reinterpret_cast<const char*>(data.data()), cut ? kDnsMaxHexBytes : data.size()));
  if (cut) hex += "...";
  return hex;
}

void DecodeRdata(Bytes message, size_t pos, DnsRecordEntry* rr, DnsAnomalySet* anomalies) {
  const Bytes rdata = message.subspan(pos, rr->rdlength);
  // UPDATE prerequisites and deletions name an RRset by class ANY or NONE with no data
  // (RFC 2136 2.4, 2.5): nothing to decode, and nothing wrong.
  if (rdata.empty() && (rr->klass == kDnsClassNone || rr->klass == kDnsClassAny)) return;
  if (HasDecoder(rr->type)) {
    RdataReader in(message, pos, rr->rdlength, anomalies);
    if (DecodeKnown(in, rdata, rr)) return;
    anomalies->Add(DnsAnomaly::kBadRdata);
    rr->address.clear();
    rr->target.clear();
  }
  rr->rdata_hex = DnsHex(rdata);
  rr->data = absl::StrCat("\\# ", rdata.size(), rdata.empty() ? "" : " ", rr->rdata_hex);
}

void DecodeEdnsOptions(Bytes rdata, EdnsInfo* edns, DnsAnomalySet* anomalies) {
  ByteReader r(rdata);
  while (!r.empty()) {
    uint16_t code, len;
    Bytes value;
    if (!r.ReadU16Be(&code) || !r.ReadU16Be(&len) || !r.ReadBytes(len, &value)) {
      anomalies->Add(DnsAnomaly::kBadOpt);
      return;
    }
    if (edns->options.size() == kEdnsMaxOptions) continue;
    edns->options.push_back({code, EdnsOptionName(code), EdnsOptionValue(code, value)});
  }
}

}  // namespace mcpcap
