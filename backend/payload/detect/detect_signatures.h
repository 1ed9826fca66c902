// Content signatures for protocol detection: each looks at the first bytes one side sent and
// says whether they are the start of its protocol. Used by DetectProtocol (detect.cc), which
// weighs the verdicts of both sides against each other and against the ports.
#ifndef MCPCAP_BACKEND_PAYLOAD_DETECT_DETECT_SIGNATURES_H_
#define MCPCAP_BACKEND_PAYLOAD_DETECT_DETECT_SIGNATURES_H_

#include <cstdint>

#include "absl/strings/string_view.h"
#include "backend/base/byte_reader.h"

namespace mcpcap::payload::detect {

enum class Match : uint8_t {
  kNo,        // these bytes are not the start of this protocol
  kNeedMore,  // a consistent prefix: more bytes could make it kYes or kNo
  kWeak,      // consistent, but shared with other protocols (a bare "220 " banner)
  kYes,       // the protocol's own signature
};

// ---- binary protocols (detect_binary.cc) ----
Match MySqlServer(Bytes b);          // initial handshake: protocol 10 + NUL-terminated version
Match MySqlClient(Bytes b);          // HandshakeResponse41 / SSLRequest (sequence 1)
Match PostgreSqlClient(Bytes b);     // StartupMessage 3.0, SSLRequest, GSSENCRequest, CancelRequest
Match PostgreSqlServer(Bytes b);     // 'R' authentication request, 'E' error
Match MongoDbClient(Bytes b);        // OP_MSG / OP_QUERY / OP_COMPRESSED with responseTo 0
Match MongoDbServer(Bytes b);        // OP_REPLY / OP_MSG / OP_COMPRESSED answering a request
uint32_t MongoDbRequestId(Bytes b);  // requestID of the first message (0 if too short)
uint32_t MongoDbResponseTo(Bytes b);  // responseTo of the first message (0 if too short)
Match TlsClient(Bytes b);             // ClientHello (TLS record or SSLv2), or any TLS record
Match TlsServer(Bytes b);             // ServerHello, or any TLS record
Match DnsTcp(Bytes b);                // 2-byte length + DNS message
Match DnsUdp(Bytes b);                // DNS message header and first question
Match Dhcp(Bytes b);                  // BOOTP + magic cookie
Match Dhcpv6(Bytes b);                // message type + transaction id + options that parse
Match Quic(Bytes b);                  // long header with a known version
Match Ntp(Bytes b);                   // 48-byte header with version 3/4 and a sane mode
Match Snmp(Bytes b);                  // BER sequence, version 0/1/3, community, PDU

// ---- text protocols (detect_text.cc) ----
Match HttpClient(Bytes b);   // request line: METHOD SP target SP HTTP/1.x (or the h2c preface)
Match HttpServer(Bytes b);   // status line: HTTP/1.x NNN
Match SshBanner(Bytes b);    // SSH-2.0- / SSH-1.99- / SSH-1.5-
Match RedisClient(Bytes b);  // RESP array of a known command, or an inline PING/INFO/...
Match RedisServer(Bytes b);  // +PONG, +OK, -ERR ...
Match SipMessage(Bytes b);   // request line with SIP/2.0, or SIP/2.0 status line
Match SmtpServer(Bytes b);   // 220 banner naming (E)SMTP; bare 220/554 banners are kWeak
Match SmtpClient(Bytes b);   // EHLO / HELO / MAIL FROM:
Match FtpServer(Bytes b);    // 220 banner naming FTP; bare 220 banners are kWeak
Match FtpClient(Bytes b);    // AUTH TLS/SSL, FEAT, SYST, ...; USER is kWeak (POP3 has it too)
Match Pop3Server(Bytes b);   // +OK greeting with a text (Redis's +OK has none); short ones kWeak
Match Pop3Client(Bytes b);   // CAPA, STLS, APOP; USER is kWeak
Match ImapServer(Bytes b);   // * OK / * PREAUTH / * BYE greeting
Match ImapClient(Bytes b);   // tag SP known command

// ---- shared helpers ----
// The first line of `b` without its CR LF; *complete is false when no LF came yet.
absl::string_view FirstLine(Bytes b, bool* complete);
// Case-insensitive prefix test.
bool StartsWithNoCase(absl::string_view text, absl::string_view prefix);

}  // namespace mcpcap::payload::detect

#endif  // MCPCAP_BACKEND_PAYLOAD_DETECT_DETECT_SIGNATURES_H_
