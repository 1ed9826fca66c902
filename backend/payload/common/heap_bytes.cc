#include "backend/payload/common/heap_bytes.h"

namespace mcpcap::payload {

size_t HeapBytes(const std::vector<std::string>& v) {
  size_t bytes = v.capacity() * sizeof(std::string);
  for (const std::string& s : v) bytes += HeapBytes(s);
  return bytes;
}

size_t HeapBytes(const std::vector<std::pair<std::string, std::string>>& v) {
  size_t bytes = v.capacity() * sizeof(v[0]);
  for (const auto& [key, value] : v) bytes += HeapBytes(key) + HeapBytes(value);
  return bytes;
}

size_t HeapBytes(const AppMessage& m) {
  return HeapBytes(m.type) + HeapBytes(m.summary) + HeapBytes(m.head) + HeapBytes(m.fields);
}

size_t HeapBytes(const DbQuery& q) {
  return HeapBytes(q.text) + HeapBytes(q.query_type) + HeapBytes(q.command) +
         HeapBytes(q.database) + HeapBytes(q.error_code) + HeapBytes(q.error_message);
}

size_t HeapBytes(const Credential& c) {
  return HeapBytes(c.kind) + HeapBytes(c.user) + HeapBytes(c.evidence);
}

namespace {

size_t CertificateBytes(const Certificate& c) {
  return HeapBytes(c.subject) + HeapBytes(c.issuer) + HeapBytes(c.not_before) +
         HeapBytes(c.not_after);
}

size_t TlsBytes(const TlsFacts& t) {
  size_t bytes = HeapBytes(t.record_version) + HeapBytes(t.client_version) + HeapBytes(t.version) +
                 HeapBytes(t.sni) + HeapBytes(t.alpn_offered) + HeapBytes(t.alpn) +
                 HeapBytes(t.ciphers_offered) + HeapBytes(t.alert);
  bytes += t.certificates.capacity() * sizeof(Certificate);
  for (const Certificate& c : t.certificates) bytes += CertificateBytes(c);
  return bytes;
}

}  // namespace

size_t HeapBytes(const FlowFacts& f) {
  return HeapBytes(f.server_version) + HeapBytes(f.client_software) + HeapBytes(f.user) +
         HeapBytes(f.database) + HeapBytes(f.auth_method) + HeapBytes(f.encryption) +
         TlsBytes(f.tls) + HeapBytes(f.notes);
}

}  // namespace mcpcap::payload
