#include "backend/service/server_status_service.h"

namespace mcpcap {

grpc::ServerUnaryReactor* ServerStatusService::GetServerStatus(
    grpc::CallbackServerContext* ctx, const v1::GetServerStatusRequest* /*request*/,
    v1::GetServerStatusResponse* response) {
  *response->mutable_result_cache() = cache_->Status();
  response->set_captures_held(captures_->held());
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

}  // namespace mcpcap
