// ServerStatusService: what the server holds now (result cache, captures), answered at once
// from memory without the worker pool, so it works while every worker is busy.
#ifndef MCPCAP_BACKEND_SERVICE_SERVER_STATUS_SERVICE_H_
#define MCPCAP_BACKEND_SERVICE_SERVER_STATUS_SERVICE_H_

#include "backend/service/result_cache.h"
#include "backend/source/capture_registry.h"
#include "mcpcap/v1/status.grpc.pb.h"

namespace mcpcap {

class ServerStatusService final : public v1::ServerStatusService::CallbackService {
 public:
  // Both must outlive the service.
  ServerStatusService(const ResultCache* cache, CaptureRegistry* captures)
      : cache_(cache), captures_(captures) {}

  grpc::ServerUnaryReactor* GetServerStatus(grpc::CallbackServerContext* ctx,
                                            const v1::GetServerStatusRequest* request,
                                            v1::GetServerStatusResponse* response) override;

 private:
  const ResultCache* cache_;
  CaptureRegistry* captures_;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_SERVICE_SERVER_STATUS_SERVICE_H_
