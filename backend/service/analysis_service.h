// gRPC service for every analysis: each RPC validates its input, runs the
// analysis on the worker pool, and finishes once with the result or a canonical
// status.
#ifndef MCPCAP_BACKEND_SERVICE_ANALYSIS_SERVICE_H_
#define MCPCAP_BACKEND_SERVICE_ANALYSIS_SERVICE_H_

#include "backend/service/service_limits.h"
#include "backend/service/worker_pool.h"
#include "mcpcap/v1/mcpcap.grpc.pb.h"

namespace mcpcap {

class AnalysisService final : public v1::CaptureAnalysis::CallbackService {
 public:
  AnalysisService(WorkerPool* pool, ServiceLimits limits) : pool_(pool), limits_(limits) {}

  grpc::ServerUnaryReactor* AnalyzeCapinfos(grpc::CallbackServerContext* ctx,
                                            const v1::AnalyzeCapinfosRequest* request,
                                            v1::AnalyzeCapinfosResponse* response) override;

  // Analyses that later versions bring answer UNIMPLEMENTED with the tool's
  // name.
  grpc::ServerUnaryReactor* AnalyzeDnsPackets(grpc::CallbackServerContext* ctx,
                                              const v1::AnalyzeDnsPacketsRequest*,
                                              v1::AnalyzeDnsPacketsResponse*) override;
  grpc::ServerUnaryReactor* AnalyzeDhcpPackets(grpc::CallbackServerContext* ctx,
                                               const v1::AnalyzeDhcpPacketsRequest* request,
                                               v1::AnalyzeDhcpPacketsResponse* response) override;
  grpc::ServerUnaryReactor* AnalyzeIcmpPackets(grpc::CallbackServerContext* ctx,
                                               const v1::AnalyzeIcmpPacketsRequest* request,
                                               v1::AnalyzeIcmpPacketsResponse* response) override;
  grpc::ServerUnaryReactor* AnalyzeSipPackets(grpc::CallbackServerContext* ctx,
                                              const v1::AnalyzeSipPacketsRequest* request,
                                              v1::AnalyzeSipPacketsResponse* response) override;
  grpc::ServerUnaryReactor* AnalyzeTcpConnections(grpc::CallbackServerContext* ctx,
                                                  const v1::AnalyzeTcpConnectionsRequest*,
                                                  v1::AnalyzeTcpConnectionsResponse*) override;
  grpc::ServerUnaryReactor* AnalyzeTcpAnomalies(grpc::CallbackServerContext* ctx,
                                                const v1::AnalyzeTcpAnomaliesRequest*,
                                                v1::AnalyzeTcpAnomaliesResponse*) override;
  grpc::ServerUnaryReactor* AnalyzeTcpRetransmissions(
      grpc::CallbackServerContext* ctx, const v1::AnalyzeTcpRetransmissionsRequest*,
      v1::AnalyzeTcpRetransmissionsResponse*) override;
  grpc::ServerUnaryReactor* AnalyzeTrafficFlow(grpc::CallbackServerContext* ctx,
                                               const v1::AnalyzeTrafficFlowRequest*,
                                               v1::AnalyzeTrafficFlowResponse*) override;
  grpc::ServerUnaryReactor* AnalyzePayload(grpc::CallbackServerContext* ctx,
                                           const v1::AnalyzePayloadRequest*,
                                           v1::AnalyzePayloadResponse*) override;
  grpc::ServerUnaryReactor* ExtractDatabaseQueries(grpc::CallbackServerContext* ctx,
                                                   const v1::ExtractDatabaseQueriesRequest*,
                                                   v1::ExtractDatabaseQueriesResponse*) override;
  grpc::ServerUnaryReactor* DetectProtocols(grpc::CallbackServerContext* ctx,
                                            const v1::DetectProtocolsRequest*,
                                            v1::DetectProtocolsResponse*) override;

 private:
  template <typename Request, typename Response, typename Analysis>
  grpc::ServerUnaryReactor* Run(grpc::CallbackServerContext* ctx, const Request* request,
                                Response* response, Analysis analysis);
  grpc::ServerUnaryReactor* NotYet(grpc::CallbackServerContext* ctx, const char* tool);

  WorkerPool* pool_;
  ServiceLimits limits_;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_SERVICE_ANALYSIS_SERVICE_H_
