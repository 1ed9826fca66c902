// The backend over the real gRPC stack on a real Unix socket: results, status codes, health,
// reflection, deadlines and back-pressure.
#include "backend/service/backend_server.h"

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "mcpcap/v1/analysis.grpc.pb.h"
#include "tests/testing/capture_builder.h"

namespace mcpcap {
namespace {

using testing::BuildPcap;
using testing::Frame;
using ::testing::HasSubstr;
using testing::WriteTempFile;

class BackendServerTest : public ::testing::Test {
 protected:
  void StartBackend(BackendConfig config = {}) {
    socket_ = ::testing::TempDir() + "/mcpcapd_test_" + std::to_string(::getpid()) + ".sock";
    std::filesystem::remove(socket_);
    config.listen = "unix:" + socket_;
    auto backend = BackendServer::Start(config);
    ASSERT_TRUE(backend.ok()) << backend.status();
    backend_ = std::move(*backend);
    channel_ = grpc::CreateChannel("unix:" + socket_, grpc::InsecureChannelCredentials());
    stub_ = v1::CaptureAnalysisService::NewStub(channel_);
  }

  grpc::Status Capinfos(const std::string& path, v1::AnalyzeCapinfosResponse* out,
                        const std::string& filter = "", int deadline_ms = 10000) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(deadline_ms));
    v1::AnalyzeCapinfosRequest req;
    req.set_pcap_file(path);
    req.mutable_options()->set_bpf_filter(filter);
    return stub_->AnalyzeCapinfos(&ctx, req, out);
  }

  // A unary call on raw bytes, through the same channel.
  grpc::Status GenericCall(const std::string& method, const grpc::ByteBuffer& request,
                           grpc::ByteBuffer* response) {
    grpc::GenericStub generic(channel_);
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(2));
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
    grpc::Status status;
    generic.UnaryCall(&ctx, method, grpc::StubOptions(), &request, response, [&](grpc::Status s) {
      std::lock_guard<std::mutex> lock(mu);
      status = s;
      done = true;
      cv.notify_one();
    });
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return done; });
    return status;
  }

  std::string socket_;
  std::unique_ptr<BackendServer> backend_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::CaptureAnalysisService::Stub> stub_;
};

TEST_F(BackendServerTest, AnalyzesACaptureOverTheSocket) {
  StartBackend();
  const std::string path = WriteTempFile(
      "svc.pcap", BuildPcap({{1700000000, 0, Frame(60), 0, 0}, {1700000001, 0, Frame(70), 0, 0}}));
  v1::AnalyzeCapinfosResponse out;
  grpc::Status status = Capinfos(path, &out);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(out.packet_count(), 2u);
  EXPECT_EQ(out.data_size_bytes(), 130u);
  EXPECT_EQ(out.sha256().size(), 64u);  // sha256 by default
  EXPECT_EQ(out.capture().source(), path);
}

TEST_F(BackendServerTest, ErrorsCarryCanonicalCodesAndNameTheFile) {
  StartBackend();
  v1::AnalyzeCapinfosResponse out;
  grpc::Status missing = Capinfos("/no/such/file.pcap", &out);
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(missing.error_message(), HasSubstr("/no/such/file.pcap"));

  const std::string text = WriteTempFile("svc.txt", "not a capture at all\n");
  grpc::Status wrong = Capinfos(text, &out);
  EXPECT_EQ(wrong.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(wrong.error_message(), HasSubstr("not a pcap or pcapng file"));

  const std::string good = WriteTempFile("svc2.pcap", BuildPcap({{1, 0, Frame(60), 0, 0}}));
  grpc::Status filter = Capinfos(good, &out, "port port");
  EXPECT_EQ(filter.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(filter.error_message(), HasSubstr("bpf_filter"));

  grpc::Status empty = Capinfos("", &out);
  EXPECT_EQ(empty.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(BackendServerTest, PayloadAnalysesAnswerOverTheSocket) {
  StartBackend();
  grpc::ClientContext ctx;
  v1::DetectProtocolsRequest req;
  req.set_pcap_file(std::string(MCPCAP_EXAMPLES) + "/http_loopback.pcap");
  v1::DetectProtocolsResponse out;
  ASSERT_TRUE(stub_->DetectProtocols(&ctx, req, &out).ok());
  ASSERT_GT(out.flows_size(), 0);
  EXPECT_EQ(out.flows(0).protocol(), "http");

  grpc::ClientContext bad_ctx;
  v1::AnalyzePayloadRequest bad;
  bad.set_pcap_file(req.pcap_file());
  bad.set_protocol("gopher");
  v1::AnalyzePayloadResponse bad_out;
  grpc::Status status = stub_->AnalyzePayload(&bad_ctx, bad, &bad_out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("gopher"));
}

// The bytes the gateway's CheckHealth speaks by hand (gateway/backend/unary_call.cc): an empty
// HealthCheckRequest (service "") and a HealthCheckResponse whose field 1 is the status. The
// generated client's view, per service, is in health_test.cc.
TEST_F(BackendServerTest, HealthIsServing) {
  StartBackend();
  grpc::Slice empty("");
  grpc::ByteBuffer request(&empty, 1), response;
  grpc::Status status = GenericCall("/grpc.health.v1.Health/Check", request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  std::vector<grpc::Slice> slices;
  ASSERT_TRUE(response.Dump(&slices).ok());
  std::string bytes;
  for (const auto& slice : slices) bytes += std::string(slice.begin(), slice.end());
  EXPECT_EQ(bytes, std::string("\x08\x01", 2));  // status: SERVING
}

TEST_F(BackendServerTest, DeadlineStopsALongAnalysis) {
  StartBackend();
  // ~2M records: far more than can be read in 1 ms.
  std::vector<testing::TestPacket> many(2000000, {1, 0, std::string(1, 'x'), 0, 0});
  const std::string path = WriteTempFile("big.pcap", BuildPcap(many));
  v1::AnalyzeCapinfosResponse out;
  grpc::Status status = Capinfos(path, &out, "", 1);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED) << status.error_message();
  std::filesystem::remove(path);
  // The server is still fine afterwards.
  const std::string small = WriteTempFile("small.pcap", BuildPcap({{1, 0, Frame(60), 0, 0}}));
  EXPECT_TRUE(Capinfos(small, &out).ok());
}

TEST_F(BackendServerTest, MaxPacketsFlagCapsEveryCall) {
  BackendConfig config;
  config.limits.max_packets = 2;
  StartBackend(config);
  std::vector<testing::TestPacket> five(5, {1, 0, Frame(60), 0, 0});
  v1::AnalyzeCapinfosResponse out;
  ASSERT_TRUE(Capinfos(WriteTempFile("five.pcap", BuildPcap(five)), &out).ok());
  EXPECT_EQ(out.packet_count(), 2u);
  EXPECT_TRUE(out.capture().packet_limit_reached());
}

// Peak resident memory of this process (client and server), in MiB.
long PeakMib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6)) / 1024;
  }
  return 0;
}

// A message far past the receive limit is dropped by the transport once the gRPC memory quota
// is used up, not buffered whole before the size check; the server keeps serving.
TEST_F(BackendServerTest, AHugeMessageIsRefusedBeforeItIsBuffered) {
  BackendConfig config;
  config.grpc_memory_bytes = 16 << 20;
  StartBackend(config);
  static const std::string block(1 << 20, 'A');  // 512 references to it: no client copy
  std::vector<grpc::Slice> slices(
      512, grpc::Slice(block.data(), block.size(), grpc::Slice::STATIC_SLICE));
  grpc::ByteBuffer request(slices.data(), slices.size()), response;
  const long before = PeakMib();
  grpc::Status status =
      GenericCall("/mcpcap.v1.CaptureAnalysisService/AnalyzeCapinfos", request, &response);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED) << status.error_message();
  EXPECT_LT(PeakMib() - before, 256) << "the 512 MiB message was buffered";
  const std::string path =
      WriteTempFile("after_huge.pcap", BuildPcap({{1700000000, 0, Frame(60), 0, 0}}));
  v1::AnalyzeCapinfosResponse out;
  EXPECT_TRUE(Capinfos(path, &out).ok());
}

}  // namespace
}  // namespace mcpcap
