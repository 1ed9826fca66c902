// MySQL / MariaDB client-server protocol parser: greeting and login (user, database, auth plugin,
// TLS switch, clear-text passwords), commands (COM_QUERY, COM_INIT_DB, prepared statements, ...)
// paired with their responses (OK, ERR, text and binary result sets, multi-results, LOCAL INFILE).
#ifndef MCPCAP_BACKEND_PAYLOAD_MYSQL_MYSQL_PARSER_H_
#define MCPCAP_BACKEND_PAYLOAD_MYSQL_MYSQL_PARSER_H_

#include <memory>

#include "backend/payload/common/app_events.h"
#include "backend/payload/common/stream_parser.h"

namespace mcpcap::payload {

std::unique_ptr<StreamParser> MakeMySqlParser(PayloadEvents* events, FlowFacts* facts);

}  // namespace mcpcap::payload

#endif  // MCPCAP_BACKEND_PAYLOAD_MYSQL_MYSQL_PARSER_H_
