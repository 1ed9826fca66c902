// CaptureService over a real socket: a capture is checked once, named by its content, analysed
// by that name any number of times, and forgotten on Delete, at its expiry or when its file
// changes; uploads become such captures.
#include <grpcpp/grpcpp.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <string>

#include "gateway/backend/error_details.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "mcpcap/v1/analysis.grpc.pb.h"
#include "mcpcap/v1/captures.grpc.pb.h"
#include "mcpcap/v1/upload.grpc.pb.h"
#include "tests/service/backend_on_socket.h"
#include "tests/testing/capture_builder.h"

namespace mcpcap {
namespace {

using gateway::ReadBackendError;
using ::testing::MatchesRegex;

// sha256sum's answer: an oracle that is not our own hashing code.
std::string Sha256Sum(const std::string& path) {
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(("sha256sum '" + path + "'").c_str(), "r"),
                                             pclose);
  char hex[65] = {};
  if (pipe == nullptr || fread(hex, 1, 64, pipe.get()) != 64) return "";
  return std::string(hex, 64);
}

class CaptureServiceTest : public ::testing::Test {
 protected:
  void Start(BackendConfig config = {}) {
    auto started = testing::StartBackendOnSocket("captures", config);
    ASSERT_TRUE(started.ok()) << started.status();
    backend_ = std::move(started->backend);
    captures_ = v1::CaptureService::NewStub(started->channel);
    analyses_ = v1::CaptureAnalysisService::NewStub(started->channel);
    uploads_ = v1::CaptureUploadService::NewStub(started->channel);
  }

  grpc::Status CreateFromPath(const std::string& path, v1::Capture* out) {
    grpc::ClientContext ctx;
    v1::CreateCaptureRequest req;
    req.set_path(path);
    v1::CreateCaptureResponse resp;
    grpc::Status status = captures_->CreateCapture(&ctx, req, &resp);
    *out = resp.capture();
    return status;
  }

  grpc::Status Get(const std::string& name, v1::Capture* out) {
    grpc::ClientContext ctx;
    v1::GetCaptureRequest req;
    req.set_name(name);
    v1::GetCaptureResponse resp;
    grpc::Status status = captures_->GetCapture(&ctx, req, &resp);
    *out = resp.capture();
    return status;
  }

  grpc::Status Capinfos(const std::string& capture, v1::AnalyzeCapinfosResponse* out) {
    grpc::ClientContext ctx;
    v1::AnalyzeCapinfosRequest req;
    req.set_capture(capture);
    return analyses_->AnalyzeCapinfos(&ctx, req, out);
  }

  std::unique_ptr<BackendServer> backend_;
  std::unique_ptr<v1::CaptureService::Stub> captures_;
  std::unique_ptr<v1::CaptureAnalysisService::Stub> analyses_;
  std::unique_ptr<v1::CaptureUploadService::Stub> uploads_;
};

std::string ThirtyPackets() {
  return testing::BuildPcap(
      std::vector<testing::TestPacket>(30, {1700000000, 0, testing::Frame(80), 0, 0}));
}

TEST_F(CaptureServiceTest, ACaptureIsNamedByItsContentAndAnalysedByThatName) {
  Start();
  const std::string path = testing::WriteTempFile("resource.pcap", ThirtyPackets());
  v1::Capture created;
  grpc::Status status = CreateFromPath(path, &created);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const std::string sha256 = Sha256Sum(path);
  ASSERT_EQ(sha256.size(), 64u);
  EXPECT_EQ(created.sha256(), sha256);
  EXPECT_EQ(created.name(), "captures/" + sha256.substr(0, 32));
  EXPECT_EQ(created.source(), path);
  EXPECT_EQ(created.size_bytes(), ThirtyPackets().size());
  EXPECT_EQ(created.format(), v1::CAPTURE_FORMAT_PCAP);
  EXPECT_FALSE(created.gzip());
  EXPECT_GT(created.expire_time().seconds(), created.create_time().seconds());

  for (int round = 0; round < 2; ++round) {  // usable any number of times
    v1::AnalyzeCapinfosResponse out;
    status = Capinfos(created.name(), &out);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(out.packet_count(), 30u);
    EXPECT_EQ(out.capture().source(), created.name());
  }
  // The same bytes from another path: the same capture, its life extended.
  const std::string copy = testing::WriteTempFile("resource_copy.pcap", ThirtyPackets());
  v1::Capture again;
  ASSERT_TRUE(CreateFromPath(copy, &again).ok());
  EXPECT_EQ(again.name(), created.name());
  EXPECT_GE(again.expire_time().seconds(), created.expire_time().seconds());
  v1::Capture got;
  ASSERT_TRUE(Get(created.name(), &got).ok());
  EXPECT_EQ(got.sha256(), sha256);

  grpc::ClientContext ctx;
  v1::DeleteCaptureRequest del;
  del.set_name(created.name());
  v1::DeleteCaptureResponse deleted;
  ASSERT_TRUE(captures_->DeleteCapture(&ctx, del, &deleted).ok());
  grpc::Status gone = Get(created.name(), &got);
  EXPECT_EQ(gone.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(ReadBackendError(gone).reason, "CAPTURE_RESOURCE_NOT_FOUND");
  v1::AnalyzeCapinfosResponse out;
  grpc::Status analysed = Capinfos(created.name(), &out);
  EXPECT_EQ(analysed.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(ReadBackendError(analysed).metadata.at("capture"), created.name());
}

TEST_F(CaptureServiceTest, OnlyCapturesBecomeCapturesAndNamesAreChecked) {
  Start();
  v1::Capture created;
  grpc::Status text =
      CreateFromPath(testing::WriteTempFile("notes.txt", "hello, not a pcap\n"), &created);
  EXPECT_EQ(text.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ReadBackendError(text).reason, "NOT_A_CAPTURE_FILE");
  grpc::Status missing = CreateFromPath("/nonexistent/x.pcap", &created);
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::NOT_FOUND);

  grpc::ClientContext ctx;
  v1::CreateCaptureResponse resp;
  grpc::Status none = captures_->CreateCapture(&ctx, v1::CreateCaptureRequest(), &resp);
  EXPECT_EQ(none.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ReadBackendError(none).metadata.at("field"), "source");

  v1::Capture got;
  grpc::Status malformed = Get("captures/../../etc/passwd", &got);
  EXPECT_EQ(malformed.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ReadBackendError(malformed).metadata.at("field"), "name");
  v1::AnalyzeCapinfosResponse out;
  grpc::Status unknown = Capinfos("captures/00000000000000000000000000000000", &out);
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(ReadBackendError(unknown).reason, "CAPTURE_RESOURCE_NOT_FOUND");
}

TEST_F(CaptureServiceTest, AFileThatChangesIsNoLongerTheCapture) {
  Start();
  const std::string path = testing::WriteTempFile("growing.pcap", ThirtyPackets());
  v1::Capture created;
  ASSERT_TRUE(CreateFromPath(path, &created).ok());
  std::ofstream(path, std::ios::app | std::ios::binary) << std::string(100, '\0');
  v1::AnalyzeCapinfosResponse out;
  grpc::Status changed = Capinfos(created.name(), &out);
  EXPECT_EQ(changed.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ReadBackendError(changed).reason, "CAPTURE_CHANGED");
}

TEST_F(CaptureServiceTest, TheStoreIsBoundedInCount) {
  BackendConfig config;
  config.sources.captures.max_count = 1;
  Start(config);
  v1::Capture first, second;
  ASSERT_TRUE(CreateFromPath(testing::WriteTempFile("one.pcap", ThirtyPackets()), &first).ok());
  const std::string other = testing::BuildPcap({{1700000001, 0, testing::Frame(60), 0, 0}});
  grpc::Status full = CreateFromPath(testing::WriteTempFile("two.pcap", other), &second);
  EXPECT_EQ(full.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(ReadBackendError(full).reason, "CAPTURE_STORE_FULL");
  EXPECT_EQ(ReadBackendError(full).metadata.at("limit"), "1");
}

TEST_F(CaptureServiceTest, UploadsBecomeCapturesAndTextIsRefusedAtUpload) {
  Start();
  const std::string pcap = ThirtyPackets();
  auto upload = [&](const std::string& bytes, v1::UploadCaptureResponse* out) {
    grpc::ClientContext ctx;
    auto writer = uploads_->UploadCapture(&ctx, out);
    for (size_t at = 0; at < bytes.size(); at += 1024) {
      v1::UploadCaptureRequest chunk;
      chunk.set_data(bytes.substr(at, 1024));
      if (at == 0) chunk.set_name("incident.pcap");
      if (!writer->Write(chunk)) break;
    }
    writer->WritesDone();
    return writer->Finish();
  };
  v1::UploadCaptureResponse uploaded;
  grpc::Status status = upload(pcap, &uploaded);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_THAT(uploaded.capture().name(), MatchesRegex("captures/[0-9a-f]{32}"));
  EXPECT_EQ(uploaded.capture().source(), "upload:incident.pcap");
  EXPECT_EQ(uploaded.capture().size_bytes(), pcap.size());
  v1::AnalyzeCapinfosResponse out;
  status = Capinfos(uploaded.capture().name(), &out);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(out.packet_count(), 30u);

  grpc::Status text = upload(std::string(5000, 'x'), &uploaded);
  EXPECT_EQ(text.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ReadBackendError(text).reason, "NOT_A_CAPTURE_FILE");
}

}  // namespace
}  // namespace mcpcap
