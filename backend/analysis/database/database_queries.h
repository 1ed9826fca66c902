// extract_database_queries: MySQL, PostgreSQL, Redis and MongoDB requests read from reassembled
// streams, each paired with its response (status, rows, error, latency), with statistics by
// protocol and type, the most frequent and slowest query shapes, and the connections.
#ifndef MCPCAP_BACKEND_ANALYSIS_DATABASE_DATABASE_QUERIES_H_
#define MCPCAP_BACKEND_ANALYSIS_DATABASE_DATABASE_QUERIES_H_

#include "absl/status/statusor.h"
#include "backend/analysis/common/analysis_input.h"
#include "mcpcap/v1/database.pb.h"

namespace mcpcap {

absl::StatusOr<v1::ExtractDatabaseQueriesResponse> ExtractDatabaseQueries(
    const AnalysisInput& input, const v1::ExtractDatabaseQueriesRequest& request);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_DATABASE_DATABASE_QUERIES_H_
