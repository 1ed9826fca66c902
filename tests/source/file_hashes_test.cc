#include "backend/source/file_hashes.h"

#include <atomic>
#include <string>

#include "gtest/gtest.h"
#include "tests/testing/capture_builder.h"

namespace mcpcap {
namespace {

using testing::WriteTempFile;

// Three full read chunks and a partial one, so every digest crosses chunk and ring boundaries.
std::string Pattern() {
  std::string bytes(3 * (1 << 20) + 17, '\0');
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>((i * 31 + 7) & 0xff);
  return bytes;
}

// Expected digests computed with Python's hashlib over the same bytes.
TEST(FileHashes, EveryDigestMatchesAnIndependentImplementation) {
  const std::string path = WriteTempFile("pattern.bin", Pattern());
  const auto all = HashFile(path, /*all=*/true);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->sha256, "27f3f0120d4a72b66e7b58152c631644bd689231ebd4487469b59226f1be13af");
  EXPECT_EQ(all->sha1, "ed94501f45278048d4e8ce15b099065ebc285772");
  EXPECT_EQ(all->ripemd160, "223ccf0310d5f2f42aca5cf901af522434bf0359");
  const auto sha256_only = HashFile(path, /*all=*/false);
  ASSERT_TRUE(sha256_only.ok()) << sha256_only.status();
  EXPECT_EQ(sha256_only->sha256, all->sha256);
  EXPECT_FALSE(sha256_only->sha1.has_value());  // not asked for
  EXPECT_FALSE(sha256_only->ripemd160.has_value());
}

TEST(FileHashes, EmptyFile) {
  const auto h = HashFile(WriteTempFile("empty.bin", ""), /*all=*/true);
  ASSERT_TRUE(h.ok()) << h.status();
  EXPECT_EQ(h->sha1, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  EXPECT_EQ(h->ripemd160, "9c1185a5c5e9fc54612808977ee8f548b2258d31");
}

TEST(FileHashes, CancellationStopsBeforeTheWholeFileIsRead) {
  const std::string path = WriteTempFile("cancel.bin", Pattern());
  std::atomic<int> polls{0};
  const auto h = HashFile(path, /*all=*/true, [&polls] { return ++polls > 2; });
  EXPECT_EQ(h.status().code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(polls.load(), 3);  // stopped at the first poll that said so
}

TEST(FileHashes, MissingFileIsNotFound) {
  EXPECT_EQ(HashFile("/nonexistent/capture.pcap", false).status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace mcpcap
