// The parser of each protocol we read inside, for the payload scan.
#include "backend/analysis/payload/payload_scan.h"
#include "backend/payload/common/line_protocols.h"
#include "backend/payload/http/http_parser.h"
#include "backend/payload/mongodb/mongodb_parser.h"
#include "backend/payload/mysql/mysql_parser.h"
#include "backend/payload/postgresql/postgresql_parser.h"
#include "backend/payload/redis/redis_parser.h"
#include "backend/payload/tls/tls_parser.h"

namespace mcpcap {

payload::ParserFactory ParserFor(payload::Protocol protocol) {
  using payload::Protocol;
  switch (protocol) {
    case Protocol::kMySql:
      return payload::MakeMySqlParser;
    case Protocol::kPostgreSql:
      return payload::MakePostgreSqlParser;
    case Protocol::kRedis:
      return payload::MakeRedisParser;
    case Protocol::kMongoDb:
      return payload::MakeMongoDbParser;
    case Protocol::kHttp:
      return payload::MakeHttpParser;
    case Protocol::kTls:
      return payload::MakeTlsParser;
    case Protocol::kSsh:
      return payload::MakeSshParser;
    case Protocol::kFtp:
      return payload::MakeFtpParser;
    case Protocol::kSmtp:
      return payload::MakeSmtpParser;
    case Protocol::kPop3:
      return payload::MakePop3Parser;
    case Protocol::kImap:
      return payload::MakeImapParser;
    default:
      return nullptr;
  }
}

}  // namespace mcpcap
