#include "gateway/backend/unary_call.h"

#include <google/protobuf/unknown_field_set.h>
#include <grpcpp/client_context.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/support/byte_buffer.h>

#include <condition_variable>
#include <mutex>
#include <vector>

namespace mcpcap::gateway {

grpc::Status UnaryCall(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
                       const std::string& request, std::string* response,
                       std::chrono::system_clock::time_point deadline, bool wait_for_ready,
                       CancelToken* cancel) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(deadline);
  context.set_wait_for_ready(wait_for_ready);
  grpc::Slice slice(request);
  grpc::ByteBuffer request_buffer(&slice, 1);
  grpc::ByteBuffer response_buffer;

  std::mutex mu;
  std::condition_variable done_cv;
  bool done = false;
  grpc::Status result;
  stub.UnaryCall(&context, method, grpc::StubOptions(), &request_buffer, &response_buffer,
                 [&](grpc::Status status) {
                   std::lock_guard<std::mutex> lock(mu);
                   result = std::move(status);
                   done = true;
                   done_cv.notify_one();
                 });
  // A cancelled request cancels the RPC; the backend notices and stops.
  if (cancel != nullptr) cancel->SetHook([&context] { context.TryCancel(); });
  {
    std::unique_lock<std::mutex> lock(mu);
    done_cv.wait(lock, [&] { return done; });
  }
  if (cancel != nullptr) cancel->ClearHook();
  if (!result.ok()) return result;
  std::vector<grpc::Slice> slices;
  grpc::Status dumped = response_buffer.Dump(&slices);
  if (!dumped.ok()) return dumped;
  response->clear();
  for (const grpc::Slice& s : slices) {
    response->append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  return grpc::Status::OK;
}

grpc::Status CheckHealth(const std::shared_ptr<grpc::Channel>& channel,
                         std::chrono::milliseconds timeout) {
  // HealthCheckRequest{service: ""} is the empty message; the reply's field 1 is the status.
  std::string reply;
  grpc::Status status = UnaryCall(channel, "/grpc.health.v1.Health/Check", "", &reply,
                                  std::chrono::system_clock::now() + timeout, false);
  if (!status.ok()) return status;
  google::protobuf::UnknownFieldSet fields;
  if (!fields.ParseFromString(reply)) {
    return grpc::Status(grpc::StatusCode::INTERNAL, "health reply does not parse");
  }
  uint64_t serving_status = 0;  // UNKNOWN
  for (int i = 0; i < fields.field_count(); ++i) {
    if (fields.field(i).number() == 1 &&
        fields.field(i).type() == google::protobuf::UnknownField::TYPE_VARINT) {
      serving_status = fields.field(i).varint();
    }
  }
  constexpr uint64_t kServing = 1;
  if (serving_status != kServing) {
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, "backend is not SERVING");
  }
  return grpc::Status::OK;
}

}  // namespace mcpcap::gateway
