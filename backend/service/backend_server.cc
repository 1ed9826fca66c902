#include "backend/service/backend_server.h"

#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/resource_quota.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <thread>

#include "absl/strings/str_cat.h"
#include "mcpcap/proto/descriptor_set.h"

namespace mcpcap {

absl::StatusOr<std::unique_ptr<BackendServer>> BackendServer::Start(const BackendConfig& config) {
  std::unique_ptr<BackendServer> backend(new BackendServer());
  absl::StatusOr<std::unique_ptr<CaptureLocator>> locator = CaptureLocator::Create(config.sources);
  if (!locator.ok()) return locator.status();
  backend->locator_ = std::move(*locator);
  backend->workers_ =
      config.workers ? config.workers : std::max(1u, std::thread::hardware_concurrency());
  backend->pool_ = std::make_unique<WorkerPool>(backend->workers_, config.max_queue);
  backend->cache_ = std::make_unique<ResultCache>(config.cache_memory_bytes);
  backend->analyses_ = std::make_unique<AnalysisService>(
      backend->pool_.get(), config.limits, backend->locator_.get(), backend->cache_.get());
  backend->uploads_ = std::make_unique<CaptureUploadService>(
      backend->locator_->uploads(), backend->locator_->captures(), backend->pool_.get());
  backend->captures_ =
      std::make_unique<CaptureService>(backend->pool_.get(), backend->locator_.get());
  backend->prompts_ = std::make_unique<PromptService>();
  backend->status_ =
      std::make_unique<ServerStatusService>(backend->cache_.get(), backend->locator_->captures());
  // Our files come with their comments, which document the allowed values of string fields.
  backend->reflection_index_ = std::make_unique<ReflectionIndex>(proto::DescriptorSetBytes(),
                                                                 "mcpcap/", &backend->registered_);
  backend->reflection_v1_ = std::make_unique<ReflectionV1Service>(backend->reflection_index_.get());
  backend->reflection_v1alpha_ =
      std::make_unique<ReflectionV1AlphaService>(backend->reflection_index_.get());

  grpc::EnableDefaultHealthCheckService(true);
  grpc::ServerBuilder builder;
  backend->registered_.ObserveBuild(&builder);
  grpc::ResourceQuota quota("mcpcapd");
  quota.Resize(static_cast<size_t>(config.grpc_memory_bytes));
  builder.SetResourceQuota(quota);
  builder.SetMaxReceiveMessageSize(config.max_message_bytes);
  // Analyses check their own size first (RESPONSE_TOO_LARGE); this catches any other message.
  builder.SetMaxSendMessageSize(static_cast<int>(
      std::min<uint64_t>(config.limits.max_response_bytes + (64 << 10), INT32_MAX)));
  builder.AddListeningPort(config.listen, grpc::InsecureServerCredentials(), &backend->port_);
  builder.RegisterService(backend->analyses_.get());
  builder.RegisterService(backend->prompts_.get());
  builder.RegisterService(backend->uploads_.get());
  builder.RegisterService(backend->captures_.get());
  builder.RegisterService(backend->status_.get());
  builder.RegisterService(backend->reflection_v1_.get());
  builder.RegisterService(backend->reflection_v1alpha_.get());
  backend->server_ = builder.BuildAndStart();
  if (backend->server_ == nullptr) {
    return absl::UnavailableError(absl::StrCat("mcpcapd cannot listen on ", config.listen));
  }
  // gRPC's health service knows only "" by itself; every registered service by its full name too.
  if (grpc::HealthCheckServiceInterface* health = backend->server_->GetHealthCheckService()) {
    for (const std::string& name : backend->registered_.Names()) {
      health->SetServingStatus(name, true);
    }
  }
  return backend;
}

void BackendServer::Shutdown(int grace_seconds) {
  if (grpc::HealthCheckServiceInterface* health = server_->GetHealthCheckService()) {
    health->Shutdown();  // NOT_SERVING for all, and watchers are told, while calls drain
  }
  server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(grace_seconds));
}

BackendServer::~BackendServer() {
  if (server_) {
    Shutdown(0);
    server_->Wait();
  }
  pool_.reset();  // finishes queued work before the services go away
}

}  // namespace mcpcap
