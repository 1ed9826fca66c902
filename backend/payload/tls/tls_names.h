// Names of TLS protocol numbers for results: versions, cipher suites (IANA names), alerts,
// handshake message types, named groups. Unknown values come back as hex ("0x1301") so that a
// reader can still look them up.
#ifndef MCPCAP_BACKEND_PAYLOAD_TLS_TLS_NAMES_H_
#define MCPCAP_BACKEND_PAYLOAD_TLS_TLS_NAMES_H_

#include <cstdint>
#include <string>

namespace mcpcap::payload {

// "SSL 3.0", "TLS 1.0" .. "TLS 1.3", "TLS 1.3 (draft 28)"; GREASE and unknown as "0x0a0a".
std::string TlsVersionName(uint16_t version);
// IANA name, e.g. "TLS_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"; unknown and
// GREASE values as "0x1301"-style hex.
std::string TlsCipherSuiteName(uint16_t suite);
// "close_notify", "handshake_failure", ...; unknown as the number.
std::string TlsAlertName(uint8_t description);
// "warning", "fatal"; unknown as the number.
std::string TlsAlertLevelName(uint8_t level);
// "ClientHello", "ServerHello", "Certificate", ...; unknown as "handshake_<n>".
std::string TlsHandshakeName(uint8_t type);
// "x25519", "secp256r1", ...; unknown as hex.
std::string TlsNamedGroupName(uint16_t group);

// GREASE values (RFC 8701): 0x0a0a, 0x1a1a, ... 0xfafa.
inline bool IsTlsGrease(uint16_t v) { return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff); }
// TLS 1.3 or one of its drafts (0x7fNN).
inline bool IsTls13(uint16_t version) { return version == 0x0304 || (version >> 8) == 0x7f; }

}  // namespace mcpcap::payload

#endif  // MCPCAP_BACKEND_PAYLOAD_TLS_TLS_NAMES_H_
