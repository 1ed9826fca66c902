// The result cache through the real gRPC stack: a repeated call and the next page answer from
// the held result, a rewritten file is read again, concurrent calls on one capture read it once,
// and GetServerStatus reports it all.
#include <google/protobuf/util/message_differencer.h>
#include <grpcpp/grpcpp.h>

#include <filesystem>
#include <future>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "mcpcap/v1/analysis.grpc.pb.h"
#include "mcpcap/v1/status.grpc.pb.h"
#include "tests/service/backend_on_socket.h"
#include "tools/gencap/generate.h"

namespace mcpcap {
namespace {

namespace fs = std::filesystem;
using google::protobuf::util::MessageDifferencer;

const std::string kDns = std::string(MCPCAP_EXAMPLES) + "/dns_loopback.pcap";
const std::string kPing = std::string(MCPCAP_EXAMPLES) + "/ping_loopback.pcapng";

class ResultCacheServiceTest : public ::testing::Test {
 protected:
  void Start(BackendConfig config = {}) {
    auto started = testing::StartBackendOnSocket("result_cache", config);
    ASSERT_TRUE(started.ok()) << started.status();
    backend_ = std::move(started->backend);
    analyses_ = v1::CaptureAnalysisService::NewStub(started->channel);
    status_ = v1::ServerStatusService::NewStub(started->channel);
  }

  v1::AnalyzeDnsPacketsResponse Dns(const v1::AnalyzeDnsPacketsRequest& req) {
    grpc::ClientContext ctx;
    v1::AnalyzeDnsPacketsResponse out;
    grpc::Status status = analyses_->AnalyzeDnsPackets(&ctx, req, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out;
  }

  v1::ResultCacheStatus Cache() {
    grpc::ClientContext ctx;
    v1::GetServerStatusResponse out;
    EXPECT_TRUE(status_->GetServerStatus(&ctx, {}, &out).ok());
    return out.result_cache();
  }

  std::string TempFile(const std::string& name) {
    const std::string path =
        ::testing::TempDir() + "/result_cache_" + std::to_string(::getpid()) + "_" + name;
    fs::remove(path);
    return path;
  }

  std::unique_ptr<BackendServer> backend_;
  std::unique_ptr<v1::CaptureAnalysisService::Stub> analyses_;
  std::unique_ptr<v1::ServerStatusService::Stub> status_;
};

TEST_F(ResultCacheServiceTest, RepeatedCallAndNextPageAnswerFromTheHeldResult) {
  Start();
  v1::AnalyzeDnsPacketsRequest req;
  req.set_pcap_file(kDns);
  req.mutable_options()->set_max_results(3);
  v1::AnalyzeDnsPacketsResponse first = Dns(req);
  v1::AnalyzeDnsPacketsResponse again = Dns(req);
  EXPECT_TRUE(MessageDifferencer::Equals(first, again));
  ASSERT_FALSE(first.capture().partial_listings().empty());
  req.mutable_options()->set_page_token(first.capture().partial_listings(0).next_page_token());
  v1::AnalyzeDnsPacketsResponse next = Dns(req);
  EXPECT_EQ(next.capture().partial_listings(0).offset(), 3u);
  // Another page size and the statistics-only view come from the same result.
  req.mutable_options()->clear_page_token();
  req.mutable_options()->set_max_results(0);
  EXPECT_EQ(Dns(req).packets_size(), 0);
  v1::ResultCacheStatus cache = Cache();
  EXPECT_EQ(cache.misses(), 1u);
  EXPECT_EQ(cache.hits(), 3u);
  EXPECT_EQ(cache.entries(), 1u);
  EXPECT_GT(cache.memory_bytes(), 0u);
  EXPECT_EQ(cache.memory_limit_bytes(), BackendConfig{}.cache_memory_bytes);
}

TEST_F(ResultCacheServiceTest, OtherArgumentsAndOtherToolsAreOtherResults) {
  Start();
  v1::AnalyzeDnsPacketsRequest req;
  req.set_pcap_file(kDns);
  Dns(req);
  req.mutable_options()->set_bpf_filter("udp");
  Dns(req);
  grpc::ClientContext ctx;
  v1::AnalyzeCapinfosRequest capinfos;
  capinfos.set_pcap_file(kDns);
  v1::AnalyzeCapinfosResponse out;
  ASSERT_TRUE(analyses_->AnalyzeCapinfos(&ctx, capinfos, &out).ok());
  EXPECT_EQ(Cache().misses(), 3u);
  EXPECT_EQ(Cache().entries(), 3u);
}

TEST_F(ResultCacheServiceTest, RewrittenFileIsReadAgain) {
  Start();
  const std::string path = TempFile("rewritten.pcap");
  fs::copy_file(kDns, path);
  v1::AnalyzeDnsPacketsRequest req;
  req.set_pcap_file(path);
  v1::AnalyzeDnsPacketsResponse before = Dns(req);
  // Same name, other bytes: a different capture, whatever its times.
  fs::copy_file(kPing, path, fs::copy_options::overwrite_existing);
  v1::AnalyzeDnsPacketsResponse after = Dns(req);
  EXPECT_NE(before.capture().packets_read(), after.capture().packets_read());
  EXPECT_EQ(after.packets_size(), 0);  // the ping capture has no DNS
  EXPECT_EQ(Cache().misses(), 2u);
  EXPECT_EQ(Cache().hits(), 0u);
  fs::remove(path);
}

TEST_F(ResultCacheServiceTest, ConcurrentCallsOnOneCaptureReadItOnce) {
  BackendConfig config;
  config.workers = 4;
  Start(config);
  const std::string path = TempFile("generated.pcap");
  gencap::GenerateOptions options;
  options.packets = 300000;  // a read long enough for the calls to overlap
  options.out = path;
  gencap::GenerateStats stats;
  ASSERT_TRUE(gencap::GenerateCapture(options, &stats).ok());
  v1::AnalyzeDnsPacketsRequest req;
  req.set_pcap_file(path);
  std::vector<std::future<v1::AnalyzeDnsPacketsResponse>> calls;
  for (int i = 0; i < 4; ++i)
    calls.push_back(std::async(std::launch::async, [&] { return Dns(req); }));
  std::vector<v1::AnalyzeDnsPacketsResponse> answers;
  for (auto& call : calls) answers.push_back(call.get());
  for (const v1::AnalyzeDnsPacketsResponse& r : answers) {
    EXPECT_TRUE(MessageDifferencer::Equals(r, answers[0]));
  }
  v1::ResultCacheStatus cache = Cache();
  EXPECT_EQ(cache.misses(), 1u);
  EXPECT_GE(cache.joined(), 1u);  // at least one call waited for the reading one
  EXPECT_EQ(cache.joined() + cache.hits(), 3u);
  fs::remove(path);
}

TEST_F(ResultCacheServiceTest, NoBudgetComputesEveryCall) {
  BackendConfig config;
  config.cache_memory_bytes = 0;
  Start(config);
  v1::AnalyzeDnsPacketsRequest req;
  req.set_pcap_file(kDns);
  v1::AnalyzeDnsPacketsResponse first = Dns(req), second = Dns(req);
  EXPECT_EQ(first.statistics().queries(), second.statistics().queries());
  EXPECT_EQ(Cache().misses(), 2u);
  EXPECT_EQ(Cache().entries(), 0u);
}

}  // namespace
}  // namespace mcpcap
