#include "backend/payload/tls/tls_handshake.h"

#include <algorithm>

#include "backend/payload/tls/tls_names.h"
#include "backend/payload/tls/x509_summary.h"

namespace mcpcap::payload {
namespace {

constexpr uint16_t kExtServerName = 0;
constexpr uint16_t kExtAlpn = 16;
constexpr uint16_t kExtSupportedVersions = 43;

// SHA-256("HelloRetryRequest"): the random of a HelloRetryRequest.
constexpr uint8_t kHelloRetryRandom[32] = {
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c};

bool ReadVector8(ByteReader& r, Bytes* out) {
  uint8_t n = 0;
  return r.ReadU8(&n) && r.ReadBytes(n, out);
}
bool ReadVector16(ByteReader& r, Bytes* out) {
  uint16_t n = 0;
  return r.ReadU16Be(&n) && r.ReadBytes(n, out);
}
bool ReadVector24(ByteReader& r, Bytes* out) {
  uint8_t hi = 0;
  uint16_t lo = 0;
  return r.ReadU8(&hi) && r.ReadU16Be(&lo) && r.ReadBytes(size_t{hi} << 16 | lo, out);
}

std::string Text(Bytes b, size_t max) {
  std::string s(reinterpret_cast<const char*>(b.data()), std::min(b.size(), max));
  for (char& c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) c = '?';
  }
  return s;
}

void ReadAlpnList(Bytes ext, std::vector<std::string>* out, size_t max) {
  ByteReader r(ext);
  Bytes list;
  if (!ReadVector16(r, &list)) return;
  ByteReader l(list);
  Bytes name;
  while (out->size() < max && ReadVector8(l, &name)) out->push_back(Text(name, 64));
}

void ReadClientExtension(uint16_t type, Bytes ext, TlsClientHello* out) {
  ByteReader r(ext);
  if (type == kExtServerName) {
    Bytes list;
    if (!ReadVector16(r, &list)) return;
    ByteReader l(list);
    uint8_t name_type = 0;
    Bytes name;
    while (l.ReadU8(&name_type) && ReadVector16(l, &name)) {
      if (name_type == 0) {
        out->sni = Text(name, kMaxValueBytes);
        return;
      }
    }
  } else if (type == kExtAlpn) {
    ReadAlpnList(ext, &out->alpn, kMaxTlsAlpn);
  } else if (type == kExtSupportedVersions) {
    Bytes list;
    if (!ReadVector8(r, &list)) return;
    ByteReader l(list);
    uint16_t v = 0;
    while (out->supported_versions.size() < kMaxTlsVersions && l.ReadU16Be(&v)) {
      out->supported_versions.push_back(v);
    }
  }
}

}  // namespace

uint16_t TlsClientHello::HighestVersion() const {
  // Drafts (0x7fNN) rank as TLS 1.3.
  auto rank = [](uint16_t v) { return IsTls13(v) ? 0x0304 : v; };
  uint16_t best = 0;
  for (uint16_t v : supported_versions) {
    if (!IsTlsGrease(v) && (best == 0 || rank(v) > rank(best))) best = v;
  }
  return best != 0 ? best : version;
}

bool ParseClientHello(Bytes body, TlsClientHello* out) {
  ByteReader r(body);
  Bytes random, session, suites, compression;
  if (!r.ReadU16Be(&out->version) || !r.ReadBytes(32, &random) || !ReadVector8(r, &session) ||
      !ReadVector16(r, &suites) || !ReadVector8(r, &compression)) {
    return false;
  }
  ByteReader s(suites);
  uint16_t suite = 0;
  while (out->ciphers.size() < kMaxTlsCiphers && s.ReadU16Be(&suite)) out->ciphers.push_back(suite);
  Bytes extensions;
  if (r.empty()) return true;  // no extensions (SSL 3.0 style)
  if (!ReadVector16(r, &extensions)) return false;
  ByteReader e(extensions);
  uint16_t type = 0;
  Bytes ext;
  while (e.ReadU16Be(&type) && ReadVector16(e, &ext)) ReadClientExtension(type, ext, out);
  return true;
}

bool ParseSslv2ClientHello(Bytes body, TlsClientHello* out) {
  ByteReader r(body);
  uint8_t msg_type = 0;
  uint16_t spec_length = 0, session_length = 0, challenge_length = 0;
  Bytes specs;
  if (!r.ReadU8(&msg_type) || msg_type != 1 || !r.ReadU16Be(&out->version) ||
      !r.ReadU16Be(&spec_length) || !r.ReadU16Be(&session_length) ||
      !r.ReadU16Be(&challenge_length) || spec_length % 3 != 0 ||
      !r.ReadBytes(spec_length, &specs)) {
    return false;
  }
  // Three-byte cipher specs; those with a zero first byte are TLS cipher suites.
  for (size_t i = 0; i + 3 <= specs.size() && out->ciphers.size() < kMaxTlsCiphers; i += 3) {
    if (specs[i] == 0) out->ciphers.push_back(LoadU16Be(&specs[i + 1]));
  }
  return true;
}

bool ParseServerHello(Bytes body, TlsServerHello* out) {
  ByteReader r(body);
  Bytes random, session;
  uint8_t compression = 0;
  if (!r.ReadU16Be(&out->version) || !r.ReadBytes(32, &random) || !ReadVector8(r, &session) ||
      !r.ReadU16Be(&out->cipher) || !r.ReadU8(&compression)) {
    return false;
  }
  out->hello_retry = std::equal(random.begin(), random.end(), std::begin(kHelloRetryRandom));
  Bytes extensions;
  if (r.empty()) return true;
  if (!ReadVector16(r, &extensions)) return false;
  ByteReader e(extensions);
  uint16_t type = 0;
  Bytes ext;
  while (e.ReadU16Be(&type) && ReadVector16(e, &ext)) {
    ByteReader x(ext);
    if (type == kExtSupportedVersions) {
      x.ReadU16Be(&out->selected_version);
    } else if (type == kExtAlpn) {
      std::vector<std::string> chosen;
      ReadAlpnList(ext, &chosen, 1);
      if (!chosen.empty()) out->alpn = chosen.front();
    }
  }
  return true;
}

int ParseCertificateChain(Bytes body, size_t max, std::vector<Certificate>* out) {
  ByteReader r(body);
  Bytes list;
  if (!ReadVector24(r, &list)) return -1;
  ByteReader l(list);
  Bytes der;
  int count = 0;
  while (ReadVector24(l, &der)) {
    ++count;
    if (out->size() < max) {
      Certificate cert;
      SummarizeCertificate(der, &cert);
      out->push_back(std::move(cert));
    }
  }
  return l.empty() ? count : -1;
}

bool ParseServerKeyExchangeGroup(Bytes body, uint16_t* group) {
  // ECParameters: curve_type named_curve (3), then the group.
  ByteReader r(body);
  uint8_t curve_type = 0;
  return r.ReadU8(&curve_type) && curve_type == 3 && r.ReadU16Be(group);
}

}  // namespace mcpcap::payload
