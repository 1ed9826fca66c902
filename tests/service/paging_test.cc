// Paging one listing at a time over the real gRPC stack: a short first page with a token, the
// pages that follow it add up to the whole listing in order, the statistics-only view, and
// tokens that do not belong to the request are refused.
#include <grpcpp/grpcpp.h>

#include <string>
#include <vector>

#include "backend/analysis/common/page_token.h"
#include "backend/service/analysis_call.h"
#include "gateway/backend/error_details.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "mcpcap/v1/analysis.grpc.pb.h"
#include "mcpcap/v1/icmp.pb.h"
#include "tests/service/backend_on_socket.h"

namespace mcpcap {
namespace {

using gateway::ReadBackendError;

const std::string kDns = std::string(MCPCAP_EXAMPLES) + "/dns_loopback.pcap";

class PagingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto started = testing::StartBackendOnSocket("paging");
    ASSERT_TRUE(started.ok()) << started.status();
    backend_ = std::move(started->backend);
    stub_ = v1::CaptureAnalysisService::NewStub(started->channel);
  }

  grpc::Status Dns(const v1::AnalyzeDnsPacketsRequest& req, v1::AnalyzeDnsPacketsResponse* out) {
    grpc::ClientContext ctx;
    return stub_->AnalyzeDnsPackets(&ctx, req, out);
  }

  static const v1::ListingPage* PageOf(const v1::AnalyzeDnsPacketsResponse& r,
                                       const std::string& listing) {
    for (const v1::ListingPage& p : r.capture().partial_listings()) {
      if (p.listing() == listing) return &p;
    }
    return nullptr;
  }

  std::unique_ptr<BackendServer> backend_;
  std::unique_ptr<v1::CaptureAnalysisService::Stub> stub_;
};

TEST_F(PagingTest, PagesOfOneListingAddUpToTheWholeListing) {
  v1::AnalyzeDnsPacketsRequest req;
  req.set_pcap_file(kDns);
  req.mutable_options()->set_max_results(1000);
  v1::AnalyzeDnsPacketsResponse all;
  ASSERT_TRUE(Dns(req, &all).ok());
  ASSERT_GT(all.packets_size(), 10);
  EXPECT_TRUE(all.capture().partial_listings().empty());  // complete: nothing to page

  req.mutable_options()->set_max_results(7);
  std::vector<uint64_t> paged;
  std::string token;
  int pages = 0;
  do {
    req.mutable_options()->set_page_token(token);
    v1::AnalyzeDnsPacketsResponse page;
    grpc::Status status = Dns(req, &page);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ASSERT_LE(page.packets_size(), 7);
    for (const v1::DnsPacket& p : page.packets()) paged.push_back(p.packet_number());
    // Statistics are whole on every page; a later page fills only the listing it pages.
    EXPECT_EQ(page.statistics().queries(), all.statistics().queries());
    if (!token.empty()) {
      EXPECT_EQ(page.unanswered_queries_size(), 0);
    }
    const v1::ListingPage* packets = PageOf(page, "packets");
    ASSERT_NE(packets, nullptr);
    EXPECT_EQ(packets->total(), static_cast<uint64_t>(all.packets_size()));
    EXPECT_EQ(packets->offset(), static_cast<uint64_t>(pages) * 7);
    EXPECT_EQ(packets->returned(), static_cast<uint64_t>(page.packets_size()));
    token = packets->next_page_token();
    ++pages;
  } while (!token.empty() && pages < 100);
  std::vector<uint64_t> whole;
  for (const v1::DnsPacket& p : all.packets()) whole.push_back(p.packet_number());
  EXPECT_EQ(paged, whole);
  EXPECT_EQ(pages, (all.packets_size() + 6) / 7);
}

TEST_F(PagingTest, StatisticsOnlyAndForeignTokens) {
  v1::AnalyzeDnsPacketsRequest req;
  req.set_pcap_file(kDns);
  req.mutable_options()->set_view(v1::ANALYSIS_VIEW_STATISTICS);
  v1::AnalyzeDnsPacketsResponse stats;
  ASSERT_TRUE(Dns(req, &stats).ok());
  EXPECT_EQ(stats.packets_size(), 0);
  EXPECT_GT(stats.statistics().queries(), 0u);
  const v1::ListingPage* packets = PageOf(stats, "packets");
  ASSERT_NE(packets, nullptr);  // says what is left
  EXPECT_GT(packets->total(), 0u);
  EXPECT_TRUE(packets->next_page_token().empty());
  req.clear_options();
  req.mutable_options()->set_max_results(0);  // the same through max_results, as MCP says it
  v1::AnalyzeDnsPacketsResponse zero;
  ASSERT_TRUE(Dns(req, &zero).ok());
  EXPECT_EQ(zero.packets_size(), 0);

  // A token from one request, presented with other arguments, is refused.
  req.clear_options();
  req.mutable_options()->set_max_results(3);
  v1::AnalyzeDnsPacketsResponse first;
  ASSERT_TRUE(Dns(req, &first).ok());
  ASSERT_NE(PageOf(first, "packets"), nullptr);
  const std::string token = PageOf(first, "packets")->next_page_token();
  ASSERT_FALSE(token.empty());
  req.mutable_options()->set_page_token(token);
  req.mutable_options()->set_bpf_filter("udp");
  v1::AnalyzeDnsPacketsResponse other;
  grpc::Status foreign = Dns(req, &other);
  EXPECT_EQ(foreign.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ReadBackendError(foreign).metadata.at("field"), "options.page_token");
  req.mutable_options()->set_page_token("not-a-token");
  grpc::Status garbage = Dns(req, &other);
  EXPECT_EQ(garbage.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace mcpcap

namespace mcpcap {
namespace {

v1::AnalyzeIcmpPacketsResponse FiveFindings() {
  v1::AnalyzeIcmpPacketsResponse r;
  for (int i = 0; i < 5; ++i) r.add_findings()->set_indicator("f" + std::to_string(i));
  return r;
}

TEST(PageFindings, FindingsArePagedLikeAnyListing) {
  ListingBounds bounds;
  bounds.max = 2;
  bounds.request_key = "key";
  v1::AnalyzeIcmpPacketsResponse first = FiveFindings();
  PageFindings(bounds, &first);
  ASSERT_EQ(first.findings_size(), 2);
  EXPECT_EQ(first.findings(1).indicator(), "f1");
  ASSERT_EQ(first.capture().partial_listings_size(), 1);
  const v1::ListingPage& page = first.capture().partial_listings(0);
  EXPECT_EQ(page.listing(), "findings");
  EXPECT_EQ(page.total(), 5u);
  EXPECT_EQ(page.returned(), 2u);
  absl::StatusOr<PageToken> token = DecodePageToken(page.next_page_token());
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_EQ(token->offset, 2u);

  bounds.page_listing = token->listing;
  bounds.offset = token->offset;
  v1::AnalyzeIcmpPacketsResponse second = FiveFindings();
  PageFindings(bounds, &second);
  ASSERT_EQ(second.findings_size(), 2);
  EXPECT_EQ(second.findings(0).indicator(), "f2");

  bounds.page_listing = "packets";  // another listing's page: no findings on it
  v1::AnalyzeIcmpPacketsResponse other = FiveFindings();
  PageFindings(bounds, &other);
  EXPECT_EQ(other.findings_size(), 0);
  EXPECT_EQ(other.capture().partial_listings_size(), 0);
}

}  // namespace
}  // namespace mcpcap
