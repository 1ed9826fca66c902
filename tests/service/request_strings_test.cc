// Strings with NUL bytes are refused where requests enter, for every RPC and every string field
// (paths, filters, URLs, prompt arguments, upload names), over the real gRPC stack: a C API
// would otherwise cut "inside.pcap\0/etc/passwd" and read another file than the one named.
#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <filesystem>

#include "backend/service/backend_server.h"
#include "gateway/backend/error_details.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "mcpcap/v1/analysis.grpc.pb.h"
#include "mcpcap/v1/prompts.grpc.pb.h"
#include "mcpcap/v1/upload.grpc.pb.h"
#include "tests/service/backend_on_socket.h"
#include "tests/testing/capture_builder.h"

namespace mcpcap {
namespace {

using ::testing::HasSubstr;
using namespace std::string_literals;

class RequestStringsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    BackendConfig config;
    auto started = testing::StartBackendOnSocket("nul", config);
    ASSERT_TRUE(started.ok()) << started.status();
    backend_ = std::move(started->backend);
    channel_ = started->channel;
    auto channel = channel_;
    analyses_ = v1::CaptureAnalysisService::NewStub(channel);
    prompts_ = v1::PromptService::NewStub(channel);
    uploads_ = v1::CaptureUploadService::NewStub(channel);
    capture_ = testing::WriteTempFile(
        "inside.pcap", testing::BuildPcap({{1700000000, 0, testing::Frame(60), 0, 0}}));
  }

  grpc::Status Capinfos(const v1::AnalyzeCapinfosRequest& request) {
    grpc::ClientContext ctx;
    v1::AnalyzeCapinfosResponse out;
    return analyses_->AnalyzeCapinfos(&ctx, request, &out);
  }

  grpc::Status Analyze(const v1::AnalyzeRequest& request) {
    grpc::ClientContext ctx;
    auto reader = analyses_->Analyze(&ctx, request);
    v1::AnalyzeResponse event;
    while (reader->Read(&event)) {
    }
    return reader->Finish();
  }

  std::shared_ptr<grpc::Channel> channel_;
  std::string capture_;
  std::unique_ptr<BackendServer> backend_;
  std::unique_ptr<v1::CaptureAnalysisService::Stub> analyses_;
  std::unique_ptr<v1::PromptService::Stub> prompts_;
  std::unique_ptr<v1::CaptureUploadService::Stub> uploads_;
};

void ExpectNulRefused(const grpc::Status& status, const std::string& field) {
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  const gateway::BackendError error = gateway::ReadBackendError(status);
  EXPECT_EQ(error.reason, "INVALID_ARGUMENT");
  ASSERT_EQ(error.field_violations.size(), 1u);
  EXPECT_EQ(error.field_violations[0].first, field);
  EXPECT_THAT(status.error_message(), HasSubstr(field + " contains a NUL byte"));
}

TEST_F(RequestStringsTest, APathWithNulIsRefusedNotCut) {
  v1::AnalyzeCapinfosRequest request;
  request.set_pcap_file(capture_);
  ASSERT_TRUE(Capinfos(request).ok());  // the file itself is fine
  request.set_pcap_file(capture_ + "\0/etc/passwd"s);
  ExpectNulRefused(Capinfos(request), "pcap_file");
  request.set_pcap_file("https://example.com/a.pcap\0.html"s);
  ExpectNulRefused(Capinfos(request), "pcap_file");
}

TEST_F(RequestStringsTest, NestedOptionsAreChecked) {
  v1::AnalyzeCapinfosRequest request;
  request.set_pcap_file(capture_);
  request.mutable_options()->set_bpf_filter("udp\0 or tcp"s);
  ExpectNulRefused(Capinfos(request), "options.bpf_filter");
}

TEST_F(RequestStringsTest, TheAnalyzeStreamChecksTheRequestItCarries) {
  v1::AnalyzeDnsPacketsRequest inner;
  inner.set_pcap_file(capture_ + "\0x"s);
  v1::AnalyzeRequest request;
  *request.mutable_analyze_dns_packets() = inner;
  ExpectNulRefused(Analyze(request), "analyze_dns_packets.pcap_file");
}

TEST_F(RequestStringsTest, PromptArgumentsAreChecked) {
  grpc::ClientContext ctx;
  v1::GetPromptRequest request;
  request.set_name("any_prompt");
  (*request.mutable_arguments())["focus"] = "dns\0"s;
  v1::GetPromptResponse out;
  ExpectNulRefused(prompts_->GetPrompt(&ctx, request, &out), "arguments.value");
}

TEST_F(RequestStringsTest, UploadNamesAreChecked) {
  grpc::ClientContext ctx;
  v1::UploadCaptureResponse out;
  auto writer = uploads_->UploadCapture(&ctx, &out);
  v1::UploadCaptureRequest chunk;
  chunk.set_name("incident.pcap\0.sh"s);
  chunk.set_data("x");
  writer->Write(chunk);
  writer->WritesDone();
  ExpectNulRefused(writer->Finish(), "name");
  EXPECT_EQ(backend_->locator().uploads()->held(), 0u);
}

}  // namespace
}  // namespace mcpcap
