// Decoders for the TLS handshake messages read in clear: ClientHello (also the SSLv2-compatible
// form), ServerHello / HelloRetryRequest, Certificate (TLS 1.2 and below) and the named group of
// an ECDHE ServerKeyExchange. Each takes the message body (after the 4-byte handshake header)
// and copies at most the bounds below.
#ifndef MCPCAP_BACKEND_PAYLOAD_TLS_TLS_HANDSHAKE_H_
#define MCPCAP_BACKEND_PAYLOAD_TLS_TLS_HANDSHAKE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "backend/base/byte_reader.h"
#include "backend/payload/common/app_events.h"

namespace mcpcap::payload {

inline constexpr size_t kMaxTlsCiphers = 128;
inline constexpr size_t kMaxTlsAlpn = 16;
inline constexpr size_t kMaxTlsVersions = 16;
inline constexpr size_t kMaxTlsCertificates = 8;

struct TlsClientHello {
  uint16_t version = 0;                      // legacy_version
  std::vector<uint16_t> ciphers;             // in order, GREASE included
  std::string sni;                           // host_name, at most kMaxValueBytes
  std::vector<std::string> alpn;             // offered protocols
  std::vector<uint16_t> supported_versions;  // extension 43, in order
  // supported_versions' highest non-GREASE value, else `version`.
  uint16_t HighestVersion() const;
};

struct TlsServerHello {
  uint16_t version = 0;           // legacy_version
  uint16_t selected_version = 0;  // extension 43; 0 when absent
  uint16_t cipher = 0;
  std::string alpn;          // chosen protocol
  bool hello_retry = false;  // the HelloRetryRequest form (RFC 8446 4.1.3)
  uint16_t NegotiatedVersion() const { return selected_version != 0 ? selected_version : version; }
};

bool ParseClientHello(Bytes body, TlsClientHello* out);
// An SSLv2-compatible ClientHello record body (after the 2-byte header, from msg_type on).
bool ParseSslv2ClientHello(Bytes body, TlsClientHello* out);
bool ParseServerHello(Bytes body, TlsServerHello* out);
// The chain of a TLS <= 1.2 Certificate message, at most `max` summaries (certificates that do
// not parse are reported with empty fields). Returns the number of certificates in the message,
// or -1 when the list itself is malformed.
int ParseCertificateChain(Bytes body, size_t max, std::vector<Certificate>* out);
// The named group of an ECDHE ServerKeyExchange; false for other key exchanges.
bool ParseServerKeyExchangeGroup(Bytes body, uint16_t* group);

}  // namespace mcpcap::payload

#endif  // MCPCAP_BACKEND_PAYLOAD_TLS_TLS_HANDSHAKE_H_
