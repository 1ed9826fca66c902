#include "backend/source/capture_location.h"

#include "gtest/gtest.h"

namespace mcpcap {
namespace {

TEST(CaptureLocation, LocalPathsAreUsedAsGiven) {
  auto location = LocateCapture("examples/x.pcap");
  ASSERT_TRUE(location.ok());
  EXPECT_EQ(location->local_path, "examples/x.pcap");
  EXPECT_EQ(location->source, "examples/x.pcap");
}

TEST(CaptureLocation, UrlSchemesAreCaseInsensitive) {
  EXPECT_TRUE(IsUrl("HTTPS://example.com/a.pcap"));
  EXPECT_TRUE(IsUrl("http://example.com/a.pcap"));
  EXPECT_FALSE(IsUrl("/tmp/http://x"));
}

TEST(CaptureLocation, OtherSchemesAndEmptyAreRefused) {
  EXPECT_EQ(LocateCapture("ftp://example.com/a.pcap").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(LocateCapture("").status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace mcpcap
