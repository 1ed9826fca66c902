// The MongoDB wire protocol: OP_MSG and the legacy opcodes, requests paired with replies by
// responseTo == requestID (not by order), command names, databases and collections, bounded
// document summaries, errors (ok: 0, writeErrors, $err), rows and affected counts, SASL users
// and PLAIN passwords, buildInfo's server version. OP_COMPRESSED is reported, not inflated.
#ifndef MCPCAP_BACKEND_PAYLOAD_MONGODB_MONGODB_PARSER_H_
#define MCPCAP_BACKEND_PAYLOAD_MONGODB_MONGODB_PARSER_H_

#include <memory>

#include "backend/payload/common/app_events.h"
#include "backend/payload/common/stream_parser.h"

namespace mcpcap::payload {

std::unique_ptr<StreamParser> MakeMongoDbParser(PayloadEvents* events, FlowFacts* facts);

}  // namespace mcpcap::payload

#endif  // MCPCAP_BACKEND_PAYLOAD_MONGODB_MONGODB_PARSER_H_
