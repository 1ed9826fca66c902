// CaptureUploadService.UploadCapture: a caller streams a capture's bytes and gets back a held
// capture resource (checked and hashed on the worker pool) that every analysis accepts as its
// `capture`. A separate service from CaptureAnalysisService so that the MCP gateway, which lists
// that one as tools, never offers it.
// An upload takes a slot of the store at its first byte, and a stream that sends nothing for
// the idle timeout, or does not finish within the total timeout, is dropped.
#ifndef MCPCAP_BACKEND_SERVICE_CAPTURE_UPLOAD_SERVICE_H_
#define MCPCAP_BACKEND_SERVICE_CAPTURE_UPLOAD_SERVICE_H_

#include "backend/service/stream_deadlines.h"
#include "backend/service/worker_pool.h"
#include "backend/source/capture_registry.h"
#include "backend/source/upload_store.h"
#include "mcpcap/v1/upload.grpc.pb.h"

namespace mcpcap {

class CaptureUploadService final : public v1::CaptureUploadService::CallbackService {
 public:
  // All three must outlive the service.
  CaptureUploadService(UploadStore* store, CaptureRegistry* captures, WorkerPool* pool)
      : store_(store),
        captures_(captures),
        pool_(pool),
        deadlines_(store->limits().idle_timeout, store->limits().total_timeout) {}

  grpc::ServerReadReactor<v1::UploadCaptureRequest>* UploadCapture(
      grpc::CallbackServerContext* ctx, v1::UploadCaptureResponse* response) override;

  // Upload streams open now, with or without bytes.
  size_t open_streams() { return deadlines_.size(); }

 private:
  UploadStore* store_;
  CaptureRegistry* captures_;
  WorkerPool* pool_;
  StreamDeadlines deadlines_;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_SERVICE_CAPTURE_UPLOAD_SERVICE_H_
