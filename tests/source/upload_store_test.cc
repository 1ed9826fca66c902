// Upload bookkeeping: names, limits on size, count and total bytes, expiry, and files kept
// for analyses in flight.
#include "backend/source/upload_store.h"

#include <filesystem>
#include <fstream>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mcpcap {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

class UploadStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto dir = TempDir::Create();
    ASSERT_TRUE(dir.ok());
    dir_ = std::move(*dir);
  }
  std::unique_ptr<TempDir> dir_;
};

std::string ReadAllOf(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST_F(UploadStoreTest, CommittedUploadsHoldTheirBytes) {
  UploadStore store(UploadLimits{}, dir_.get());
  auto pending = store.Begin();
  ASSERT_TRUE(pending.ok());
  ASSERT_TRUE((*pending)->Append("abc").ok());
  ASSERT_TRUE((*pending)->Append("def").ok());
  auto info = (*pending)->Commit("my capture!.pcap");
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->name, "my_capture_.pcap");  // cleaned before it reaches results
  EXPECT_EQ(info->size_bytes, 6u);
  ASSERT_NE(info->file, nullptr);
  EXPECT_EQ(ReadAllOf(info->file->path()), "abcdef");
  EXPECT_EQ(store.held(), 1u);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_->path()), {}), 0);
}

TEST_F(UploadStoreTest, LimitsAreEnforced) {
  UploadLimits limits;
  limits.max_bytes = 10;
  limits.max_total_bytes = 15;
  limits.max_count = 2;
  limits.max_unfinished = 2;
  UploadStore store(limits, dir_.get());
  auto a = store.Begin();
  ASSERT_TRUE(a.ok());
  absl::Status big = (*a)->Append(std::string(11, 'x'));
  EXPECT_EQ(big.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(big.message(), HasSubstr("--max-upload-bytes"));
  ASSERT_TRUE((*a)->Append(std::string(10, 'x')).ok());
  auto b = store.Begin();
  ASSERT_TRUE(b.ok());
  EXPECT_EQ((*b)->Append(std::string(6, 'y')).code(), absl::StatusCode::kResourceExhausted);
  absl::Status receiving = store.Begin().status();  // two unfinished uploads
  EXPECT_EQ(receiving.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(receiving.message(), HasSubstr("2 unfinished uploads (--max-unfinished-uploads)"));
  EXPECT_EQ(store.unfinished(), 2u);
  b->reset();  // an abandoned upload frees its slot and bytes
  auto c = store.Begin();
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE((*c)->Append(std::string(5, 'z')).ok());
  EXPECT_TRUE((*c)->Commit("").status().ok());
  EXPECT_TRUE((*a)->Commit("").status().ok());
  EXPECT_EQ(store.unfinished(), 0u);
  absl::Status held = store.Begin().status();  // two finished uploads held
  EXPECT_EQ(held.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(held.message(), HasSubstr("holds 2 uploaded captures (--max-uploads)"));
}

TEST_F(UploadStoreTest, AnUploadFinishingIntoAFullStoreIsRefused) {
  UploadLimits limits;
  limits.max_count = 1;
  UploadStore store(limits, dir_.get());
  auto a = store.Begin();
  auto b = store.Begin();  // both start while the store is empty
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE((*a)->Append("a").ok());
  ASSERT_TRUE((*b)->Append("b").ok());
  EXPECT_TRUE((*a)->Commit("").ok());
  EXPECT_EQ((*b)->Commit("").status().code(), absl::StatusCode::kResourceExhausted);
  b->reset();
  EXPECT_EQ(store.unfinished(), 0u);
  EXPECT_EQ(store.held(), 1u);
}

TEST_F(UploadStoreTest, EmptyUploadsAreRefused) {
  UploadStore store(UploadLimits{}, dir_.get());
  auto pending = store.Begin();
  ASSERT_TRUE(pending.ok());
  EXPECT_EQ((*pending)->Commit("x").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(UploadStoreTest, UploadsExpireButFilesInUseStay) {
  UploadLimits limits;
  limits.ttl = std::chrono::seconds(1);
  UploadStore store(limits, dir_.get());
  auto pending = store.Begin();
  ASSERT_TRUE(pending.ok());
  ASSERT_TRUE((*pending)->Append("capture").ok());
  auto info = (*pending)->Commit("");
  ASSERT_TRUE(info.ok());
  std::shared_ptr<const HeldFile> in_use = info->file;
  EXPECT_EQ(store.held(), 1u);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_EQ(store.held(), 0u);                      // its slot is free again
  EXPECT_EQ(ReadAllOf(in_use->path()), "capture");  // whoever holds it still reads it
}

}  // namespace
}  // namespace mcpcap
