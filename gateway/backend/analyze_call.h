// A CaptureAnalysisService RPC through the server-streaming CaptureAnalysisService.Analyze: the
// same request and response bytes as the unary call (carried in Analyze's oneof fields of their
// types), with the progress reports of the backend doing the work passed on as they arrive. One
// stream is one call on one backend, so progress and result come from the same replica whatever the
// load balancing.
#ifndef MCPCAP_GATEWAY_BACKEND_ANALYZE_CALL_H_
#define MCPCAP_GATEWAY_BACKEND_ANALYZE_CALL_H_

#include <grpcpp/channel.h>
#include <grpcpp/support/status.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "gateway/mcp/cancel_token.h"
#include "mcpcap/v1/analysis.pb.h"

namespace mcpcap::gateway {

// `method_path` is "/mcpcap.v1.CaptureAnalysisService/<Rpc>". Cancelling `cancel` cancels the
// stream. A backend without Analyze (an older mcpcapd) answers UNIMPLEMENTED before any event.
grpc::Status AnalyzeCall(const std::shared_ptr<grpc::Channel>& channel,
                         const std::string& method_path, const std::string& request,
                         std::string* response, std::chrono::system_clock::time_point deadline,
                         bool wait_for_ready, CancelToken* cancel,
                         const std::function<void(const v1::AnalyzeProgress&)>& on_progress,
                         bool* any_event);

// True for the RPCs Analyze can run: those of CaptureAnalysisService.
bool IsAnalysisMethod(const std::string& method_path);

}  // namespace mcpcap::gateway

#endif  // MCPCAP_GATEWAY_BACKEND_ANALYZE_CALL_H_
