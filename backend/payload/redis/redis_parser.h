// The Redis protocol (RESP2 and RESP3): commands (arrays of bulk strings and inline commands)
// paired in order with their replies (pipelining included), command classes, AUTH credentials,
// SELECT, HELLO/INFO server version, pub/sub and MONITOR modes, CLIENT REPLY OFF/SKIP.
#ifndef MCPCAP_BACKEND_PAYLOAD_REDIS_REDIS_PARSER_H_
#define MCPCAP_BACKEND_PAYLOAD_REDIS_REDIS_PARSER_H_

#include <memory>

#include "backend/payload/common/app_events.h"
#include "backend/payload/common/stream_parser.h"

namespace mcpcap::payload {

std::unique_ptr<StreamParser> MakeRedisParser(PayloadEvents* events, FlowFacts* facts);

}  // namespace mcpcap::payload

#endif  // MCPCAP_BACKEND_PAYLOAD_REDIS_REDIS_PARSER_H_
