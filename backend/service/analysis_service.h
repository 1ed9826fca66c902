// gRPC service for every analysis: each RPC validates its input, runs the analysis on the
// worker pool, and finishes once with the result or a canonical status. Analyze runs any of
// them by name and streams its progress before the result.
#ifndef MCPCAP_BACKEND_SERVICE_ANALYSIS_SERVICE_H_
#define MCPCAP_BACKEND_SERVICE_ANALYSIS_SERVICE_H_

#include <functional>
#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "backend/service/analysis_call.h"
#include "backend/service/service_limits.h"
#include "backend/service/worker_pool.h"
#include "backend/source/capture_location.h"
#include "mcpcap/v1/analysis.grpc.pb.h"

namespace mcpcap {

class AnalysisService final : public v1::CaptureAnalysis::CallbackService {
 public:
  // `locator` resolves every pcap_file (paths, URLs, uploads); it must outlive the service.
  AnalysisService(WorkerPool* pool, ServiceLimits limits, const CaptureLocator* locator);

  grpc::ServerUnaryReactor* AnalyzeCapinfos(grpc::CallbackServerContext* ctx,
                                            const v1::AnalyzeCapinfosRequest* request,
                                            v1::AnalyzeCapinfosResponse* response) override;

  // Analyses that later versions bring answer UNIMPLEMENTED with the tool's name.
  grpc::ServerUnaryReactor* AnalyzeDnsPackets(grpc::CallbackServerContext* ctx,
                                              const v1::AnalyzeDnsPacketsRequest* request,
                                              v1::AnalyzeDnsPacketsResponse* response) override;
  grpc::ServerUnaryReactor* AnalyzeDhcpPackets(grpc::CallbackServerContext* ctx,
                                               const v1::AnalyzeDhcpPacketsRequest* request,
                                               v1::AnalyzeDhcpPacketsResponse* response) override;
  grpc::ServerUnaryReactor* AnalyzeIcmpPackets(grpc::CallbackServerContext* ctx,
                                               const v1::AnalyzeIcmpPacketsRequest* request,
                                               v1::AnalyzeIcmpPacketsResponse* response) override;
  grpc::ServerUnaryReactor* AnalyzeSipPackets(grpc::CallbackServerContext* ctx,
                                              const v1::AnalyzeSipPacketsRequest* request,
                                              v1::AnalyzeSipPacketsResponse* response) override;
  grpc::ServerUnaryReactor* AnalyzeTcpConnections(
      grpc::CallbackServerContext* ctx, const v1::AnalyzeTcpConnectionsRequest* request,
      v1::AnalyzeTcpConnectionsResponse* response) override;
  grpc::ServerUnaryReactor* AnalyzeTcpAnomalies(grpc::CallbackServerContext* ctx,
                                                const v1::AnalyzeTcpAnomaliesRequest* request,
                                                v1::AnalyzeTcpAnomaliesResponse* response) override;
  grpc::ServerUnaryReactor* AnalyzeTcpRetransmissions(
      grpc::CallbackServerContext* ctx, const v1::AnalyzeTcpRetransmissionsRequest* request,
      v1::AnalyzeTcpRetransmissionsResponse* response) override;
  grpc::ServerUnaryReactor* AnalyzeTrafficFlow(grpc::CallbackServerContext* ctx,
                                               const v1::AnalyzeTrafficFlowRequest* request,
                                               v1::AnalyzeTrafficFlowResponse* response) override;
  grpc::ServerUnaryReactor* AnalyzePayload(grpc::CallbackServerContext* ctx,
                                           const v1::AnalyzePayloadRequest*,
                                           v1::AnalyzePayloadResponse*) override;
  grpc::ServerUnaryReactor* ExtractDatabaseQueries(grpc::CallbackServerContext* ctx,
                                                   const v1::ExtractDatabaseQueriesRequest*,
                                                   v1::ExtractDatabaseQueriesResponse*) override;
  grpc::ServerUnaryReactor* DetectProtocols(grpc::CallbackServerContext* ctx,
                                            const v1::DetectProtocolsRequest*,
                                            v1::DetectProtocolsResponse*) override;

  // The analysis request->method() names, with progress events before its response.
  grpc::ServerWriteReactor<v1::AnalyzeEvent>* Analyze(grpc::CallbackServerContext* ctx,
                                                      const v1::AnalyzeRequest* request) override;

 private:
  // An analysis on serialized messages, for Analyze.
  using ErasedAnalysis = std::function<absl::StatusOr<std::string>(const std::string& request,
                                                                   const CallControl& control)>;
  template <typename Response, typename Request>
  ErasedAnalysis Erase(absl::StatusOr<Response> (*analysis)(const AnalysisInput&,
                                                            const Request&)) const;

  template <typename Request, typename Response, typename Analysis>
  grpc::ServerUnaryReactor* Run(grpc::CallbackServerContext* ctx, const Request* request,
                                Response* response, Analysis analysis);

  WorkerPool* pool_;
  ServiceLimits limits_;
  const CaptureLocator* locator_;
  // Analyze's table, by RPC name: every analysis that the unary RPCs run (keep them in step).
  std::map<std::string, ErasedAnalysis> streamable_;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_SERVICE_ANALYSIS_SERVICE_H_
