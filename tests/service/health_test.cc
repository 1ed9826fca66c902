// The standard health service over the real gRPC stack on a real Unix socket, asked by a client
// generated from grpc-proto's health.proto: SERVING for the server and each service it serves
// by full name, NOT_FOUND for names it does not serve, NOT_SERVING once it shuts down.
#include <grpcpp/grpcpp.h>

#include <string>
#include <thread>
#include <vector>

#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/service/backend_on_socket.h"
#include "tests/service/served_services.h"

namespace mcpcap {
namespace {

using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

class HealthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto started = testing::StartBackendOnSocket("health");
    ASSERT_TRUE(started.ok()) << started.status();
    backend_ = std::move(started->backend);
    stub_ = grpc::health::v1::Health::NewStub(started->channel);
  }

  grpc::Status Check(const std::string& service, HealthCheckResponse* out) {
    grpc::ClientContext ctx;
    HealthCheckRequest request;
    request.set_service(service);
    return stub_->Check(&ctx, request, out);
  }

  std::unique_ptr<BackendServer> backend_;
  std::unique_ptr<grpc::health::v1::Health::Stub> stub_;
};

TEST_F(HealthTest, EveryServedServiceIsServingByItsFullName) {
  std::vector<std::string> names = testing::ServedServiceNames();
  names.insert(names.begin(), "");  // the server as a whole
  for (const std::string& name : names) {
    HealthCheckResponse out;
    grpc::Status status = Check(name, &out);
    ASSERT_TRUE(status.ok()) << "'" << name << "': " << status.error_message();
    EXPECT_EQ(out.status(), HealthCheckResponse::SERVING) << "'" << name << "'";
  }
}

TEST_F(HealthTest, UnknownServicesAreNotFound) {
  HealthCheckResponse out;
  EXPECT_EQ(Check("mcpcap.v1.NoSuchService", &out).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Check("CaptureAnalysis", &out).error_code(), grpc::StatusCode::NOT_FOUND);
}

// A watcher (a load balancer, Kubernetes) learns that the server is going away while the calls
// in flight drain.
TEST_F(HealthTest, ShutdownTurnsWatchersToNotServing) {
  grpc::ClientContext ctx;
  HealthCheckRequest request;
  request.set_service(testing::ContractServiceNames().front());
  auto watch = stub_->Watch(&ctx, request);
  HealthCheckResponse out;
  ASSERT_TRUE(watch->Read(&out));
  EXPECT_EQ(out.status(), HealthCheckResponse::SERVING);

  std::thread stopper([&] { backend_->Shutdown(1); });
  ASSERT_TRUE(watch->Read(&out));
  EXPECT_EQ(out.status(), HealthCheckResponse::NOT_SERVING);
  ctx.TryCancel();
  stopper.join();
}

}  // namespace
}  // namespace mcpcap
