#include "backend/service/registered_services.h"

#include <grpcpp/impl/server_builder_option.h>
#include <grpcpp/impl/server_builder_plugin.h>
#include <grpcpp/impl/server_initializer.h>

#include <algorithm>
#include <memory>

namespace mcpcap {

// gRPC hands a ServerInitializer, the only public view of the registered names, to plugins.
class RegisteredServices::Plugin final : public grpc::ServerBuilderPlugin {
 public:
  explicit Plugin(RegisteredServices* owner) : owner_(owner) {}
  std::string name() override { return "mcpcap_registered_services"; }
  void InitServer(grpc::ServerInitializer* initializer) override {
    owner_->names_.store(initializer->GetServiceList());
  }
  void Finish(grpc::ServerInitializer*) override {}
  void ChangeArguments(const std::string&, void*) override {}

 private:
  RegisteredServices* owner_;
};

// Options are per builder (plugin factories are process-wide), so the plugin comes in as one.
class RegisteredServices::Option final : public grpc::ServerBuilderOption {
 public:
  explicit Option(RegisteredServices* owner) : owner_(owner) {}
  void UpdateArguments(grpc::ChannelArguments*) override {}
  void UpdatePlugins(std::vector<std::unique_ptr<grpc::ServerBuilderPlugin>>* plugins) override {
    plugins->push_back(std::make_unique<Plugin>(owner_));
  }

 private:
  RegisteredServices* owner_;
};

void RegisteredServices::ObserveBuild(grpc::ServerBuilder* builder) {
  builder->SetOption(std::make_unique<Option>(this));
}

std::vector<std::string> RegisteredServices::Names() const {
  const std::vector<std::string>* names = names_.load();
  if (names == nullptr) return {};
  std::vector<std::string> sorted(*names);
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  return sorted;
}

}  // namespace mcpcap
