#include "backend/service/analysis_service.h"

#include <algorithm>
#include <chrono>

#include "absl/strings/str_cat.h"
#include "backend/analysis/capinfos.h"
#include "backend/analysis/dhcp.h"
#include "backend/analysis/dns.h"
#include "backend/analysis/icmp.h"
#include "backend/analysis/sip.h"
#include "backend/analysis/tcp_anomalies.h"
#include "backend/analysis/tcp_connections.h"
#include "backend/analysis/tcp_retransmissions.h"
#include "backend/analysis/traffic_flow.h"
#include "backend/service/status_conversion.h"
#include "backend/source/capture_location.h"

namespace mcpcap {
namespace {

// The caller's options, bounded by the operator's limits.
AnalysisInput MakeInput(const CaptureLocation& location, const v1::CaptureOptions& options,
                        const ServiceLimits& limits, grpc::CallbackServerContext* ctx) {
  AnalysisInput input;
  input.source = location.source;
  input.local_path = location.local_path;
  input.max_packets = options.max_packets();
  if (limits.max_packets != 0 &&
      (input.max_packets == 0 || input.max_packets > limits.max_packets)) {
    input.max_packets = limits.max_packets;
  }
  input.bpf_filter = options.bpf_filter();
  input.max_results = options.max_results() == 0 ? kDefaultMaxResults
                                                 : std::min(options.max_results(), kMaxResultsCap);
  const auto deadline = ctx->deadline();
  input.cancelled = [ctx, deadline] {
    return ctx->IsCancelled() || std::chrono::system_clock::now() > deadline;
  };
  return input;
}

}  // namespace

template <typename Request, typename Response, typename Analysis>
grpc::ServerUnaryReactor* AnalysisService::Run(grpc::CallbackServerContext* ctx,
                                               const Request* request, Response* response,
                                               Analysis analysis) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  auto work = [this, ctx, request, response, reactor, analysis] {
    if (ctx->IsCancelled()) {
      reactor->Finish(grpc::Status(grpc::StatusCode::CANCELLED, "the call was cancelled"));
      return;
    }
    // A URL downloads here, on the worker; `location` holds the file until the analysis ends.
    const auto deadline = ctx->deadline();
    absl::StatusOr<CaptureLocation> location =
        locator_->Locate(request->pcap_file(), [ctx, deadline] {
          return ctx->IsCancelled() || std::chrono::system_clock::now() > deadline;
        });
    if (!location.ok()) {
      reactor->Finish(ToGrpcStatus(location.status()));
      return;
    }
    const AnalysisInput input = MakeInput(*location, request->options(), limits_, ctx);
    absl::StatusOr<Response> result = analysis(input, *request);
    if (result.ok()) *response = std::move(*result);
    reactor->Finish(ToGrpcStatus(result.status()));
  };
  if (!pool_->Submit(std::move(work))) {
    reactor->Finish(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                                 "mcpcapd is busy: too many analyses queued; retry later"));
  }
  return reactor;
}

grpc::ServerUnaryReactor* AnalysisService::NotYet(grpc::CallbackServerContext* ctx,
                                                  const char* tool) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  reactor->Finish(
      grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                   absl::StrCat(tool, " is not implemented in this version of mcpcapd yet")));
  return reactor;
}

grpc::ServerUnaryReactor* AnalysisService::AnalyzeCapinfos(
    grpc::CallbackServerContext* ctx, const v1::AnalyzeCapinfosRequest* request,
    v1::AnalyzeCapinfosResponse* response) {
  return Run(ctx, request, response, ::mcpcap::AnalyzeCapinfos);
}

grpc::ServerUnaryReactor* AnalysisService::AnalyzeDnsPackets(
    grpc::CallbackServerContext* ctx, const v1::AnalyzeDnsPacketsRequest* request,
    v1::AnalyzeDnsPacketsResponse* response) {
  return Run(ctx, request, response, ::mcpcap::AnalyzeDnsPackets);
}
grpc::ServerUnaryReactor* AnalysisService::AnalyzeDhcpPackets(
    grpc::CallbackServerContext* ctx, const v1::AnalyzeDhcpPacketsRequest* request,
    v1::AnalyzeDhcpPacketsResponse* response) {
  return Run(ctx, request, response, ::mcpcap::AnalyzeDhcpPackets);
}
grpc::ServerUnaryReactor* AnalysisService::AnalyzeIcmpPackets(
    grpc::CallbackServerContext* ctx, const v1::AnalyzeIcmpPacketsRequest* request,
    v1::AnalyzeIcmpPacketsResponse* response) {
  return Run(ctx, request, response, ::mcpcap::AnalyzeIcmpPackets);
}
grpc::ServerUnaryReactor* AnalysisService::AnalyzeSipPackets(
    grpc::CallbackServerContext* ctx, const v1::AnalyzeSipPacketsRequest* request,
    v1::AnalyzeSipPacketsResponse* response) {
  return Run(ctx, request, response, ::mcpcap::AnalyzeSipPackets);
}
grpc::ServerUnaryReactor* AnalysisService::AnalyzeTcpConnections(
    grpc::CallbackServerContext* ctx, const v1::AnalyzeTcpConnectionsRequest* request,
    v1::AnalyzeTcpConnectionsResponse* response) {
  return Run(ctx, request, response, ::mcpcap::AnalyzeTcpConnections);
}
grpc::ServerUnaryReactor* AnalysisService::AnalyzeTcpAnomalies(
    grpc::CallbackServerContext* ctx, const v1::AnalyzeTcpAnomaliesRequest* request,
    v1::AnalyzeTcpAnomaliesResponse* response) {
  return Run(ctx, request, response, ::mcpcap::AnalyzeTcpAnomalies);
}
grpc::ServerUnaryReactor* AnalysisService::AnalyzeTcpRetransmissions(
    grpc::CallbackServerContext* ctx, const v1::AnalyzeTcpRetransmissionsRequest* request,
    v1::AnalyzeTcpRetransmissionsResponse* response) {
  return Run(ctx, request, response, ::mcpcap::AnalyzeTcpRetransmissions);
}
grpc::ServerUnaryReactor* AnalysisService::AnalyzeTrafficFlow(
    grpc::CallbackServerContext* ctx, const v1::AnalyzeTrafficFlowRequest* request,
    v1::AnalyzeTrafficFlowResponse* response) {
  return Run(ctx, request, response, ::mcpcap::AnalyzeTrafficFlow);
}
grpc::ServerUnaryReactor* AnalysisService::AnalyzePayload(grpc::CallbackServerContext* ctx,
                                                          const v1::AnalyzePayloadRequest*,
                                                          v1::AnalyzePayloadResponse*) {
  return NotYet(ctx, "analyze_payload");
}
grpc::ServerUnaryReactor* AnalysisService::ExtractDatabaseQueries(
    grpc::CallbackServerContext* ctx, const v1::ExtractDatabaseQueriesRequest*,
    v1::ExtractDatabaseQueriesResponse*) {
  return NotYet(ctx, "extract_database_queries");
}
grpc::ServerUnaryReactor* AnalysisService::DetectProtocols(grpc::CallbackServerContext* ctx,
                                                           const v1::DetectProtocolsRequest*,
                                                           v1::DetectProtocolsResponse*) {
  return NotYet(ctx, "detect_protocols");
}

}  // namespace mcpcap
