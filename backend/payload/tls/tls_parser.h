// TLS over TCP, both directions: records (and the SSLv2-compatible ClientHello), handshake
// messages spanning records or sharing one, read in clear until each side starts encrypting.
// Reports one AppMessage per handshake message and alert, one per run of application data
// records per direction, and fills FlowFacts::tls (versions, SNI, ALPN, ciphers, the server's
// certificate chain up to TLS 1.2).
//
// Only handshake and alert records are buffered (at most one record, 18 KiB); application data
// is skipped from its 5-byte header. A handshake message over 64 KiB is skipped with a note.
#ifndef MCPCAP_BACKEND_PAYLOAD_TLS_TLS_PARSER_H_
#define MCPCAP_BACKEND_PAYLOAD_TLS_TLS_PARSER_H_

#include <memory>

#include "backend/payload/common/app_events.h"
#include "backend/payload/common/stream_parser.h"

namespace mcpcap::payload {

std::unique_ptr<StreamParser> MakeTlsParser(PayloadEvents* events, FlowFacts* facts);

}  // namespace mcpcap::payload

#endif  // MCPCAP_BACKEND_PAYLOAD_TLS_TLS_PARSER_H_
