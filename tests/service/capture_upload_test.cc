// CaptureUploadService over a real socket: upload a capture in chunks, analyse it as the capture
// resource it becomes, the limits on size, and unfinished uploads (their own cap, slots taken at
// the first byte, idle and total deadlines).
#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "backend/service/backend_server.h"
#include "gateway/backend/error_details.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "mcpcap/v1/analysis.grpc.pb.h"
#include "mcpcap/v1/upload.grpc.pb.h"
#include "tests/service/backend_on_socket.h"
#include "tests/testing/capture_builder.h"

namespace mcpcap {
namespace {

using gateway::ReadBackendError;
using ::testing::_;
using ::testing::ElementsAre;
using ::testing::Pair;
using ::testing::StartsWith;

// The server handles streams on its own threads: wait (a minute at most) until `done` holds.
template <typename Condition>
bool Eventually(Condition done) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::minutes(1);
  while (!done()) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

// An upload stream the test keeps open.
struct OpenUpload {
  grpc::ClientContext ctx;
  v1::UploadCaptureResponse out;
  std::unique_ptr<grpc::ClientWriter<v1::UploadCaptureRequest>> writer;
};

class CaptureUploadTest : public ::testing::Test {
 protected:
  void Start(BackendConfig config = {}) {
    auto started = testing::StartBackendOnSocket("upload", config);
    ASSERT_TRUE(started.ok()) << started.status();
    backend_ = std::move(started->backend);
    channel_ = started->channel;
    auto channel = channel_;
    uploads_ = v1::CaptureUploadService::NewStub(channel);
    analyses_ = v1::CaptureAnalysisService::NewStub(channel);
  }

  grpc::Status Upload(const std::string& bytes, const std::string& name,
                      v1::UploadCaptureResponse* out, size_t chunk = 1000) {
    grpc::ClientContext ctx;
    auto writer = uploads_->UploadCapture(&ctx, out);
    for (size_t at = 0; at < bytes.size(); at += chunk) {
      v1::UploadCaptureRequest c;
      c.set_data(bytes.substr(at, chunk));
      if (at == 0) c.set_name(name);
      if (!writer->Write(c)) break;  // the server finished early (an error)
    }
    writer->WritesDone();
    return writer->Finish();
  }

  std::unique_ptr<OpenUpload> Open() {
    auto open = std::make_unique<OpenUpload>();
    open->writer = uploads_->UploadCapture(&open->ctx, &open->out);
    return open;
  }

  UploadStore& store() { return *backend_->locator().uploads(); }

  grpc::Status Capinfos(const std::string& capture, v1::AnalyzeCapinfosResponse* out) {
    grpc::ClientContext ctx;
    v1::AnalyzeCapinfosRequest req;
    req.set_capture(capture);
    return analyses_->AnalyzeCapinfos(&ctx, req, out);
  }

  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<BackendServer> backend_;
  std::unique_ptr<v1::CaptureUploadService::Stub> uploads_;
  std::unique_ptr<v1::CaptureAnalysisService::Stub> analyses_;
};

TEST_F(CaptureUploadTest, UploadedCapturesAreAnalysedAsCaptures) {
  Start();
  std::vector<testing::TestPacket> packets(50, {1700000000, 0, testing::Frame(100), 0, 0});
  const std::string pcap = testing::BuildPcap(packets);
  v1::UploadCaptureResponse uploaded;
  grpc::Status status = Upload(pcap, "incident.pcap", &uploaded);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const v1::Capture& capture = uploaded.capture();
  EXPECT_THAT(capture.name(), StartsWith("captures/"));
  EXPECT_EQ(capture.source(), "upload:incident.pcap");
  EXPECT_EQ(capture.size_bytes(), pcap.size());
  EXPECT_GT(capture.expire_time().seconds(), capture.create_time().seconds());

  for (int round = 0; round < 2; ++round) {  // usable more than once
    v1::AnalyzeCapinfosResponse out;
    status = Capinfos(capture.name(), &out);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(out.packet_count(), 50u);
    EXPECT_EQ(out.capture().source(), capture.name());
  }
  // Nothing named is ever left in the private directory.
  const std::string dir = backend_->locator().temp_dir().path();
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), {}), 0);
  backend_.reset();
  EXPECT_FALSE(std::filesystem::exists(dir));
}

TEST_F(CaptureUploadTest, SizeCapAndEmptyUploads) {
  BackendConfig config;
  config.sources.uploads.max_bytes = 10000;
  Start(config);
  v1::UploadCaptureResponse uploaded;
  grpc::Status big = Upload(std::string(20000, 'x'), "", &uploaded);
  EXPECT_EQ(big.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(ReadBackendError(big).reason, "UPLOAD_TOO_LARGE");
  EXPECT_EQ(ReadBackendError(big).metadata.at("limit_bytes"), "10000");
  EXPECT_GT(std::stoul(ReadBackendError(big).metadata.at("size_bytes")), 10000u);
  grpc::Status empty = Upload("", "", &uploaded);
  EXPECT_EQ(empty.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ReadBackendError(empty).reason, "INVALID_ARGUMENT");
  EXPECT_THAT(ReadBackendError(empty).field_violations, ElementsAre(Pair("data", _)));
}

TEST_F(CaptureUploadTest, OpenStreamsWithoutBytesTakeNoSlot) {
  BackendConfig config;
  config.sources.uploads.max_count = 2;
  config.sources.uploads.max_unfinished = 2;
  Start(config);
  std::vector<std::unique_ptr<OpenUpload>> idle;
  for (int i = 0; i < 10; ++i) idle.push_back(Open());
  ASSERT_TRUE(Eventually([&] { return backend_->uploads().open_streams() == 10; }));
  EXPECT_EQ(store().unfinished(), 0u);
  v1::UploadCaptureResponse uploaded;
  grpc::Status status =
      Upload(testing::BuildPcap({{1700000000, 0, testing::Frame(60), 0, 0}}), "", &uploaded);
  EXPECT_TRUE(status.ok()) << status.error_message();
  for (auto& open : idle) open->ctx.TryCancel();
}

TEST_F(CaptureUploadTest, UnfinishedUploadsHaveTheirOwnCap) {
  BackendConfig config;
  config.sources.uploads.max_unfinished = 2;
  Start(config);
  std::vector<std::unique_ptr<OpenUpload>> started;
  for (int i = 0; i < 2; ++i) {
    started.push_back(Open());
    v1::UploadCaptureRequest chunk;
    chunk.set_data("x");
    ASSERT_TRUE(started.back()->writer->Write(chunk));
  }
  ASSERT_TRUE(Eventually([&] { return store().unfinished() == 2; }));
  v1::UploadCaptureResponse uploaded;
  const std::string pcap = testing::BuildPcap({{1700000000, 0, testing::Frame(60), 0, 0}});
  grpc::Status refused = Upload(pcap, "", &uploaded);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(ReadBackendError(refused).reason, "UPLOAD_STORE_FULL");
  EXPECT_EQ(ReadBackendError(refused).metadata.at("flag"), "--max-unfinished-uploads");
  EXPECT_EQ(ReadBackendError(refused).metadata.at("limit"), "2");
  // One of them finishing (refused: "x" is not a capture) frees its slot for the next.
  started[0]->writer->WritesDone();
  EXPECT_EQ(started[0]->writer->Finish().error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  ASSERT_TRUE(Eventually([&] { return store().unfinished() == 1; }));
  grpc::Status accepted = Upload(pcap, "", &uploaded);
  EXPECT_TRUE(accepted.ok()) << accepted.error_message();
  started[1]->ctx.TryCancel();
}

TEST_F(CaptureUploadTest, AnUploadThatGoesQuietIsDropped) {
  BackendConfig config;
  config.sources.uploads.idle_timeout = std::chrono::milliseconds(200);
  Start(config);
  auto open = Open();
  v1::UploadCaptureRequest chunk;
  chunk.set_data("x");
  ASSERT_TRUE(open->writer->Write(chunk));
  grpc::Status status = open->writer->Finish();  // never WritesDone: the server ends it
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_EQ(ReadBackendError(status).reason, "UPLOAD_TIMEOUT");
  EXPECT_EQ(ReadBackendError(status).metadata.at("flag"), "--upload-idle-timeout-seconds");
  EXPECT_TRUE(Eventually([&] { return store().unfinished() == 0; }));
  EXPECT_TRUE(Eventually([&] { return backend_->uploads().open_streams() == 0; }));
  auto silent = Open();  // a stream that never sends a byte goes the same way
  EXPECT_EQ(silent->writer->Finish().error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
}

TEST_F(CaptureUploadTest, AnUploadThatNeverEndsIsDropped) {
  BackendConfig config;
  config.sources.uploads.total_timeout = std::chrono::milliseconds(300);
  Start(config);
  auto open = Open();
  v1::UploadCaptureRequest chunk;
  chunk.set_data("x");
  ASSERT_TRUE(open->writer->Write(chunk));
  grpc::Status status = open->writer->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_EQ(ReadBackendError(status).reason, "UPLOAD_TIMEOUT");
  EXPECT_EQ(ReadBackendError(status).metadata.at("flag"), "--upload-timeout-seconds");
  EXPECT_TRUE(Eventually([&] { return store().unfinished() == 0; }));
}

TEST_F(CaptureUploadTest, UploadsAreNotAnalysisTools) {
  // The gateway turns CaptureAnalysisService methods into tools; UploadCapture lives elsewhere.
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  const auto* analysis = pool->FindServiceByName("mcpcap.v1.CaptureAnalysisService");
  const auto* upload = pool->FindServiceByName("mcpcap.v1.CaptureUploadService");
  ASSERT_NE(analysis, nullptr);
  ASSERT_NE(upload, nullptr);
  EXPECT_EQ(analysis->FindMethodByName("UploadCapture"), nullptr);
  EXPECT_NE(upload->FindMethodByName("UploadCapture"), nullptr);
}

}  // namespace
}  // namespace mcpcap
