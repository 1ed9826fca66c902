// CaptureAnalysisService.Analyze over the real gRPC stack on a real Unix socket: progress events
// while a capture of a few MB is read (monotone, ending at the file's size), a final typed response
// equal to the unary RPC's, the same errors as the unary RPCs, and cancellation that frees the
// worker.
#include <google/protobuf/util/message_differencer.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <vector>

#include "backend/service/backend_server.h"
#include "gateway/backend/error_details.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "mcpcap/proto/oneof_field.h"
#include "mcpcap/v1/analysis.grpc.pb.h"
#include "tests/service/backend_on_socket.h"
#include "tests/testing/capture_builder.h"

namespace mcpcap {
namespace {

struct StreamResult {
  std::vector<v1::AnalyzeProgress> progress;
  std::string response;  // serialized
  const google::protobuf::Descriptor* response_type = nullptr;
  int responses = 0;
  grpc::Status status;
};

class AnalyzeStreamTest : public ::testing::Test {
 protected:
  void StartBackend(BackendConfig config = {}) {
    auto started = testing::StartBackendOnSocket("stream", config);
    ASSERT_TRUE(started.ok()) << started.status();
    backend_ = std::move(started->backend);
    channel_ = started->channel;
    stub_ = v1::CaptureAnalysisService::NewStub(channel_);
  }

  // Runs the analysis whose request `request` is through Analyze; `on_progress` may cancel `ctx`.
  StreamResult Stream(const google::protobuf::Message& request,
                      grpc::ClientContext* ctx = nullptr) {
    v1::AnalyzeRequest analyze;
    const google::protobuf::FieldDescriptor* field = proto::OneofFieldOfType(
        v1::AnalyzeRequest::descriptor()->FindOneofByName("analysis"), request.GetDescriptor());
    EXPECT_NE(field, nullptr) << request.GetDescriptor()->full_name();
    if (field != nullptr)
      analyze.GetReflection()->MutableMessage(&analyze, field)->CopyFrom(request);
    return StreamRaw(analyze, ctx);
  }

  StreamResult StreamRaw(const v1::AnalyzeRequest& analyze, grpc::ClientContext* ctx = nullptr) {
    grpc::ClientContext own;
    if (ctx == nullptr) ctx = &own;
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    StreamResult result;
    auto reader = stub_->Analyze(ctx, analyze);
    v1::AnalyzeResponse event;
    while (reader->Read(&event)) {
      if (event.has_progress()) {
        result.progress.push_back(event.progress());
        if (cancel_after_first_progress_) ctx->TryCancel();
        continue;
      }
      const google::protobuf::FieldDescriptor* field =
          event.GetReflection()->GetOneofFieldDescriptor(
              event, v1::AnalyzeResponse::descriptor()->FindOneofByName("event"));
      if (field == nullptr) {
        ADD_FAILURE() << "an event with neither progress nor a response";
        continue;
      }
      result.response = event.GetReflection()->GetMessage(event, field).SerializeAsString();
      result.response_type = field->message_type();
      ++result.responses;
    }
    result.status = reader->Finish();
    return result;
  }

  // A capture of `records` frames of `frame_size` bytes, in the test's temp dir: BuildPcap's
  // header, then the records appended directly (millions of TestPackets would take GBs).
  static std::string WriteCapture(const std::string& name, size_t records, size_t frame_size) {
    std::string bytes = testing::BuildPcap({});
    const std::string record =
        testing::BuildPcap({{1700000000, 0, testing::Frame(frame_size), 0, 0}})
            .substr(bytes.size());
    bytes.reserve(bytes.size() + records * record.size());
    for (size_t i = 0; i < records; ++i) bytes += record;
    return testing::WriteTempFile(name, bytes);
  }

  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<BackendServer> backend_;
  std::unique_ptr<v1::CaptureAnalysisService::Stub> stub_;
  bool cancel_after_first_progress_ = false;
};

v1::AnalyzeCapinfosRequest CapinfosRequest(const std::string& path) {
  v1::AnalyzeCapinfosRequest request;
  request.set_pcap_file(path);
  return request;
}

TEST_F(AnalyzeStreamTest, ProgressGrowsToTheFileSizeAndTheResponseIsTheUnaryOne) {
  BackendConfig config;
  config.limits.progress_interval = std::chrono::milliseconds(0);  // the 1% rule alone
  StartBackend(config);
  // 46 MB: long enough to read that reports do not all merge while one is being written.
  const std::string path = WriteCapture("progress.pcap", 400000, 100);
  const uint64_t size = std::filesystem::file_size(path);

  // The streams read the capture (reporting progress) before the unary calls, which then
  // answer from the result cache what the streams computed.
  v1::AnalyzeCapinfosResponse unary_capinfos;
  v1::AnalyzeDnsPacketsResponse unary_dns;
  v1::AnalyzeDnsPacketsRequest dns_request;
  dns_request.set_pcap_file(path);
  const auto unary = [&](const std::string& name) {
    grpc::ClientContext ctx;
    grpc::Status status = name == "AnalyzeCapinfos"
                              ? stub_->AnalyzeCapinfos(&ctx, CapinfosRequest(path), &unary_capinfos)
                              : stub_->AnalyzeDnsPackets(&ctx, dns_request, &unary_dns);
    EXPECT_TRUE(status.ok()) << status.error_message();
  };

  struct Case {
    std::string name;
    const google::protobuf::Message* request;
    const google::protobuf::Message* unary;
  };
  for (const Case& c : {Case{"AnalyzeCapinfos", nullptr, &unary_capinfos},
                        Case{"AnalyzeDnsPackets", &dns_request, &unary_dns}}) {
    SCOPED_TRACE(c.name);
    const v1::AnalyzeCapinfosRequest capinfos_request = CapinfosRequest(path);
    StreamResult r = Stream(c.request ? *c.request : capinfos_request);
    ASSERT_TRUE(r.status.ok()) << r.status.error_message();
    // The scan polls every 1024 records; polls that advanced 1% (460 kB) are sent, or merged
    // into the next one while a write is in flight (how many merge depends on the load).
    EXPECT_GE(r.progress.size(), 3u);
    uint64_t last_bytes = 0, last_packets = 0;
    for (const v1::AnalyzeProgress& p : r.progress) {
      EXPECT_EQ(p.stage(), v1::ANALYZE_STAGE_READ);
      EXPECT_EQ(p.total_bytes(), size);
      EXPECT_GT(p.bytes_done(), last_bytes);
      EXPECT_GE(p.packets_read(), last_packets);
      last_bytes = p.bytes_done();
      last_packets = p.packets_read();
    }
    EXPECT_EQ(last_bytes, size);  // the last report is where the reading ended: the end
    EXPECT_EQ(last_packets, 400000u);
    ASSERT_EQ(r.responses, 1);
    unary(c.name);
    EXPECT_EQ(r.response_type, c.unary->GetDescriptor());  // typed: the analysis' own response
    std::unique_ptr<google::protobuf::Message> streamed(c.unary->New());
    ASSERT_TRUE(streamed->ParseFromString(r.response));
    google::protobuf::util::MessageDifferencer same;
    // The one field that differs from call to call: when the analysis ran.
    if (const auto* when = streamed->GetDescriptor()->FindFieldByName("analysis_timestamp")) {
      same.IgnoreField(when);
    }
    EXPECT_TRUE(same.Compare(*streamed, *c.unary)) << streamed->ShortDebugString().substr(0, 500);
  }
  std::filesystem::remove(path);
}

TEST_F(AnalyzeStreamTest, ErrorsAreTheUnaryOnes) {
  StartBackend();
  StreamResult missing = Stream(CapinfosRequest("/no/such/file.pcap"));
  EXPECT_EQ(missing.status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(gateway::ReadBackendError(missing.status).reason, "CAPTURE_NOT_FOUND");
  EXPECT_EQ(gateway::ReadBackendError(missing.status).metadata.at("pcap_file"),
            "/no/such/file.pcap");
  EXPECT_EQ(missing.responses, 0);

  // Every tool RPC answers the same code both ways (an empty request: no pcap_file), so
  // Analyze's table follows the unary RPCs; its request and response travel in oneof fields
  // named after the tool.
  const auto* service =
      v1::AnalyzeRequest::descriptor()->file()->FindServiceByName("CaptureAnalysisService");
  int tools = 0;
  for (int i = 0; i < service->method_count(); ++i) {
    const auto* method = service->method(i);
    if (!method->options().HasExtension(v1::tool)) continue;
    ++tools;
    SCOPED_TRACE(method->name());
    grpc::GenericStub generic(channel_);
    grpc::ClientContext ctx;
    grpc::ByteBuffer request, response;
    grpc::Slice empty("");
    request = grpc::ByteBuffer(&empty, 1);
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
    grpc::Status unary;
    generic.UnaryCall(&ctx, "/mcpcap.v1.CaptureAnalysisService/" + method->name(),
                      grpc::StubOptions(), &request, &response, [&](grpc::Status s) {
                        std::lock_guard<std::mutex> lock(mu);
                        unary = s;
                        done = true;
                        cv.notify_one();
                      });
    {
      std::unique_lock<std::mutex> lock(mu);
      cv.wait(lock, [&] { return done; });
    }
    const std::string tool = method->options().GetExtension(v1::tool).name();
    const auto* in = proto::OneofFieldOfType(
        v1::AnalyzeRequest::descriptor()->FindOneofByName("analysis"), method->input_type());
    const auto* out = proto::OneofFieldOfType(
        v1::AnalyzeResponse::descriptor()->FindOneofByName("event"), method->output_type());
    ASSERT_NE(in, nullptr);
    ASSERT_NE(out, nullptr);
    EXPECT_EQ(in->name(), tool);
    EXPECT_EQ(out->name(), tool);
    std::unique_ptr<google::protobuf::Message> nothing(
        google::protobuf::MessageFactory::generated_factory()
            ->GetPrototype(method->input_type())
            ->New());
    StreamResult streamed = Stream(*nothing);
    EXPECT_EQ(streamed.status.error_code(), unary.error_code());
    EXPECT_EQ(streamed.status.error_message(), unary.error_message());
    EXPECT_EQ(streamed.status.error_details(), unary.error_details());
  }
  EXPECT_GE(tools, 12);

  StreamResult none = StreamRaw(v1::AnalyzeRequest());
  EXPECT_EQ(none.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(gateway::ReadBackendError(none.status).reason, "INVALID_ARGUMENT");
  ASSERT_EQ(gateway::ReadBackendError(none.status).field_violations.size(), 1u);
  EXPECT_EQ(gateway::ReadBackendError(none.status).field_violations[0].first, "analysis");
}

TEST_F(AnalyzeStreamTest, CancellingTheStreamFreesTheWorker) {
  BackendConfig config;
  config.workers = 1;  // the call after the cancelled one runs only once the worker is free
  config.limits.progress_interval = std::chrono::milliseconds(0);
  StartBackend(config);
  // A pcap header, then a 4 TiB hole that reads as empty records: reading it whole would take
  // far longer than the test's CTest timeout, so the next call ending at all is the event that
  // proves the cancellation freed the worker (no clock is read).
  const std::string endless = ::testing::TempDir() + "/endless_" + std::to_string(::getpid());
  {
    std::ofstream out(endless, std::ios::binary);
    out << testing::BuildPcap({});
  }
  std::filesystem::resize_file(endless, uint64_t{4} << 40);
  v1::AnalyzeCapinfosRequest request = CapinfosRequest(endless);
  request.set_hashes(v1::CAPINFOS_HASHES_NONE);
  const std::string small =
      testing::WriteTempFile("after.pcap", testing::BuildPcap({{1, 0, testing::Frame(60), 0, 0}}));

  cancel_after_first_progress_ = true;
  grpc::ClientContext ctx;
  StreamResult cancelled = Stream(request, &ctx);
  cancel_after_first_progress_ = false;
  EXPECT_EQ(cancelled.status.error_code(), grpc::StatusCode::CANCELLED);
  EXPECT_EQ(cancelled.responses, 0);
  ASSERT_FALSE(cancelled.progress.empty());
  EXPECT_LT(cancelled.progress.front().bytes_done(), cancelled.progress.front().total_bytes());

  v1::AnalyzeCapinfosResponse after;
  grpc::ClientContext next;
  ASSERT_TRUE(stub_->AnalyzeCapinfos(&next, CapinfosRequest(small), &after).ok());
  EXPECT_EQ(after.packet_count(), 1u);
  std::filesystem::remove(endless);
  std::filesystem::remove(small);
}

}  // namespace
}  // namespace mcpcap
