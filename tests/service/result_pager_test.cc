// A page cut from the one pageable computation equals the page the analysis computes itself,
// for every analysis, on every capture we made, at several page sizes and through every page
// token: the result cache may answer any page only because of this.
#include "backend/analysis/common/result_pager.h"

#include <google/protobuf/util/message_differencer.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "backend/analysis/common/page_token.h"
#include "backend/service/analysis_call.h"
#include "backend/service/analysis_rpcs.h"
#include "gtest/gtest.h"

namespace mcpcap {
namespace {

constexpr int kPagesWalked = 4;  // per listing: enough to cross the held entries below

std::vector<std::string> OurCaptures() {
  namespace fs = std::filesystem;
  const fs::path root = fs::path(MCPCAP_EXAMPLES).parent_path();
  std::vector<std::string> files;
  for (const fs::path& dir : {root / "examples", root / "tests" / "analysis"}) {
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
      const std::string ext = entry.path().extension().string();
      if (entry.is_regular_file() && (ext == ".pcap" || ext == ".pcapng")) {
        files.push_back(entry.path().string());
      }
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Differences between two results, the analysis time aside; empty when equal.
std::string Differences(const google::protobuf::Message& a, const google::protobuf::Message& b) {
  std::unique_ptr<google::protobuf::Message> left(a.New()), right(b.New());
  left->CopyFrom(a);
  right->CopyFrom(b);
  if (const auto* time = a.GetDescriptor()->FindFieldByName("analysis_timestamp")) {
    left->GetReflection()->ClearField(left.get(), time);
    right->GetReflection()->ClearField(right.get(), time);
  }
  google::protobuf::util::MessageDifferencer differ;
  std::string report;
  differ.ReportDifferencesToString(&report);
  differ.Compare(*left, *right);
  return report;
}

// The arguments a tool cannot run without, chosen to find something in most captures.
template <typename Request>
void SetRequiredArguments(Request*) {}
void SetRequiredArguments(v1::GetPacketDetailsRequest* request) { request->set_packet_number(1); }
void SetRequiredArguments(v1::FollowStreamRequest* request) { request->set_stream_index(0); }
void SetRequiredArguments(v1::SearchPacketsRequest* request) { request->set_pattern("e"); }

template <typename Request, typename Response>
void ExpectPagesMatch(absl::StatusOr<Response> (*analysis)(const AnalysisInput&, const Request&),
                      const std::string& file, uint32_t held) {
  Request request;
  request.set_pcap_file(file);
  SetRequiredArguments(&request);
  AnalysisInput input;
  input.source = file;
  input.local_path = file;
  auto direct = [&](const ListingBounds& bounds) -> absl::StatusOr<Response> {
    AnalysisInput in = input;
    in.listings = bounds;
    absl::StatusOr<Response> r = analysis(in, request);
    if (r.ok()) PageFindings(in.listings, &*r);
    return r;
  };
  std::vector<ListingCount> census;
  absl::StatusOr<Response> full = direct(PageableBounds(&census, held));
  if (!full.ok()) return;  // the analysis refuses this capture: nothing to page
  absl::StatusOr<std::unique_ptr<const PageableResult>> pageable =
      PageableResult::Make(std::make_unique<Response>(*full), census);
  ASSERT_TRUE(pageable.ok()) << pageable.status();

  for (uint32_t max : {0u, 1u, 3u, 10u}) {
    ListingBounds first;
    first.max = max;
    first.request_key = "0123456789abcdef";
    std::vector<ListingBounds> pages = {first};
    for (size_t i = 0; i < pages.size(); ++i) {
      const ListingBounds bounds = pages[i];  // a copy: pages grows below
      absl::StatusOr<Response> expected = direct(bounds);
      ASSERT_TRUE(expected.ok()) << expected.status();
      std::unique_ptr<google::protobuf::Message> cut = (*pageable)->Page(bounds);
      const uint64_t end = bounds.offset + bounds.max;
      if (cut == nullptr) {
        // Only a page reaching past the held entries may be refused.
        EXPECT_GT(end, held) << Response::descriptor()->name() << " max " << max;
      } else {
        EXPECT_EQ(Differences(*expected, *cut), "")
            << Response::descriptor()->name() << " on " << file << ", held " << held << ", max "
            << max << ", listing '" << bounds.page_listing << "' from " << bounds.offset;
      }
      if (!bounds.page_listing.empty() && bounds.offset >= kPagesWalked * uint64_t{max}) continue;
      for (const v1::ListingPage& page : expected->capture().partial_listings()) {
        if (page.next_page_token().empty()) continue;
        absl::StatusOr<PageToken> token = DecodePageToken(page.next_page_token());
        ASSERT_TRUE(token.ok()) << token.status();
        ListingBounds next = first;
        next.page_listing = token->listing;
        next.offset = token->offset;
        if (bounds.page_listing.empty() || bounds.page_listing == next.page_listing) {
          pages.push_back(next);
        }
      }
    }
  }
}

class ResultPagerTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ResultPagerTest, EveryPageOfEveryAnalysisEqualsTheAnalysisOwnPage) {
  for (uint32_t held : {2u, kHeldListingEntries}) {
#define MCPCAP_EXPECT_PAGES_MATCH(Name) ExpectPagesMatch(::mcpcap::Name, GetParam(), held);
    MCPCAP_ANALYSIS_RPCS(MCPCAP_EXPECT_PAGES_MATCH)
#undef MCPCAP_EXPECT_PAGES_MATCH
  }
}

INSTANTIATE_TEST_SUITE_P(OurCaptures, ResultPagerTest, ::testing::ValuesIn(OurCaptures()),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                           std::string name = std::filesystem::path(param.param).stem().string();
                           std::replace_if(
                               name.begin(), name.end(),
                               [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); },
                               '_');
                           return absl::StrCat(name, "_", param.index);
                         });

TEST(ResultPagerTest, ListingNotNamedAfterAFieldIsRefused) {
  std::vector<ListingCount> census = {{"no_such_listing", 3}};
  auto made = PageableResult::Make(std::make_unique<v1::AnalyzeDnsPacketsResponse>(), census);
  EXPECT_EQ(made.status().code(), absl::StatusCode::kInternal);
}

}  // namespace
}  // namespace mcpcap
