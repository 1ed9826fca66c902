// Golden JSON of the three payload tools over every capture we recorded
// (tests/analysis/payload/data/ record_*.sh) and the bundled examples: the whole result, so any
// change in what is read from the streams shows up in review. MCPCAP_UPDATE_GOLDEN=1 rewrites the
// files.
#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "backend/analysis/database/database_queries.h"
#include "backend/analysis/payload/detect_protocols.h"
#include "backend/analysis/payload/payload.h"
#include "gtest/gtest.h"
#include "tests/testing/golden.h"

namespace mcpcap {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> Captures() {
  std::vector<std::string> paths;
  for (const char* dir : {MCPCAP_PAYLOAD_TEST_DATA, MCPCAP_EXAMPLES}) {
    for (const auto& entry : fs::directory_iterator(dir)) {
      const std::string ext = entry.path().extension().string();
      if (ext == ".pcap" || ext == ".pcapng") paths.push_back(entry.path().string());
    }
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

AnalysisInput InputFor(const std::string& path) {
  AnalysisInput input;
  input.source = fs::path(path).filename().string();
  input.local_path = path;
  input.listings.max = 100;
  return input;
}

std::string GoldenPath(const std::string& capture, const char* tool) {
  return std::string(MCPCAP_PAYLOAD_TEST_DATA) + "/golden/" + fs::path(capture).stem().string() +
         "." + tool + ".json";
}

class PayloadGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(PayloadGolden, DetectProtocols) {
  v1::DetectProtocolsRequest request;
  absl::StatusOr<v1::DetectProtocolsResponse> r = DetectProtocols(InputFor(GetParam()), request);
  ASSERT_TRUE(r.ok()) << r.status();
  r->clear_analysis_timestamp();
  testing::ExpectGolden(testing::ToGoldenJson(*r), GoldenPath(GetParam(), "detect_protocols"));
}

TEST_P(PayloadGolden, AnalyzePayload) {
  v1::AnalyzePayloadRequest request;
  absl::StatusOr<v1::AnalyzePayloadResponse> r = AnalyzePayload(InputFor(GetParam()), request);
  ASSERT_TRUE(r.ok()) << r.status();
  r->clear_analysis_timestamp();
  testing::ExpectGolden(testing::ToGoldenJson(*r), GoldenPath(GetParam(), "analyze_payload"));
}

TEST_P(PayloadGolden, ExtractDatabaseQueries) {
  v1::ExtractDatabaseQueriesRequest request;
  absl::StatusOr<v1::ExtractDatabaseQueriesResponse> r =
      ExtractDatabaseQueries(InputFor(GetParam()), request);
  ASSERT_TRUE(r.ok()) << r.status();
  if (r->total_queries() == 0 && r->connections_size() == 0) return;  // no database traffic
  r->clear_analysis_timestamp();
  testing::ExpectGolden(testing::ToGoldenJson(*r),
                        GoldenPath(GetParam(), "extract_database_queries"));
}

std::string TestName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = fs::path(info.param).stem().string();
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Captures, PayloadGolden, ::testing::ValuesIn(Captures()), TestName);

}  // namespace
}  // namespace mcpcap
