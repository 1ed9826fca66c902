// gzip-compressed captures made here with zlib: read fully by content, concatenated members,
// a decompression bomb capped, corrupt and cut data reported clearly.
#include "backend/source/gzip_source.h"

#include <zlib.h>

#include "backend/source/capture_location.h"
#include "backend/source/capture_reader.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/capture_builder.h"

namespace mcpcap {
namespace {

using testing::BuildPcap;
using testing::Frame;
using ::testing::HasSubstr;
using testing::WriteTempFile;

std::string Gzip(const std::string& data) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&zs, data.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

std::vector<testing::TestPacket> Packets(int n) {
  std::vector<testing::TestPacket> packets;
  for (int i = 0; i < n; ++i) packets.push_back({1700000000u + i, 0, Frame(60 + i % 50), 0, 0});
  return packets;
}

// Reads every record; returns the count and the reader's info.
uint64_t ReadAll(const std::string& path, CaptureInfo* info = nullptr,
                 uint64_t max_decompressed_bytes = kDefaultMaxDecompressedBytes) {
  auto reader = CaptureReader::Open(path, "shown.pcap.gz", max_decompressed_bytes);
  EXPECT_TRUE(reader.ok()) << reader.status();
  if (!reader.ok()) return 0;
  PacketRecord rec;
  uint64_t n = 0;
  while ((*reader)->Next(&rec)) ++n;
  if (info) *info = (*reader)->info();
  return n;
}

TEST(GzipSource, ReadsCompressedPcapFully) {
  const std::string gz = Gzip(BuildPcap(Packets(5000)));
  const std::string path = WriteTempFile("a.pcap.gz", gz);
  CaptureInfo info;
  EXPECT_EQ(ReadAll(path, &info), 5000u);
  EXPECT_EQ(info.format, CaptureFormat::kPcap);
  EXPECT_EQ(info.file_size, gz.size());  // the file on disk, as capinfos reports it
  EXPECT_TRUE(info.warnings.empty());
}

TEST(GzipSource, ReadsCompressedPcapngFullyWhateverItsName) {
  testing::PcapngBuilder b;
  b.Section().Interface(1, 65535, 9);
  for (int i = 0; i < 300; ++i) b.Packet(0, 1700000000000000000ull + i, Frame(80));
  const std::string path = WriteTempFile("no-extension", Gzip(b.bytes()));
  CaptureInfo info;
  EXPECT_EQ(ReadAll(path, &info), 300u);
  EXPECT_EQ(info.format, CaptureFormat::kPcapng);
}

TEST(GzipSource, ConcatenatedMembersAndTrailingPaddingAreRead) {
  const std::string pcap = BuildPcap(Packets(100));
  const size_t half = pcap.size() / 2;
  const std::string gz =
      Gzip(pcap.substr(0, half)) + Gzip(pcap.substr(half)) + std::string(512, '\0');
  EXPECT_EQ(ReadAll(WriteTempFile("two.pcap.gz", gz)), 100u);
}

TEST(GzipSource, DecompressionBombIsCapped) {
  // A pcap header followed by 64 MiB of zeros compresses to about 64 KiB.
  const std::string bomb = Gzip(BuildPcap({}) + std::string(64u << 20, '\0'));
  ASSERT_LT(bomb.size(), 200u * 1024);
  const std::string path = WriteTempFile("bomb.pcap.gz", bomb);
  CaptureInfo info;
  const uint64_t records = ReadAll(path, &info, 1u << 20);
  EXPECT_LE(records, (1u << 20) / 16);
  ASSERT_FALSE(info.warnings.empty());
  EXPECT_THAT(info.warnings.back(), HasSubstr("--max-decompressed-bytes"));
}

// Each locator hands its own cap to what it locates: two services in one process with different
// --max-decompressed-bytes do not overwrite each other's.
TEST(GzipSource, EachLocatorKeepsItsOwnCap) {
  const std::string bomb = Gzip(BuildPcap({}) + std::string(8u << 20, '\0'));
  const std::string path = WriteTempFile("bomb2.pcap.gz", bomb);
  SourceConfig small_config;
  small_config.max_decompressed_bytes = 1u << 20;
  auto small = CaptureLocator::Create(small_config);
  auto large = CaptureLocator::Create(SourceConfig{});
  ASSERT_TRUE(small.ok() && large.ok());
  auto capped = (*small)->Locate(path, [] { return false; });
  auto uncapped = (*large)->Locate(path, [] { return false; });
  ASSERT_TRUE(capped.ok() && uncapped.ok());
  EXPECT_EQ(capped->max_decompressed_bytes, 1u << 20);
  EXPECT_EQ(uncapped->max_decompressed_bytes, kDefaultMaxDecompressedBytes);
  CaptureInfo info;
  ReadAll(capped->local_path, &info, capped->max_decompressed_bytes);
  ASSERT_FALSE(info.warnings.empty());
  EXPECT_THAT(info.warnings.back(), HasSubstr("--max-decompressed-bytes"));
  ReadAll(uncapped->local_path, &info, uncapped->max_decompressed_bytes);
  EXPECT_TRUE(info.warnings.empty()) << info.warnings.front();
}

TEST(GzipSource, CorruptDataIsDataLossNamingTheCapture) {
  std::string gz = Gzip(BuildPcap(Packets(100)));
  for (size_t i = 10; i < 30; ++i) gz[i] = static_cast<char>(0xff);  // invalid deflate blocks
  auto reader = CaptureReader::Open(WriteTempFile("corrupt.pcap.gz", gz), "shown.pcap.gz");
  EXPECT_EQ(reader.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(reader.status().message(), HasSubstr("'shown.pcap.gz'"));
  EXPECT_THAT(reader.status().message(), HasSubstr("gzip"));
}

TEST(GzipSource, CutOrDamagedLaterEndsTheReadingWithAWarning) {
  const std::string gz = Gzip(BuildPcap(Packets(20000)));
  CaptureInfo info;
  const uint64_t cut = ReadAll(WriteTempFile("cut.pcap.gz", gz.substr(0, gz.size() / 2)), &info);
  EXPECT_GT(cut, 0u);
  EXPECT_LT(cut, 20000u);
  ASSERT_FALSE(info.warnings.empty());
  EXPECT_THAT(info.warnings.back(), HasSubstr("ends early"));

  std::string damaged = gz;
  for (size_t i = gz.size() / 2; i < gz.size() / 2 + 64; ++i) damaged[i] ^= 0x5a;
  ReadAll(WriteTempFile("damaged.pcap.gz", damaged), &info);
  EXPECT_FALSE(info.warnings.empty());  // at worst the CRC check at the end fails
}

TEST(GzipSource, CompressedTextIsNotACapture) {
  auto reader =
      CaptureReader::Open(WriteTempFile("notes.gz", Gzip("hello, this is text\n")), "notes.gz");
  EXPECT_EQ(reader.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(reader.status().message(), HasSubstr("gzip-compressed text"));
}

}  // namespace
}  // namespace mcpcap
