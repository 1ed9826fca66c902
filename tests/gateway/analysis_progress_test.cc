// How the backend's progress reports become notifications/progress: bytes as progress, the
// file's size as total, a download counted before the reading, progress that only grows.
#include "gateway/mcp/analysis_progress.h"

#include <gtest/gtest.h>

#include <vector>

namespace mcpcap::gateway {
namespace {

v1::AnalyzeProgress Report(const std::string& stage, uint64_t done, uint64_t total,
                           uint64_t packets = 0) {
  v1::AnalyzeProgress p;
  p.set_stage(stage == "download" ? v1::ANALYZE_STAGE_DOWNLOAD : v1::ANALYZE_STAGE_READ);
  p.set_bytes_done(done);
  p.set_total_bytes(total);
  p.set_packets_read(packets);
  return p;
}

class AnalysisProgressTest : public ::testing::Test {
 protected:
  RequestContext Context() {
    return RequestContext(
        session_, [this](const Json& n) { sent_.push_back(n["params"]); }, Json("tok"),
        std::make_shared<CancelToken>());
  }
  Session session_;
  std::vector<Json> sent_;
};

TEST_F(AnalysisProgressTest, ReadingReportsBytesOfTheFile) {
  RequestContext ctx = Context();
  AnalysisProgress progress(ctx);
  progress.Start();
  progress.Report(Report("read", 12'300'000, 45'600'000, 1234567));
  progress.Report(Report("read", 45'600'000, 45'600'000, 4000000));
  progress.Finish("");  // already at the total: nothing new
  ASSERT_EQ(sent_.size(), 3u);
  EXPECT_EQ(sent_[0]["progress"], 0);
  EXPECT_FALSE(sent_[0].contains("total"));
  EXPECT_EQ(sent_[1]["progress"], 12'300'000);
  EXPECT_EQ(sent_[1]["total"], 45'600'000);
  EXPECT_EQ(sent_[1]["message"], "read 12.3 of 45.6 MB (1234567 packets)");
  EXPECT_EQ(sent_[1]["progressToken"], "tok");
  EXPECT_EQ(sent_[2]["progress"], 45'600'000);
}

TEST_F(AnalysisProgressTest, ADownloadCountsBeforeTheReading) {
  RequestContext ctx = Context();
  AnalysisProgress progress(ctx);
  progress.Start();
  progress.Report(Report("download", 500, 2000));
  progress.Report(Report("download", 2000, 2000));
  progress.Report(Report("read", 1000, 2000, 10));
  progress.Finish("");
  ASSERT_EQ(sent_.size(), 5u);
  EXPECT_EQ(sent_[1]["progress"], 500);
  EXPECT_EQ(sent_[1]["total"], 4000);
  EXPECT_EQ(sent_[1]["message"], "downloaded 0.5 of 2.0 kB");
  EXPECT_EQ(sent_[3]["progress"], 3000);  // the whole download, then half the reading
  EXPECT_EQ(sent_[3]["total"], 4000);
  EXPECT_EQ(sent_[3]["message"], "read 1.0 of 2.0 kB (10 packets)");
  EXPECT_EQ(sent_[4]["progress"], 4000);  // the end: the total
  EXPECT_EQ(sent_[4]["total"], 4000);
}

TEST_F(AnalysisProgressTest, WithoutASizeTheEndIsOneOfOne) {
  RequestContext ctx = Context();
  AnalysisProgress progress(ctx);
  progress.Start();
  progress.Finish("");
  ASSERT_EQ(sent_.size(), 2u);
  EXPECT_EQ(sent_[1]["progress"], 1);
  EXPECT_EQ(sent_[1]["total"], 1);
}

TEST_F(AnalysisProgressTest, AFailedCallSaysSoJustPastWhereItStopped) {
  RequestContext ctx = Context();
  AnalysisProgress progress(ctx);
  progress.Start();
  progress.Report(Report("read", 1000, 4000, 10));
  progress.Finish("cancelled");
  ASSERT_EQ(sent_.size(), 3u);
  EXPECT_GT(sent_[2]["progress"].get<double>(), 1000);
  EXPECT_LT(sent_[2]["progress"].get<double>(), 1001);
  EXPECT_EQ(sent_[2]["total"], 4000);
  EXPECT_EQ(sent_[2]["message"], "stopped before the end: cancelled");
}

TEST(DescribeBytesTest, UnitsFollowTheTotal) {
  EXPECT_EQ(DescribeBytes(532, 0), "532 B");
  EXPECT_EQ(DescribeBytes(12'345'678, 0), "12.3 MB");
  EXPECT_EQ(DescribeBytes(300'000'000, 1'500'000'000), "0.3 of 1.5 GB");
  EXPECT_EQ(DescribeBytes(500, 999), "500 of 999 B");
}

}  // namespace
}  // namespace mcpcap::gateway
