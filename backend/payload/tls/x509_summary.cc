#include "backend/payload/tls/x509_summary.h"

#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace mcpcap::payload {
namespace {

constexpr uint8_t kSequence = 0x30;
constexpr uint8_t kSet = 0x31;
constexpr uint8_t kOid = 0x06;
constexpr uint8_t kUtcTime = 0x17;
constexpr uint8_t kGeneralizedTime = 0x18;
constexpr uint8_t kExplicit0 = 0xa0;

// One DER element: tag and contents. Only single-byte tags and definite lengths (DER).
bool ReadTlv(ByteReader& r, uint8_t* tag, Bytes* value) {
  uint8_t t = 0;
  uint8_t first = 0;
  if (!r.ReadU8(&t) || (t & 0x1f) == 0x1f || !r.ReadU8(&first)) return false;
  size_t length = first;
  if (first & 0x80) {
    const int octets = first & 0x7f;
    if (octets == 0 || octets > 4) return false;  // indefinite or absurd
    length = 0;
    for (int i = 0; i < octets; ++i) {
      uint8_t b = 0;
      if (!r.ReadU8(&b)) return false;
      length = length << 8 | b;
    }
  }
  *tag = t;
  return r.ReadBytes(length, value);
}

bool ReadExpected(ByteReader& r, uint8_t expected, Bytes* value) {
  uint8_t tag = 0;
  return ReadTlv(r, &tag, value) && tag == expected;
}

// Dotted form of an OID ("2.5.4.3"); empty when malformed.
std::string OidText(Bytes oid) {
  if (oid.empty() || oid.size() > 32) return "";
  std::string out;
  uint64_t value = 0;
  bool first = true;
  for (uint8_t b : oid) {
    value = value << 7 | (b & 0x7f);
    if (b & 0x80) continue;
    if (first) {
      const uint64_t arc = value < 40 ? 0 : value < 80 ? 1 : 2;
      absl::StrAppend(&out, arc, ".", value - arc * 40);
      first = false;
    } else {
      absl::StrAppend(&out, ".", value);
    }
    value = 0;
  }
  return out;
}

const char* AttributeName(const std::string& oid) {
  struct Attr {
    const char* oid;
    const char* name;
  };
  static constexpr Attr kAttrs[] = {
      {"2.5.4.3", "CN"},
      {"2.5.4.6", "C"},
      {"2.5.4.7", "L"},
      {"2.5.4.8", "ST"},
      {"2.5.4.9", "STREET"},
      {"2.5.4.10", "O"},
      {"2.5.4.11", "OU"},
      {"2.5.4.5", "serialNumber"},
      {"2.5.4.4", "SN"},
      {"2.5.4.42", "GN"},
      {"2.5.4.12", "title"},
      {"2.5.4.17", "postalCode"},
      {"2.5.4.97", "organizationIdentifier"},
      {"1.2.840.113549.1.9.1", "emailAddress"},
      {"0.9.2342.19200300.100.1.25", "DC"},
      {"0.9.2342.19200300.100.1.1", "UID"},
      {"1.3.6.1.4.1.311.60.2.1.3", "jurisdictionC"},
      {"2.5.4.15", "businessCategory"},
  };
  for (const Attr& a : kAttrs) {
    if (oid == a.oid) return a.name;
  }
  return nullptr;
}

// Appends an attribute value with RFC 4514 escaping; bytes outside printable ASCII (and the
// bytes of UTF-8 text) as \XX so the result is plain ASCII.
void AppendEscaped(Bytes value, std::string* out) {
  for (size_t i = 0; i < value.size(); ++i) {
    const char c = static_cast<char>(value[i]);
    const bool edge = (i == 0 && (c == ' ' || c == '#')) || (i + 1 == value.size() && c == ' ');
    if (value[i] < 0x20 || value[i] >= 0x7f) {
      absl::StrAppendFormat(out, "\\%02X", value[i]);
    } else if (edge || c == ',' || c == '+' || c == '"' || c == '\\' || c == '<' || c == '>' ||
               c == ';') {
      out->push_back('\\');
      out->push_back(c);
    } else {
      out->push_back(c);
    }
  }
}

// An RDNSequence as RFC 4514 text: the last RDN first.
bool NameText(Bytes name, std::string* out) {
  // Collect RDN spans first (at most 32) so that they can be written in reverse.
  constexpr size_t kMaxRdns = 32;
  Bytes rdns[kMaxRdns];
  size_t count = 0;
  ByteReader r(name);
  while (!r.empty()) {
    Bytes rdn;
    if (!ReadExpected(r, kSet, &rdn)) return false;
    if (count < kMaxRdns) rdns[count++] = rdn;
  }
  std::string text;
  for (size_t i = count; i > 0; --i) {
    ByteReader set(rdns[i - 1]);
    bool first_in_set = true;
    while (!set.empty()) {
      Bytes atv;
      Bytes oid;
      Bytes value;
      uint8_t value_tag = 0;
      if (!ReadExpected(set, kSequence, &atv)) return false;
      ByteReader a(atv);
      if (!ReadExpected(a, kOid, &oid) || !ReadTlv(a, &value_tag, &value)) return false;
      if (!text.empty()) text.push_back(first_in_set ? ',' : '+');
      first_in_set = false;
      const std::string dotted = OidText(oid);
      const char* short_name = AttributeName(dotted);
      text += short_name != nullptr ? short_name : dotted;
      text.push_back('=');
      AppendEscaped(value, &text);
      if (text.size() > kMaxValueBytes) {
        text.resize(kMaxValueBytes - 3);
        text += "...";
        *out = std::move(text);
        return true;
      }
    }
  }
  *out = std::move(text);
  return true;
}

bool Digits(Bytes b, size_t at, size_t n, int* value) {
  int v = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (i >= b.size() || b[i] < '0' || b[i] > '9') return false;
    v = v * 10 + (b[i] - '0');
  }
  *value = v;
  return true;
}

// UTCTime (YYMMDDHHMMSSZ) or GeneralizedTime (YYYYMMDDHHMMSSZ) as ISO 8601.
bool TimeText(uint8_t tag, Bytes t, std::string* out) {
  int year = 0;
  size_t at = 0;
  if (tag == kUtcTime) {
    if (!Digits(t, 0, 2, &year)) return false;
    year += year >= 50 ? 1900 : 2000;
    at = 2;
  } else if (tag == kGeneralizedTime) {
    if (!Digits(t, 0, 4, &year)) return false;
    at = 4;
  } else {
    return false;
  }
  int month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!Digits(t, at, 2, &month) || !Digits(t, at + 2, 2, &day) || !Digits(t, at + 4, 2, &hour) ||
      !Digits(t, at + 6, 2, &minute)) {
    return false;
  }
  Digits(t, at + 8, 2, &second);  // seconds may be absent in (non-DER) UTCTime
  *out = absl::StrFormat("%04d-%02d-%02dT%02d:%02d:%02dZ", year, month, day, hour, minute, second);
  return true;
}

}  // namespace

bool SummarizeCertificate(Bytes der, Certificate* out) {
  ByteReader outer(der);
  Bytes cert;
  Bytes tbs;
  if (!ReadExpected(outer, kSequence, &cert)) return false;
  ByteReader c(cert);
  if (!ReadExpected(c, kSequence, &tbs)) return false;
  ByteReader t(tbs);
  uint8_t tag = 0;
  Bytes value;
  if (!ReadTlv(t, &tag, &value)) return false;
  if (tag == kExplicit0 && !ReadTlv(t, &tag, &value)) return false;  // version, then serial
  Bytes signature, issuer, validity, subject;
  if (!ReadExpected(t, kSequence, &signature) || !ReadExpected(t, kSequence, &issuer) ||
      !ReadExpected(t, kSequence, &validity) || !ReadExpected(t, kSequence, &subject)) {
    return false;
  }
  if (!NameText(issuer, &out->issuer) || !NameText(subject, &out->subject)) return false;
  ByteReader v(validity);
  Bytes not_before, not_after;
  uint8_t before_tag = 0, after_tag = 0;
  return ReadTlv(v, &before_tag, &not_before) && ReadTlv(v, &after_tag, &not_after) &&
         TimeText(before_tag, not_before, &out->not_before) &&
         TimeText(after_tag, not_after, &out->not_after);
}

}  // namespace mcpcap::payload
