#include "backend/service/analysis_service.h"

#include <algorithm>
#include <chrono>

#include "absl/strings/str_cat.h"
#include "backend/analysis/capinfos/capinfos.h"
#include "backend/analysis/database/database_queries.h"
#include "backend/analysis/dhcp/dhcp.h"
#include "backend/analysis/dns/dns.h"
#include "backend/analysis/icmp/icmp.h"
#include "backend/analysis/payload/detect_protocols.h"
#include "backend/analysis/payload/payload.h"
#include "backend/analysis/sip/sip.h"
#include "backend/analysis/tcp/tcp_anomalies.h"
#include "backend/analysis/tcp/tcp_connections.h"
#include "backend/analysis/tcp/tcp_retransmissions.h"
#include "backend/analysis/tcp/traffic_flow.h"
#include "backend/service/analyze_stream.h"
#include "backend/service/status_conversion.h"
#include "backend/source/capture_location.h"

namespace mcpcap {
namespace {

constexpr char kBusy[] = "mcpcapd is busy: too many analyses queued; retry later";

// True once the client cancelled or the deadline passed.
std::function<bool()> CancelledOrLate(grpc::CallbackServerContext* ctx) {
  const auto deadline = ctx->deadline();
  return
      [ctx, deadline] { return ctx->IsCancelled() || std::chrono::system_clock::now() > deadline; };
}

std::string NotYetMessage(const std::string& tool) {
  return absl::StrCat(tool, " is not implemented in this version of mcpcapd yet");
}

}  // namespace

template <typename Response, typename Request>
AnalysisService::ErasedAnalysis AnalysisService::Erase(
    absl::StatusOr<Response> (*analysis)(const AnalysisInput&, const Request&)) const {
  return [this, analysis](const std::string& bytes,
                          const CallControl& control) -> absl::StatusOr<std::string> {
    Request request;
    if (!request.ParseFromString(bytes)) {
      return absl::InvalidArgumentError(
          absl::StrCat("the request does not parse as ", Request::descriptor()->full_name()));
    }
    ASSIGN_OR_RETURN(Response response,
                     RunAnalysisCall<Response>(*locator_, limits_, request, control, analysis));
    return response.SerializeAsString();
  };
}

AnalysisService::AnalysisService(WorkerPool* pool, ServiceLimits limits,
                                 const CaptureLocator* locator)
    : pool_(pool), limits_(limits), locator_(locator) {
  streamable_ = {
      {"AnalyzeCapinfos", Erase(::mcpcap::AnalyzeCapinfos)},
      {"AnalyzeDnsPackets", Erase(::mcpcap::AnalyzeDnsPackets)},
      {"AnalyzeDhcpPackets", Erase(::mcpcap::AnalyzeDhcpPackets)},
      {"AnalyzeIcmpPackets", Erase(::mcpcap::AnalyzeIcmpPackets)},
      {"AnalyzeSipPackets", Erase(::mcpcap::AnalyzeSipPackets)},
      {"AnalyzeTcpConnections", Erase(::mcpcap::AnalyzeTcpConnections)},
      {"AnalyzeTcpAnomalies", Erase(::mcpcap::AnalyzeTcpAnomalies)},
      {"AnalyzeTcpRetransmissions", Erase(::mcpcap::AnalyzeTcpRetransmissions)},
      {"AnalyzeTrafficFlow", Erase(::mcpcap::AnalyzeTrafficFlow)},
      {"AnalyzePayload", Erase(::mcpcap::AnalyzePayload)},
      {"ExtractDatabaseQueries", Erase(::mcpcap::ExtractDatabaseQueries)},
      {"DetectProtocols", Erase(::mcpcap::DetectProtocols)},
  };
}

template <typename Request, typename Response, typename Analysis>
grpc::ServerUnaryReactor* AnalysisService::Run(grpc::CallbackServerContext* ctx,
                                               const Request* request, Response* response,
                                               Analysis analysis) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  auto work = [this, ctx, request, response, reactor, analysis] {
    absl::StatusOr<Response> result = RunAnalysisCall<Response>(
        *locator_, limits_, *request, CallControl{CancelledOrLate(ctx), nullptr}, analysis);
    if (result.ok()) *response = std::move(*result);
    reactor->Finish(ToGrpcStatus(result.status()));
  };
  if (!pool_->Submit(std::move(work))) {
    reactor->Finish(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, kBusy));
  }
  return reactor;
}

grpc::ServerWriteReactor<v1::AnalyzeEvent>* AnalysisService::Analyze(
    grpc::CallbackServerContext* ctx, const v1::AnalyzeRequest* request) {
  auto* stream = new AnalyzeStream(limits_.progress_interval);
  if (absl::Status strings = CheckRequestStrings(*request); !strings.ok()) {
    stream->Complete(strings);
    return stream;
  }
  auto found = streamable_.find(request->method());
  if (found == streamable_.end()) {
    // An RPC of the contract that this version does not run yet answers as its unary form.
    const auto* method = v1::AnalyzeRequest::descriptor()
                             ->file()
                             ->FindServiceByName("CaptureAnalysis")
                             ->FindMethodByName(request->method());
    if (method != nullptr && method->options().HasExtension(v1::tool)) {
      stream->Complete(
          absl::UnimplementedError(NotYetMessage(method->options().GetExtension(v1::tool).name())));
    } else {
      stream->Complete(absl::InvalidArgumentError(
          absl::StrCat("Analyze runs the analyses of CaptureAnalysis by RPC name (e.g. "
                       "\"AnalyzeCapinfos\"), not \"",
                       request->method(), "\"")));
    }
    return stream;
  }
  auto work = [ctx, request, stream, &analysis = found->second] {
    CallControl control{CancelledOrLate(ctx),
                        [stream](const v1::AnalyzeProgress& p) { stream->Progress(p); }};
    stream->Complete(analysis(request->request(), control));
  };
  if (!pool_->Submit(std::move(work))) stream->Complete(absl::ResourceExhaustedError(kBusy));
  return stream;
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
                                                          const v1::AnalyzePayloadRequest* request,
                                                          v1::AnalyzePayloadResponse* response) {
  return Run(ctx, request, response, ::mcpcap::AnalyzePayload);
}
grpc::ServerUnaryReactor* AnalysisService::ExtractDatabaseQueries(
    grpc::CallbackServerContext* ctx, const v1::ExtractDatabaseQueriesRequest* request,
    v1::ExtractDatabaseQueriesResponse* response) {
  return Run(ctx, request, response, ::mcpcap::ExtractDatabaseQueries);
}
grpc::ServerUnaryReactor* AnalysisService::DetectProtocols(
    grpc::CallbackServerContext* ctx, const v1::DetectProtocolsRequest* request,
    v1::DetectProtocolsResponse* response) {
  return Run(ctx, request, response, ::mcpcap::DetectProtocols);
}

}  // namespace mcpcap
