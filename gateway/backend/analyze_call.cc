#include "gateway/backend/analyze_call.h"

#include <google/protobuf/descriptor.h>
#include <grpcpp/client_context.h>

#include "mcpcap/proto/oneof_field.h"
#include "mcpcap/v1/analysis.grpc.pb.h"

namespace mcpcap::gateway {
namespace {

constexpr char kAnalysisPrefix[] = "/mcpcap.v1.CaptureAnalysisService/";

// The oneof field of `message` (AnalyzeRequest or AnalyzeResponse) holding `method`'s request or
// response, found from the method's types.
const google::protobuf::FieldDescriptor* AnalysisField(const google::protobuf::Descriptor* message,
                                                       const char* oneof,
                                                       const google::protobuf::Descriptor* type) {
  return proto::OneofFieldOfType(message->FindOneofByName(oneof), type);
}

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
  // "/pkg.Service/Rpc" -> "pkg.Service.Rpc"
  std::string full_name = method_path.substr(1);
  full_name[full_name.rfind('/')] = '.';
  const google::protobuf::MethodDescriptor* method =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(full_name);
  const google::protobuf::FieldDescriptor* request_field =
      method == nullptr
          ? nullptr
          : AnalysisField(v1::AnalyzeRequest::descriptor(), "analysis", method->input_type());
  const google::protobuf::FieldDescriptor* response_field =
      method == nullptr
          ? nullptr
          : AnalysisField(v1::AnalyzeResponse::descriptor(), "event", method->output_type());
  if (request_field == nullptr || response_field == nullptr) {
    return grpc::Status(grpc::StatusCode::INTERNAL, "Analyze cannot carry " + method_path);
  }
  v1::AnalyzeRequest analyze;
  if (!analyze.GetReflection()->MutableMessage(&analyze, request_field)->ParseFromString(request)) {
    return grpc::Status(grpc::StatusCode::INTERNAL, "the request does not parse as its type");
  }
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
    } else if (event.GetReflection()->HasField(event, response_field)) {
      *response = event.GetReflection()->GetMessage(event, response_field).SerializeAsString();
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
