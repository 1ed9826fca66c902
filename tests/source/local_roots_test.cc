// Allowed roots for local captures: inside is fine; '..', symlinks leading out and
// non-regular files are refused; outside says nothing about whether a file exists.
#include "backend/source/local_roots.h"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "backend/base/error_details.h"
#include "backend/source/capture_location.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mcpcap {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

class LocalRootsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::path(::testing::TempDir()) / ("roots_" + std::to_string(::getpid()));
    fs::remove_all(base_);
    fs::create_directories(base_ / "root" / "sub");
    fs::create_directories(base_ / "outside");
    Write(base_ / "root" / "sub" / "in.pcap");
    Write(base_ / "outside" / "secret.pcap");
    fs::create_symlink(base_ / "outside" / "secret.pcap", base_ / "root" / "link-out.pcap");
    fs::create_symlink(base_ / "root" / "sub" / "in.pcap", base_ / "root" / "link-in.pcap");
    fs::create_directory_symlink(base_ / "outside", base_ / "root" / "dir-out");
    ASSERT_EQ(::mkfifo((base_ / "root" / "fifo.pcap").c_str(), 0600), 0);
    auto roots = LocalRoots::Create({(base_ / "root").string()});
    ASSERT_TRUE(roots.ok()) << roots.status();
    roots_ = *roots;
  }
  void TearDown() override { fs::remove_all(base_); }

  static void Write(const fs::path& p) { std::ofstream(p) << "data"; }
  absl::StatusCode Code(const fs::path& p) { return roots_.Open(p.string()).status().code(); }
  v1::ErrorReason Reason(const fs::path& p) {
    return ErrorReasonOf(roots_.Open(p.string()).status());
  }

  fs::path base_;
  LocalRoots roots_;
};

TEST_F(LocalRootsTest, InsideIsOpenedAndHeld) {
  auto file = roots_.Open((base_ / "root" / "sub" / "in.pcap").string());
  ASSERT_TRUE(file.ok()) << file.status();
  std::ifstream in((*file)->path());
  std::string text;
  in >> text;
  EXPECT_EQ(text, "data");
  EXPECT_TRUE(roots_.Open((base_ / "root" / "link-in.pcap").string()).ok());
  EXPECT_TRUE(roots_.Open((base_ / "root" / "sub" / ".." / "sub" / "in.pcap").string()).ok());
}

TEST_F(LocalRootsTest, EscapesAreRefused) {
  EXPECT_EQ(Code(base_ / "root" / ".." / "outside" / "secret.pcap"),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Code(base_ / "root" / "link-out.pcap"), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Code(base_ / "root" / "dir-out" / "secret.pcap"), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Code("/etc/passwd"), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Reason("/etc/passwd"), v1::ERROR_REASON_CAPTURE_OUTSIDE_ROOTS);
  EXPECT_EQ(Reason(base_ / "root" / "link-out.pcap"), v1::ERROR_REASON_CAPTURE_OUTSIDE_ROOTS);
  auto status = roots_.Open("/etc/passwd").status();
  EXPECT_THAT(status.message(), HasSubstr("'/etc/passwd' is outside"));
  EXPECT_THAT(status.message(), HasSubstr("--root"));
}

TEST_F(LocalRootsTest, MissingFilesAreNotFoundOnlyInside) {
  EXPECT_EQ(Code(base_ / "root" / "missing.pcap"), absl::StatusCode::kNotFound);
  EXPECT_EQ(Reason(base_ / "root" / "missing.pcap"), v1::ERROR_REASON_CAPTURE_NOT_FOUND);
  EXPECT_EQ(Reason(base_ / "outside" / "missing.pcap"), v1::ERROR_REASON_CAPTURE_OUTSIDE_ROOTS);
  // Outside, a missing file and an existing one get the same answer.
  EXPECT_EQ(Code(base_ / "outside" / "missing.pcap"), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Code(base_ / "outside" / "secret.pcap"), absl::StatusCode::kPermissionDenied);
}

TEST_F(LocalRootsTest, OnlyRegularFiles) {
  EXPECT_EQ(Code(base_ / "root" / "sub"), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Reason(base_ / "root" / "sub"), v1::ERROR_REASON_NOT_A_CAPTURE_FILE);
  auto fifo = roots_.Open((base_ / "root" / "fifo.pcap").string());
  EXPECT_EQ(fifo.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(fifo.status().message(), HasSubstr("not a regular file"));
}

TEST_F(LocalRootsTest, RootsMustBeDirectories) {
  EXPECT_EQ(LocalRoots::Create({(base_ / "nope").string()}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(LocalRoots::Create({(base_ / "root" / "sub" / "in.pcap").string()}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(LocalRootsTest, LocatorAppliesRootsAndKeepsTheNameGiven) {
  SourceConfig config;
  config.roots = {(base_ / "root").string()};
  auto locator = CaptureLocator::Create(config);
  ASSERT_TRUE(locator.ok()) << locator.status();
  const std::string inside = (base_ / "root" / "sub" / "in.pcap").string();
  auto location = (*locator)->Locate(inside, [] { return false; });
  ASSERT_TRUE(location.ok()) << location.status();
  EXPECT_EQ(location->source, inside);
  EXPECT_NE(location->hold, nullptr);
  EXPECT_EQ((*locator)->Locate("/etc/passwd", [] { return false; }).status().code(),
            absl::StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace mcpcap
