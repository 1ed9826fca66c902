// gRPC service for every analysis: each RPC validates its input, runs the analysis on the
// worker pool, and finishes once with the result or a canonical status. Analyze runs the one
// whose request message it carries and streams its progress before the typed result.
#ifndef MCPCAP_BACKEND_SERVICE_ANALYSIS_SERVICE_H_
#define MCPCAP_BACKEND_SERVICE_ANALYSIS_SERVICE_H_

#include <functional>
#include <map>

#include "absl/status/statusor.h"
#include "backend/service/analysis_call.h"
#include "backend/service/analysis_rpcs.h"
#include "backend/service/service_limits.h"
#include "backend/service/worker_pool.h"
#include "backend/source/capture_location.h"
#include "mcpcap/v1/analysis.grpc.pb.h"

namespace mcpcap {

class AnalysisService final : public v1::CaptureAnalysisService::CallbackService {
 public:
  // `locator` resolves every pcap_file (paths, URLs, uploads); `cache` (may be null) keeps
  // results. Both must outlive the service.
  AnalysisService(WorkerPool* pool, ServiceLimits limits, const CaptureLocator* locator,
                  ResultCache* cache);

  // One unary RPC per analysis of analysis_rpcs.h.
#define MCPCAP_DECLARE_UNARY_RPC(Name)                                                           \
  grpc::ServerUnaryReactor* Name(grpc::CallbackServerContext* ctx,                               \
                                 const v1::Name##Request* request, v1::Name##Response* response) \
      override;
  MCPCAP_ANALYSIS_RPCS(MCPCAP_DECLARE_UNARY_RPC)
#undef MCPCAP_DECLARE_UNARY_RPC

  // The analysis whose request the oneof carries, with progress events before its response.
  grpc::ServerWriteReactor<v1::AnalyzeResponse>* Analyze(
      grpc::CallbackServerContext* ctx, const v1::AnalyzeRequest* request) override;

 private:
  // An analysis on any request message, for Analyze: its result is the stream's last event.
  using ErasedAnalysis = std::function<absl::StatusOr<v1::AnalyzeResponse>(
      const google::protobuf::Message& request, const CallControl& control)>;
  template <typename Response, typename Request>
  ErasedAnalysis Erase(absl::StatusOr<Response> (*analysis)(const AnalysisInput&,
                                                            const Request&)) const;

  template <typename Request, typename Response, typename Analysis>
  grpc::ServerUnaryReactor* Run(grpc::CallbackServerContext* ctx, const Request* request,
                                Response* response, Analysis analysis);

  WorkerPool* pool_;
  ServiceLimits limits_;
  const CaptureLocator* locator_;
  ResultCache* cache_;
  // Analyze's table, by request message type: every analysis of analysis_rpcs.h.
  std::map<const google::protobuf::Descriptor*, ErasedAnalysis> streamable_;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_SERVICE_ANALYSIS_SERVICE_H_
