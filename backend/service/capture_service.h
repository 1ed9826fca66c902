// CaptureService: captures held as resources. CreateCapture reads a path or URL once (on the
// worker pool: a download or a hash of a large file takes time), GetCapture and DeleteCapture
// answer from the registry at once.
#ifndef MCPCAP_BACKEND_SERVICE_CAPTURE_SERVICE_H_
#define MCPCAP_BACKEND_SERVICE_CAPTURE_SERVICE_H_

#include "backend/service/worker_pool.h"
#include "backend/source/capture_location.h"
#include "mcpcap/v1/captures.grpc.pb.h"

namespace mcpcap {

class CaptureService final : public v1::CaptureService::CallbackService {
 public:
  // `pool` and `locator` must outlive the service.
  CaptureService(WorkerPool* pool, const CaptureLocator* locator)
      : pool_(pool), locator_(locator) {}

  grpc::ServerUnaryReactor* CreateCapture(grpc::CallbackServerContext* ctx,
                                          const v1::CreateCaptureRequest* request,
                                          v1::CreateCaptureResponse* response) override;
  grpc::ServerUnaryReactor* GetCapture(grpc::CallbackServerContext* ctx,
                                       const v1::GetCaptureRequest* request,
                                       v1::GetCaptureResponse* response) override;
  grpc::ServerUnaryReactor* DeleteCapture(grpc::CallbackServerContext* ctx,
                                          const v1::DeleteCaptureRequest* request,
                                          v1::DeleteCaptureResponse* response) override;

 private:
  WorkerPool* pool_;
  const CaptureLocator* locator_;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_SERVICE_CAPTURE_SERVICE_H_
