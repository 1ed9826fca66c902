#include "backend/source/capture_location.h"

#include "gtest/gtest.h"

namespace mcpcap {
namespace {

const std::function<bool()> kNever = [] { return false; };

std::unique_ptr<CaptureLocator> Locator() {
  auto locator = CaptureLocator::Create(SourceConfig{});
  EXPECT_TRUE(locator.ok()) << locator.status();
  return std::move(*locator);
}

TEST(CaptureLocation, LocalPathsAreUsedAsGivenWithoutRoots) {
  auto location = Locator()->Locate("examples/x.pcap", kNever);
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
  auto locator = Locator();
  EXPECT_EQ(locator->Locate("ftp://example.com/a.pcap", kNever).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(locator->Locate("file:///etc/passwd", kNever).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(locator->Locate("", kNever).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(CaptureLocation, UploadHandlesAreNotPaths) {
  // Uploads become capture resources, named in `capture`; pcap_file is a path or a URL.
  auto status = Locator()->Locate("upload://0123456789abcdef", kNever).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("capture"), std::string::npos);
}

TEST(CaptureLocation, UnknownCaptureResourcesAreNotFound) {
  auto status = Locator()->LocateHeld("captures/0123456789abcdef0123456789abcdef").status();
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Locator()->LocateHeld("captures/nope").status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace mcpcap
