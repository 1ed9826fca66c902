// PostgreSQL frontend/backend protocol parser: SSL/GSS encryption requests, startup (user,
// database, application), authentication (method, clear-text passwords), simple and extended
// queries paired with their responses in pipeline order (rows, affected rows, errors), COPY.
#ifndef MCPCAP_BACKEND_PAYLOAD_POSTGRESQL_POSTGRESQL_PARSER_H_
#define MCPCAP_BACKEND_PAYLOAD_POSTGRESQL_POSTGRESQL_PARSER_H_

#include <memory>

#include "backend/payload/common/app_events.h"
#include "backend/payload/common/stream_parser.h"

namespace mcpcap::payload {

std::unique_ptr<StreamParser> MakePostgreSqlParser(PayloadEvents* events, FlowFacts* facts);

}  // namespace mcpcap::payload

#endif  // MCPCAP_BACKEND_PAYLOAD_POSTGRESQL_POSTGRESQL_PARSER_H_
