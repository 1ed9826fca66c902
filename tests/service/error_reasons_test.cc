// What a gRPC client reads from a failed call, over a real socket: the canonical code, and in
// the binary details an ErrorInfo reason (domain mcpcap.v1) with its metadata, a BadRequest
// naming the request field at fault, a RetryInfo when the server is busy and only then.
#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>
#include <thread>

#include "backend/service/backend_server.h"
#include "gateway/backend/error_details.h"
#include "gmock/gmock.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "mcpcap/v1/analysis.grpc.pb.h"
#include "tests/service/backend_on_socket.h"
#include "tests/source/loopback_http_server.h"
#include "tests/testing/capture_builder.h"

namespace mcpcap {
namespace {

using gateway::BackendError;
using gateway::ReadBackendError;
using testing::BuildPcap;
using ::testing::ElementsAre;
using testing::Frame;
using ::testing::Pair;
using testing::WriteTempFile;

std::vector<std::string> Fields(const BackendError& e) {
  std::vector<std::string> fields;
  for (const auto& [field, description] : e.field_violations) fields.push_back(field);
  return fields;
}

class ErrorReasonsTest : public ::testing::Test {
 protected:
  void StartBackend(BackendConfig config = {}) {
    auto started = testing::StartBackendOnSocket("reasons", config);
    ASSERT_TRUE(started.ok()) << started.status();
    backend_ = std::move(started->backend);
    channel_ = started->channel;
    stub_ = v1::CaptureAnalysisService::NewStub(channel_);
  }

  grpc::Status Capinfos(v1::AnalyzeCapinfosRequest request, int deadline_seconds = 30) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(deadline_seconds));
    v1::AnalyzeCapinfosResponse out;
    return stub_->AnalyzeCapinfos(&ctx, request, &out);
  }

  grpc::Status Capinfos(const std::string& pcap_file, const std::string& filter = "") {
    v1::AnalyzeCapinfosRequest request;
    request.set_pcap_file(pcap_file);
    request.mutable_options()->set_bpf_filter(filter);
    return Capinfos(request);
  }

  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<BackendServer> backend_;
  std::unique_ptr<v1::CaptureAnalysisService::Stub> stub_;
};

TEST_F(ErrorReasonsTest, DetailsAreAGoogleRpcStatusWithTheCallsCodeAndMessage) {
  StartBackend();
  const grpc::Status missing = Capinfos("/no/such/file.pcap");
  google::rpc::Status rpc;
  ASSERT_TRUE(rpc.ParseFromString(missing.error_details()));
  EXPECT_EQ(rpc.code(), static_cast<int>(grpc::StatusCode::NOT_FOUND));
  EXPECT_EQ(rpc.message(), missing.error_message());
  ASSERT_EQ(rpc.details_size(), 1);
  EXPECT_EQ(rpc.details(0).type_url(), "type.googleapis.com/google.rpc.ErrorInfo");
  const BackendError e = ReadBackendError(missing);
  EXPECT_EQ(e.reason, "CAPTURE_NOT_FOUND");
  EXPECT_EQ(e.metadata.at("pcap_file"), "/no/such/file.pcap");
  EXPECT_TRUE(e.field_violations.empty());
  EXPECT_FALSE(e.retry_delay.has_value());
}

TEST_F(ErrorReasonsTest, CapturesThatCannotBeReadSayWhy) {
  StartBackend();
  const std::string text = WriteTempFile("reasons.txt", "not a capture at all\n");
  BackendError e = ReadBackendError(Capinfos(text));
  EXPECT_EQ(e.reason, "NOT_A_CAPTURE_FILE");
  EXPECT_EQ(e.metadata.at("pcap_file"), text);
  EXPECT_THAT(Fields(e), ElementsAre("pcap_file"));

  EXPECT_EQ(ReadBackendError(Capinfos(::testing::TempDir())).reason, "NOT_A_CAPTURE_FILE");
  EXPECT_EQ(ReadBackendError(Capinfos(WriteTempFile("empty.pcap", ""))).reason,
            "NOT_A_CAPTURE_FILE");

  const std::string whole = BuildPcap({{1, 0, Frame(60), 0, 0}});
  const grpc::Status cut = Capinfos(WriteTempFile("cut_header.pcap", whole.substr(0, 10)));
  EXPECT_EQ(cut.error_code(), grpc::StatusCode::DATA_LOSS);
  EXPECT_EQ(ReadBackendError(cut).reason, "CAPTURE_DAMAGED");

  const grpc::Status empty = Capinfos("");
  EXPECT_EQ(empty.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ReadBackendError(empty).reason, "INVALID_ARGUMENT");
  EXPECT_THAT(Fields(ReadBackendError(empty)), ElementsAre("pcap_file"));

  e = ReadBackendError(Capinfos("gopher://example.com/x.pcap"));
  EXPECT_EQ(e.reason, "INVALID_ARGUMENT");
  EXPECT_THAT(Fields(e), ElementsAre("pcap_file"));
}

TEST_F(ErrorReasonsTest, BadFieldsAreNamedByTheirPathInTheRequest) {
  StartBackend();
  const std::string good = WriteTempFile("reasons.pcap", BuildPcap({{1, 0, Frame(60), 0, 0}}));
  const grpc::Status filter = Capinfos(good, "port port");
  EXPECT_EQ(filter.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  BackendError e = ReadBackendError(filter);
  EXPECT_EQ(e.reason, "BPF_FILTER_INVALID");
  EXPECT_EQ(e.metadata.at("bpf_filter"), "port port");
  EXPECT_EQ(e.metadata.at("link_type"), "1");
  EXPECT_THAT(e.field_violations, ElementsAre(Pair("options.bpf_filter", filter.error_message())));

  v1::AnalyzeCapinfosRequest hashes;
  hashes.set_pcap_file(good);
  hashes.set_hashes(static_cast<v1::CapinfosHashes>(99));  // outside the enum
  e = ReadBackendError(Capinfos(hashes));
  EXPECT_EQ(e.reason, "INVALID_ARGUMENT");
  EXPECT_THAT(Fields(e), ElementsAre("hashes"));

  grpc::ClientContext ctx;
  v1::AnalyzeTcpConnectionsRequest tcp;
  tcp.set_pcap_file(good);
  tcp.set_server_port(70000);
  v1::AnalyzeTcpConnectionsResponse out;
  e = ReadBackendError(stub_->AnalyzeTcpConnections(&ctx, tcp, &out));
  EXPECT_EQ(e.reason, "INVALID_ARGUMENT");
  EXPECT_THAT(Fields(e), ElementsAre("server_port"));
}

TEST_F(ErrorReasonsTest, PlacesTheServerMayNotReadAreRefusedWithTheirReason) {
  const std::filesystem::path root =
      std::filesystem::path(::testing::TempDir()) / ("reasons_root_" + std::to_string(::getpid()));
  std::filesystem::create_directories(root);
  BackendConfig config;
  config.sources.roots = {root.string()};
  StartBackend(config);
  const std::string outside = WriteTempFile("outside.pcap", BuildPcap({{1, 0, Frame(60), 0, 0}}));
  const grpc::Status refused = Capinfos(outside);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(ReadBackendError(refused).reason, "CAPTURE_OUTSIDE_ROOTS");
  EXPECT_EQ(ReadBackendError(refused).metadata.at("pcap_file"), outside);
  EXPECT_EQ(ReadBackendError(Capinfos((root / "missing.pcap").string())).reason,
            "CAPTURE_NOT_FOUND");

  // Loopback is not fetched unless the operator allows private addresses.
  const grpc::Status url = Capinfos("http://127.0.0.1:9/capture.pcap");
  EXPECT_EQ(url.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  const BackendError e = ReadBackendError(url);
  EXPECT_EQ(e.reason, "URL_NOT_ALLOWED");
  EXPECT_EQ(e.metadata.at("address"), "127.0.0.1");
  EXPECT_EQ(e.metadata.at("address_kind"), "loopback");
  std::filesystem::remove_all(root);
}

// One worker, one queue slot: a call waiting on a stalled download holds the worker, a second
// waits in the queue, and the third is refused at once with a retry delay.
TEST_F(ErrorReasonsTest, BusyIsTheOnlyErrorWithARetryDelay) {
  std::atomic<bool> release{false};
  testing::LoopbackHttpServer http;
  http.Route("/stall", [&release, &http](int fd) {
    testing::LoopbackHttpServer::Send(fd, "HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n");
    while (!release.load() && !http.stopping()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  });
  ASSERT_TRUE(http.Start());
  BackendConfig config;
  config.workers = 1;
  config.max_queue = 1;
  config.sources.fetch.policy.allow_private = true;
  StartBackend(config);

  auto stalled = std::async(std::launch::async, [&] { return Capinfos(http.Url("/stall")); });
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (http.connections() == 0 && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(http.connections(), 1) << "the first call never started its download";
  v1::AnalyzeCapinfosRequest small;
  small.set_pcap_file(WriteTempFile("queued.pcap", BuildPcap({{1, 0, Frame(60), 0, 0}})));
  auto queued = std::async(std::launch::async, [&] { return Capinfos(small); });
  // Once the queue is full a call is refused at once; one that still got queued (before the
  // one above) gives up after a second and the next try is refused.
  grpc::Status busy;
  while (std::chrono::steady_clock::now() < give_up) {
    busy = Capinfos(small, /*deadline_seconds=*/1);
    if (busy.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) break;
  }
  release = true;
  ASSERT_EQ(busy.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << busy.error_message();
  const BackendError e = ReadBackendError(busy);
  EXPECT_EQ(e.reason, "SERVER_BUSY");
  EXPECT_EQ(e.metadata.at("max_queue"), "1");
  ASSERT_TRUE(e.retry_delay.has_value());
  EXPECT_GT(e.retry_delay->count(), 0);

  // The stalled download's own failure has a reason of its own and no retry delay.
  const grpc::Status first = stalled.get();
  EXPECT_FALSE(first.ok());
  EXPECT_EQ(ReadBackendError(first).reason, "DOWNLOAD_FAILED");
  EXPECT_FALSE(ReadBackendError(first).retry_delay.has_value());
  queued.get();
  // The worker is free again once it has drained the calls still queued (some may have timed
  // out there): a caller that retries while told SERVER_BUSY gets through.
  grpc::Status after = Capinfos(small);
  while (ReadBackendError(after).reason == "SERVER_BUSY" &&
         std::chrono::steady_clock::now() < give_up + std::chrono::seconds(20)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    after = Capinfos(small);
  }
  EXPECT_TRUE(after.ok()) << after.error_message();
}

// A response above --max-response-bytes fails on the server with its size and the limit, both
// as a unary RPC and through Analyze, instead of a client-side "message too large".
TEST_F(ErrorReasonsTest, AResponseTooLargeSaysHowLargeAndWhatToLower) {
  BackendConfig config;
  config.limits.max_response_bytes = 200;
  StartBackend(config);
  const std::string good = WriteTempFile("large.pcap", BuildPcap({{1, 0, Frame(60), 0, 0}}));
  const grpc::Status unary = Capinfos(good);
  EXPECT_EQ(unary.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  const BackendError e = ReadBackendError(unary);
  EXPECT_EQ(e.reason, "RESPONSE_TOO_LARGE");
  EXPECT_EQ(e.metadata.at("limit_bytes"), "200");
  EXPECT_GT(std::stoul(e.metadata.at("size_bytes")), 200u);
  EXPECT_EQ(e.metadata.at("max_results"), "10");  // the default page
  EXPECT_FALSE(e.retry_delay.has_value());

  grpc::ClientContext ctx;
  v1::AnalyzeRequest analyze;
  analyze.mutable_analyze_capinfos()->set_pcap_file(good);
  auto reader = stub_->Analyze(&ctx, analyze);
  v1::AnalyzeResponse event;
  while (reader->Read(&event)) EXPECT_FALSE(event.has_analyze_capinfos());
  const grpc::Status streamed = reader->Finish();
  EXPECT_EQ(ReadBackendError(streamed).reason, "RESPONSE_TOO_LARGE");
}

}  // namespace
}  // namespace mcpcap
