#include "backend/analysis/database/database_queries.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "backend/analysis/common/first_n.h"
#include "backend/analysis/common/latency_stats.h"
#include "backend/analysis/database/query_stats.h"
#include "backend/analysis/payload/payload_format.h"
#include "backend/analysis/payload/payload_scan.h"
#include "backend/analysis/payload/payload_security.h"
#include "backend/analysis/payload/scan_limits.h"
#include "backend/base/proto_time.h"
#include "backend/base/status_macros.h"

namespace mcpcap {
namespace {

using payload::Protocol;

constexpr size_t kTopShapes = 10;
constexpr size_t kMaxLatencySamples = 1000000;

v1::QueryStatus StatusOf(payload::QueryStatus status) {
  switch (status) {
    case payload::QueryStatus::kOk:
      return v1::QUERY_STATUS_OK;
    case payload::QueryStatus::kError:
      return v1::QUERY_STATUS_ERROR;
    case payload::QueryStatus::kNoResponse:
      return v1::QUERY_STATUS_NO_RESPONSE;
  }
  return v1::QUERY_STATUS_NO_RESPONSE;
}

// From the request's first frame to the response's; nullopt without a response.
std::optional<int64_t> LatencyNanos(const payload::DbQuery& q) {
  if (q.response.frame == 0) return std::nullopt;
  return q.response.time - q.request.time;
}

void FillQuery(const PayloadFlowResult& flow, const payload::DbQuery& q, v1::DatabaseQuery* out) {
  out->set_packet_number(q.request.frame);
  SetTimestampNanos(q.request.time, out->mutable_timestamp());
  out->set_protocol(std::string(payload::ProtocolName(flow.detection.protocol)));
  FillFlowEnds(flow, out->mutable_client(), out->mutable_server());
  out->set_database(q.database_known || !q.database.empty() ? q.database : flow.facts.database);
  out->set_user(flow.facts.user);
  out->set_query(q.text);
  out->set_query_type(q.query_type);
  out->set_command(q.command);
  out->set_status(StatusOf(q.status));
  out->set_error_code(q.error_code);
  out->set_error_message(q.error_message);
  if (q.has_rows) out->set_rows(q.rows);
  if (q.has_affected_rows) out->set_affected_rows(q.affected_rows);
  if (const std::optional<int64_t> ns = LatencyNanos(q); ns.has_value()) {
    SetDurationNanos(*ns, out->mutable_latency());
    FillPacketRef(q.response, out->mutable_response_packet());
  }
}

// A connection kept for the listing: its facts, without its queries.
struct ConnectionRow {
  PayloadFlowResult flow;
  uint64_t queries = 0;
  uint64_t errors = 0;
};

// A query kept for the listing, with the connection facts it is shown with.
struct QueryRow {
  payload::DbQuery query;
  std::shared_ptr<const PayloadFlowResult> flow;  // endpoints and facts, shared by its queries
};

bool ByRequestFrame(const QueryRow& x, const QueryRow& y) {
  return x.query.request.frame < y.query.request.frame;
}

bool ByFirstPacket(const ConnectionRow& x, const ConnectionRow& y) {
  return FirstPacketOrder(x.flow, y.flow);
}

void FillConnection(const ConnectionRow& row, v1::DatabaseConnection* out) {
  const PayloadFlowResult& flow = row.flow;
  FillFlowEnds(flow, out->mutable_client(), out->mutable_server());
  out->set_protocol(std::string(payload::ProtocolName(flow.detection.protocol)));
  out->set_server_software(flow.facts.server_version);
  out->set_user(flow.facts.user);
  out->set_database(flow.facts.database);
  out->set_auth_method(flow.facts.auth_method);
  out->set_encrypted(flow.facts.encrypted);
  out->set_queries(row.queries);
  out->set_errors(row.errors);
  FillPacketRef(flow.first, out->mutable_first_packet());
  for (std::string& note : ParserNotes(flow)) out->add_notes(std::move(note));
}

}  // namespace

absl::StatusOr<v1::ExtractDatabaseQueriesResponse> ExtractDatabaseQueries(
    const AnalysisInput& input, const v1::ExtractDatabaseQueriesRequest& request) {
  ASSIGN_OR_RETURN(
      std::optional<Protocol> protocol,
      ParseProtocolArgument(request.protocol(), {Protocol::kMySql, Protocol::kPostgreSql,
                                                 Protocol::kRedis, Protocol::kMongoDb}));
  ASSIGN_OR_RETURN(std::optional<uint16_t> port,
                   ParsePortArgument(request.has_port(), request.port()));
  v1::ExtractDatabaseQueriesResponse response;
  Listing queries_listing("queries", input.listings);
  Listing connections_listing("connections", input.listings);
  QueryStatsTally shapes;
  PayloadFindings findings;
  std::vector<double> latencies;
  FirstN<QueryRow, decltype(&ByRequestFrame)> listed_queries(queries_listing.keep(),
                                                             &ByRequestFrame);
  FirstN<ConnectionRow, decltype(&ByFirstPacket)> listed_connections(connections_listing.keep(),
                                                                     &ByFirstPacket);
  uint64_t connections = 0;

  const auto on_flow = [&](PayloadFlowResult flow) {
    if (!payload::IsDatabaseProtocol(flow.detection.protocol)) return;
    if (protocol.has_value() && flow.detection.protocol != *protocol) return;
    if (flow.payload_bytes_client_to_server + flow.payload_bytes_server_to_client == 0) return;
    ++connections;
    if (flow.facts.encrypted)
      response.set_encrypted_connections(response.encrypted_connections() + 1);
    findings.AddCredentials(flow);
    findings.CheckDatabaseSession(flow);
    const std::string protocol_name(payload::ProtocolName(flow.detection.protocol));
    ConnectionRow row;
    std::vector<payload::DbQuery> queries = std::move(flow.queries);
    flow.queries.clear();
    flow.messages.clear();
    auto shared = std::make_shared<const PayloadFlowResult>(flow);
    for (payload::DbQuery& q : queries) {
      ++row.queries;
      ++(*response.mutable_by_protocol())[protocol_name];
      if (!q.query_type.empty()) ++(*response.mutable_by_query_type())[q.query_type];
      const bool error = q.status == payload::QueryStatus::kError;
      if (error) {
        ++row.errors;
        response.set_errors(response.errors() + 1);
      }
      if (q.status == payload::QueryStatus::kNoResponse) {
        response.set_no_response(response.no_response() + 1);
      }
      const std::optional<int64_t> ns = LatencyNanos(q);
      if (ns.has_value() && latencies.size() < kMaxLatencySamples) {
        latencies.push_back(static_cast<double>(*ns) / 1e6);
      }
      shapes.Add(protocol_name, q.text, error, ns, q.request);
      findings.CheckQuery(flow, q);
      queries_listing.Count(1);
      listed_queries.Add(QueryRow{std::move(q), shared});
    }
    response.set_total_queries(response.total_queries() + row.queries);
    row.flow = std::move(flow);
    connections_listing.Count(1);
    listed_connections.Add(std::move(row));
  };
  PayloadScanOptions options;
  options.port = port;
  options.protocol = protocol;
  options.max_messages_per_flow = 0;  // queries only
  PayloadScanStats stats;
  ASSIGN_OR_RETURN(std::unique_ptr<DecodedScan> scan,
                   ScanPayloads(input, options, on_flow, &stats));

  SetNow(response.mutable_analysis_timestamp());
  std::vector<QueryRow> query_page = listed_queries.TakeSorted();
  queries_listing.Page(&query_page);
  for (const QueryRow& row : query_page) FillQuery(*row.flow, row.query, response.add_queries());
  std::vector<ConnectionRow> connection_page = listed_connections.TakeSorted();
  connections_listing.Page(&connection_page);
  for (const ConnectionRow& row : connection_page) FillConnection(row, response.add_connections());
  FillLatency(std::move(latencies), response.mutable_latency());
  shapes.FillMostFrequent(kTopShapes, response.mutable_most_frequent());
  shapes.FillSlowest(kTopShapes, response.mutable_slowest());
  findings.Fill(response.mutable_findings());
  v1::CaptureSummary* summary = response.mutable_capture();
  scan->FillSummary(summary);
  AddScanLimitWarnings(stats, options, summary);
  queries_listing.Report(summary);
  connections_listing.Report(summary);
  if (stats.queries_dropped > 0) {
    summary->add_warnings(absl::StrCat(stats.queries_dropped, " of ", stats.queries_total,
                                       " queries were not kept (memory bound): statistics cover "
                                       "the first ",
                                       stats.queries_total - stats.queries_dropped));
  }
  return response;
}

}  // namespace mcpcap
