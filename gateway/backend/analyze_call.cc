#include "gateway/backend/analyze_call.h"

#include <grpcpp/client_context.h>

#include "mcpcap/v1/analysis.grpc.pb.h"

namespace mcpcap::gateway {
namespace {

constexpr char kAnalysisPrefix[] = "/mcpcap.v1.CaptureAnalysisService/";

}  // namespace

bool IsAnalysisMethod(const std::string& method_path) {
  return method_path.rfind(kAnalysisPrefix, 0) == 0;
}

grpc::Status AnalyzeCall(const std::shared_ptr<grpc::Channel>& channel,
                         const std::string& method_path, const std::string& request,
                         std::string* response, std::chrono::system_clock::time_point deadline,
                         bool wait_for_ready, CancelToken* cancel,
                         const std::function<void(const v1::AnalyzeProgress&)>& on_progress,
                         bool* any_event) {
  *any_event = false;
  v1::AnalyzeRequest analyze;
  analyze.set_method(method_path.substr(method_path.rfind('/') + 1));
  analyze.set_request(request);
  grpc::ClientContext context;
  context.set_deadline(deadline);
  context.set_wait_for_ready(wait_for_ready);
  auto stub = v1::CaptureAnalysisService::NewStub(channel);
  std::unique_ptr<grpc::ClientReader<v1::AnalyzeResponse>> reader =
      stub->Analyze(&context, analyze);
  // A cancelled request cancels the stream; the backend notices and stops.
  if (cancel != nullptr) cancel->SetHook([&context] { context.TryCancel(); });
  bool answered = false;
  v1::AnalyzeResponse event;
  while (reader->Read(&event)) {
    *any_event = true;
    if (event.has_progress()) {
      if (on_progress) on_progress(event.progress());
    } else if (event.event_case() == v1::AnalyzeResponse::kResponse) {
      *response = std::move(*event.mutable_response());
      answered = true;
    }
  }
  grpc::Status status = reader->Finish();
  if (cancel != nullptr) cancel->ClearHook();
  if (status.ok() && !answered) {
    return grpc::Status(grpc::StatusCode::INTERNAL, "the backend's Analyze stream had no response");
  }
  return status;
}

}  // namespace mcpcap::gateway
