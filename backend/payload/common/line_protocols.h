// Parsers for the line-based protocols: SSH (banners only), FTP (control connection), SMTP,
// POP3 and IMAP. Each reports commands and replies as AppMessages, the user and the server's
// banner as facts, passwords and SASL logins as Credentials (masked), and stops reading once the
// session switches to TLS (STARTTLS, STLS, AUTH TLS) or to SSH's binary packets.
#ifndef MCPCAP_BACKEND_PAYLOAD_COMMON_LINE_PROTOCOLS_H_
#define MCPCAP_BACKEND_PAYLOAD_COMMON_LINE_PROTOCOLS_H_

#include <memory>

#include "backend/payload/common/app_events.h"
#include "backend/payload/common/stream_parser.h"

namespace mcpcap::payload {

std::unique_ptr<StreamParser> MakeSshParser(PayloadEvents* events, FlowFacts* facts);
std::unique_ptr<StreamParser> MakeFtpParser(PayloadEvents* events, FlowFacts* facts);
std::unique_ptr<StreamParser> MakeSmtpParser(PayloadEvents* events, FlowFacts* facts);
std::unique_ptr<StreamParser> MakePop3Parser(PayloadEvents* events, FlowFacts* facts);
std::unique_ptr<StreamParser> MakeImapParser(PayloadEvents* events, FlowFacts* facts);

}  // namespace mcpcap::payload

#endif  // MCPCAP_BACKEND_PAYLOAD_COMMON_LINE_PROTOCOLS_H_
