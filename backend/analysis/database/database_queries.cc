#include "backend/analysis/database/database_queries.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "backend/analysis/common/first_n.h"
#include "backend/analysis/common/latency_stats.h"
#include "backend/analysis/common/result_parts.h"
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

// Latency over every answered query: count, min, max and mean exact; the median and p95 from
// every sample up to kMaxLatencySamples, then from a uniform sample of that size (reservoir
// sampling with a fixed seed, so the same capture gives the same figures).
class LatencyTally {
 public:
  void Add(int64_t nanos) {
    const double ms = static_cast<double>(nanos) / 1e6;
    ++count_;
    sum_ms_ += ms;
    min_ms_ = count_ == 1 ? ms : std::min(min_ms_, ms);
    max_ms_ = count_ == 1 ? ms : std::max(max_ms_, ms);
    if (samples_.size() < kMaxLatencySamples) {
      samples_.push_back(ms);
      return;
    }
    const uint64_t slot = random_() % count_;
    if (slot < kMaxLatencySamples) samples_[slot] = ms;
  }
  bool sampled() const { return count_ > samples_.size(); }
  void Fill(v1::LatencyStats* out) {
    if (count_ == 0) return;
    const bool sampled = this->sampled();
    FillLatency(std::move(samples_), out);
    if (!sampled) return;  // every sample was kept: the figures are exact already
    out->set_samples(count_);
    SetDurationMillis(min_ms_, out->mutable_min());
    SetDurationMillis(max_ms_, out->mutable_max());
    SetDurationMillis(sum_ms_ / static_cast<double>(count_), out->mutable_average());
  }

 private:
  static void SetDurationMillis(double ms, google::protobuf::Duration* out) {
    SetDurationNanos(static_cast<int64_t>(std::llround(ms * 1e6)), out);
  }
  uint64_t count_ = 0;
  double sum_ms_ = 0;
  double min_ms_ = 0;
  double max_ms_ = 0;
  std::vector<double> samples_;
  std::mt19937_64 random_{20240601};
};

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

// The connection a query was sent on, as it was then (the user logged in so far).
struct QueryConnection {
  payload::Protocol protocol = payload::Protocol::kUnknown;
  IpAddress client;
  uint16_t client_port = 0;
  IpAddress server;
  uint16_t server_port = 0;
  std::string user;
};

// A query kept for the listing.
struct QueryRow {
  payload::DbQuery query;
  QueryConnection connection;
};

void FillQuery(const QueryRow& row, v1::DatabaseQuery* out) {
  const payload::DbQuery& q = row.query;
  const QueryConnection& c = row.connection;
  out->set_packet_number(q.request.frame);
  SetTimestampNanos(q.request.time, out->mutable_timestamp());
  out->set_protocol(std::string(payload::ProtocolName(c.protocol)));
  FillEndpoint(c.client, c.client_port, out->mutable_client());
  FillEndpoint(c.server, c.server_port, out->mutable_server());
  // The database the session had when the query was sent, as its parser followed it: never the
  // connection's later one (a USE after this query does not apply to it).
  out->set_database(q.database);
  out->set_user(c.user);
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
  out->set_queries(flow.queries_total);
  out->set_errors(flow.query_errors);
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
  LatencyTally latency;
  FirstN<QueryRow, decltype(&ByRequestFrame)> listed_queries(queries_listing.keep(),
                                                             &ByRequestFrame);
  FirstN<ConnectionRow, decltype(&ByFirstPacket)> listed_connections(connections_listing.keep(),
                                                                     &ByFirstPacket);
  uint64_t connections = 0;

  const auto wanted = [&protocol](const PayloadFlowResult& flow) {
    return payload::IsDatabaseProtocol(flow.detection.protocol) &&
           (!protocol.has_value() || flow.detection.protocol == *protocol);
  };
  // Every query counts, as its parser reports it: the totals cover the whole capture and only
  // the listing is bounded.
  const auto on_query = [&](const PayloadFlowResult& flow, const payload::DbQuery& q) {
    if (!wanted(flow)) return;
    const absl::string_view protocol_name = payload::ProtocolName(flow.detection.protocol);
    response.set_total_queries(response.total_queries() + 1);
    ++(*response.mutable_by_protocol())[std::string(protocol_name)];
    if (!q.query_type.empty()) ++(*response.mutable_by_query_type())[q.query_type];
    const bool error = q.status == payload::QueryStatus::kError;
    if (error) response.set_errors(response.errors() + 1);
    if (q.status == payload::QueryStatus::kNoResponse) {
      response.set_no_response(response.no_response() + 1);
    }
    const std::optional<int64_t> ns = LatencyNanos(q);
    if (ns.has_value()) latency.Add(*ns);
    shapes.Add(protocol_name, q.text, error, ns, q.request);
    findings.CheckQuery(flow, q);
    queries_listing.Count(1);
    QueryConnection connection{flow.detection.protocol, flow.client,
                               flow.client_port,        flow.server,
                               flow.server_port,        flow.facts.user};
    listed_queries.Add(QueryRow{q, std::move(connection)});
  };
  const auto on_flow = [&](PayloadFlowResult flow) {
    if (!wanted(flow)) return;
    if (flow.payload_bytes_client_to_server + flow.payload_bytes_server_to_client == 0) return;
    ++connections;
    if (flow.facts.encrypted)
      response.set_encrypted_connections(response.encrypted_connections() + 1);
    findings.AddCredentials(flow);
    findings.CheckDatabaseSession(flow);
    flow.messages.clear();
    ConnectionRow row;
    row.flow = std::move(flow);
    connections_listing.Count(1);
    listed_connections.Add(std::move(row));
  };
  PayloadScanOptions options;
  options.port = port;
  options.protocol = protocol;
  options.max_messages_per_flow = 0;  // queries only
  options.max_queries = 0;            // each is counted and listed as it comes (on_query)
  options.on_query = on_query;
  PayloadScanStats stats;
  ASSIGN_OR_RETURN(std::unique_ptr<FrameScan> scan, ScanPayloads(input, options, on_flow, &stats));

  SetNow(response.mutable_analysis_timestamp());
  std::vector<QueryRow> query_page = listed_queries.TakeSorted();
  queries_listing.Page(&query_page);
  for (const QueryRow& row : query_page) FillQuery(row, response.add_queries());
  std::vector<ConnectionRow> connection_page = listed_connections.TakeSorted();
  connections_listing.Page(&connection_page);
  for (const ConnectionRow& row : connection_page) FillConnection(row, response.add_connections());
  response.set_latency_percentiles_sampled(latency.sampled());
  latency.Fill(response.mutable_latency());
  response.set_query_shapes_capped(shapes.capped());
  shapes.FillMostFrequent(kTopShapes, response.mutable_most_frequent());
  shapes.FillSlowest(kTopShapes, response.mutable_slowest());
  findings.Fill(response.mutable_findings());
  v1::CaptureSummary* summary = response.mutable_capture();
  scan->FillSummary(summary);
  AddScanLimitWarnings(stats, options, summary);
  queries_listing.Report(summary);
  connections_listing.Report(summary);
  return response;
}

}  // namespace mcpcap
