// The result budget's pure parts: which requests it may lower, how far, and what tools declare.
#include "gateway/mcp/result_budget.h"

#include <gtest/gtest.h>

#include <string>

#include "gateway/convert/message_to_json.h"
#include "mcpcap/v1/capinfos.pb.h"
#include "mcpcap/v1/dns.pb.h"

namespace mcpcap::gateway {
namespace {

TEST(AdjustablePageSize, OnlyTheDefaultPageSizeIsLowered) {
  v1::AnalyzeDnsPacketsRequest r;
  r.set_pcap_file("/x.pcap");
  std::optional<PageSize> size = AdjustablePageSize(r);
  ASSERT_TRUE(size.has_value());
  EXPECT_EQ(size->current, 10u);  // (default_json) of max_results
  EXPECT_EQ(size->floor, 0u);     // down to statistics only
  // A page of a listing keeps at least one entry, or it would never get on.
  r.mutable_options()->set_page_token("tok");
  size = AdjustablePageSize(r);
  ASSERT_TRUE(size.has_value());
  EXPECT_EQ(size->floor, 1u);
  // The caller's max_results is obeyed, whatever its value.
  for (uint32_t asked : {0u, 1u, 10u, 500u}) {
    r.mutable_options()->set_max_results(asked);
    EXPECT_FALSE(AdjustablePageSize(r).has_value()) << asked;
  }
  SetMaxResults(&r, 3);
  EXPECT_EQ(r.options().max_results(), 3u);
}

// A response of `n` packets of about `entry` characters each, cut from `total`.
v1::AnalyzeDnsPacketsResponse DnsPage(int n, int total, size_t entry, size_t fixed) {
  v1::AnalyzeDnsPacketsResponse out;
  out.mutable_capture()->set_source(std::string(fixed, 's'));
  for (int i = 0; i < n; ++i) out.add_packets()->set_opcode_name(std::string(entry, 'x'));
  v1::ListingPage* page = out.mutable_capture()->add_partial_listings();
  page->set_listing("packets");
  page->set_total(total);
  page->set_returned(n);
  return out;
}

size_t Chars(const google::protobuf::Message& m) { return DumpJson(MessageToJson(m)).size(); }

// The estimate fits the budget without being timid: two entries more would not fit.
TEST(NextMaxResults, EstimatedFromTheCutListingsEntries) {
  const v1::AnalyzeDnsPacketsResponse r = DnsPage(10, 100, 400, 1000);
  const Json j = MessageToJson(r);
  ASSERT_GT(DumpJson(j).size(), 5000u);
  const uint32_t next = NextMaxResults(r, j, DumpJson(j).size(), 3000, PageSize{10, 0});
  EXPECT_GE(next, 1u);
  EXPECT_LE(Chars(DnsPage(static_cast<int>(next), 100, 400, 1000)), 3000u);
  EXPECT_GT(Chars(DnsPage(static_cast<int>(next) + 2, 100, 400, 1000)), 3000u);
}

TEST(NextMaxResults, AlwaysLowerAndNeverBelowTheFloor) {
  // The cut listing barely counts: the estimate would keep the page, the answer must shrink.
  v1::AnalyzeDnsPacketsResponse r = DnsPage(10, 100, 1, 5000);
  Json j = MessageToJson(r);
  EXPECT_EQ(NextMaxResults(r, j, DumpJson(j).size(), 40000, PageSize{10, 0}), 9u);
  // Nothing fits even without entries: halve, then stop at the floor.
  r = DnsPage(10, 100, 100, 50000);
  j = MessageToJson(r);
  EXPECT_EQ(NextMaxResults(r, j, DumpJson(j).size(), 3000, PageSize{10, 0}), 5u);
  r = DnsPage(1, 100, 5000, 10);
  j = MessageToJson(r);
  EXPECT_EQ(NextMaxResults(r, j, DumpJson(j).size(), 3000, PageSize{1, 1}), 1u);
  EXPECT_EQ(NextMaxResults(r, j, DumpJson(j).size(), 3000, PageSize{2, 1}), 1u);
  EXPECT_EQ(NextMaxResults(r, j, DumpJson(j).size(), 3000, PageSize{2, 0}), 0u);
}

TEST(NextMaxResults, ListingsAreFoundByTheirDottedPath) {
  auto domains = [](int n) {
    v1::AnalyzeDnsPacketsResponse r;
    for (int i = 0; i < n; ++i) r.mutable_statistics()->add_unique_domains(std::string(300, 'd'));
    v1::ListingPage* page = r.mutable_capture()->add_partial_listings();
    page->set_listing("statistics.unique_domains");
    page->set_returned(n);
    return r;
  };
  const v1::AnalyzeDnsPacketsResponse r = domains(10);
  const Json j = MessageToJson(r);
  // Without the listing's size the estimate would only halve (5).
  const uint32_t next = NextMaxResults(r, j, DumpJson(j).size(), 3000, PageSize{10, 0});
  EXPECT_GT(next, 5u);
  EXPECT_LE(Chars(domains(static_cast<int>(next))), 3000u);
  EXPECT_GT(Chars(domains(static_cast<int>(next) + 2)), 3000u);
}

TEST(DeclaredMaxResultChars, OnlyAboveTheClientsThreshold) {
  EXPECT_FALSE(DeclaredMaxResultChars(40000).has_value());
  EXPECT_FALSE(DeclaredMaxResultChars(50000).has_value());
  EXPECT_EQ(DeclaredMaxResultChars(50001), 50001u);
  EXPECT_EQ(DeclaredMaxResultChars(200000), 200000u);
  EXPECT_EQ(DeclaredMaxResultChars(2000000), 500000u);  // the client's ceiling
}

TEST(AddCaptureWarning, GoesToCaptureWarnings) {
  v1::AnalyzeDnsPacketsResponse r;
  AddCaptureWarning(&r, "lowered");
  ASSERT_EQ(r.capture().warnings_size(), 1);
  EXPECT_EQ(r.capture().warnings(0), "lowered");
}

}  // namespace
}  // namespace mcpcap::gateway
