// The full names of the services a gRPC server registered (ours, health, reflection), read from
// the server itself while it is built, so that no list is kept by hand.
#ifndef MCPCAP_BACKEND_SERVICE_REGISTERED_SERVICES_H_
#define MCPCAP_BACKEND_SERVICE_REGISTERED_SERVICES_H_

#include <grpcpp/server_builder.h>

#include <atomic>
#include <string>
#include <vector>

namespace mcpcap {

class RegisteredServices {
 public:
  // Makes `builder` report here the server it builds. Call before BuildAndStart; this object
  // must outlive that server.
  void ObserveBuild(grpc::ServerBuilder* builder);

  // Sorted; empty until the server is built.
  std::vector<std::string> Names() const;

 private:
  class Plugin;
  class Option;
  // The server's own list (grpc::ServerInitializer::GetServiceList): complete once the server
  // has started, which is before any call can read it, and never changed after.
  std::atomic<const std::vector<std::string>*> names_{nullptr};
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_SERVICE_REGISTERED_SERVICES_H_
