// A backend on a fresh Unix socket of its own, and a channel to it: how the service tests reach
// the backend through the real gRPC stack.
#ifndef MCPCAP_TESTS_SERVICE_BACKEND_ON_SOCKET_H_
#define MCPCAP_TESTS_SERVICE_BACKEND_ON_SOCKET_H_

#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "backend/service/backend_server.h"
#include "gtest/gtest.h"

namespace mcpcap::testing {

struct BackendOnSocket {
  std::unique_ptr<BackendServer> backend;
  std::shared_ptr<grpc::Channel> channel;
};

// `tag` names the socket, with the process id, so that tests running at once do not collide.
inline absl::StatusOr<BackendOnSocket> StartBackendOnSocket(const std::string& tag,
                                                            BackendConfig config = {}) {
  const std::string socket =
      ::testing::TempDir() + "/mcpcapd_" + tag + "_" + std::to_string(::getpid()) + ".sock";
  std::filesystem::remove(socket);
  config.listen = "unix:" + socket;
  absl::StatusOr<std::unique_ptr<BackendServer>> backend = BackendServer::Start(config);
  if (!backend.ok()) return backend.status();
  return BackendOnSocket{std::move(*backend),
                         grpc::CreateChannel(config.listen, grpc::InsecureChannelCredentials())};
}

}  // namespace mcpcap::testing

#endif  // MCPCAP_TESTS_SERVICE_BACKEND_ON_SOCKET_H_
