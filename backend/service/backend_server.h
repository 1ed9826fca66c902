// The whole backend as one object: worker pool, services, health and reflection, listening.
// mcpcapd's main and the service tests start it the same way.
#ifndef MCPCAP_BACKEND_SERVICE_BACKEND_SERVER_H_
#define MCPCAP_BACKEND_SERVICE_BACKEND_SERVER_H_

#include <grpcpp/server.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "backend/service/analysis_service.h"
#include "backend/service/capture_service.h"
#include "backend/service/capture_upload_service.h"
#include "backend/service/prompt_service.h"
#include "backend/service/reflection_index.h"
#include "backend/service/reflection_service.h"
#include "backend/service/registered_services.h"
#include "backend/service/result_cache.h"
#include "backend/service/server_status_service.h"
#include "backend/service/worker_pool.h"

namespace mcpcap {

struct BackendConfig {
  std::string listen = "127.0.0.1:50051";  // host:port or unix:/path
  ServiceLimits limits;
  SourceConfig sources;  // roots, downloads, uploads, decompression cap
  uint32_t workers = 0;  // 0 = one per core
  uint32_t max_queue = 64;
  // gRPC's own buffers (messages being received, frames, reads) share this quota; past it the
  // transport cancels streams instead of buffering more (--max-grpc-memory-bytes).
  uint64_t grpc_memory_bytes = uint64_t{64} << 20;
  // Largest request message: an upload chunk of 4 MiB with its framing.
  int max_message_bytes = (4 << 20) + (64 << 10);
  // Memory the result cache may hold (--cache-memory-bytes); 0 keeps no results.
  uint64_t cache_memory_bytes = uint64_t{512} << 20;
};

class BackendServer {
 public:
  static absl::StatusOr<std::unique_ptr<BackendServer>> Start(const BackendConfig& config);
  ~BackendServer();

  // Stops accepting calls; calls in flight get `grace_seconds` to finish. Health answers
  // NOT_SERVING for every service from here on.
  void Shutdown(int grace_seconds);
  void Wait() { server_->Wait(); }
  const CaptureLocator& locator() const { return *locator_; }
  const ResultCache& cache() const { return *cache_; }
  CaptureUploadService& uploads() { return *uploads_; }
  // The TCP port bound (useful with port 0), or 0 for Unix sockets.
  int port() const { return port_; }
  uint32_t workers() const { return workers_; }

 private:
  BackendServer() = default;
  uint32_t workers_ = 0;
  int port_ = 0;
  std::unique_ptr<CaptureLocator> locator_;  // its temp dir goes when the server does
  std::unique_ptr<WorkerPool> pool_;
  std::unique_ptr<ResultCache> cache_;
  std::unique_ptr<AnalysisService> analyses_;
  std::unique_ptr<CaptureUploadService> uploads_;
  std::unique_ptr<CaptureService> captures_;
  std::unique_ptr<PromptService> prompts_;
  std::unique_ptr<ServerStatusService> status_;
  RegisteredServices registered_;
  std::unique_ptr<ReflectionIndex> reflection_index_;
  std::unique_ptr<ReflectionV1Service> reflection_v1_;
  std::unique_ptr<ReflectionV1AlphaService> reflection_v1alpha_;
  std::unique_ptr<grpc::Server> server_;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_SERVICE_BACKEND_SERVER_H_
