// HTTP/1.x over TCP, both directions: requests and responses framed by their heads and bodies
// (Content-Length, chunked with extensions and trailers, read-until-close), pipelined requests
// paired with responses in order (HEAD, 1xx, 204 and 304 responses have no body), Upgrade (101)
// and CONNECT tunnels where parsing stops politely. Reports one AppMessage per request and per
// response, credentials seen in clear (see http_credentials.h), and the Server / User-Agent
// software in FlowFacts.
//
// Bounded: a head over 64 KiB stops the side; bodies are skipped, never buffered (only the first
// 1 KiB of a form body is read, for passwords).
#ifndef MCPCAP_BACKEND_PAYLOAD_HTTP_HTTP_PARSER_H_
#define MCPCAP_BACKEND_PAYLOAD_HTTP_HTTP_PARSER_H_

#include <memory>

#include "backend/payload/common/app_events.h"
#include "backend/payload/common/stream_parser.h"

namespace mcpcap::payload {

std::unique_ptr<StreamParser> MakeHttpParser(PayloadEvents* events, FlowFacts* facts);

}  // namespace mcpcap::payload

#endif  // MCPCAP_BACKEND_PAYLOAD_HTTP_HTTP_PARSER_H_
