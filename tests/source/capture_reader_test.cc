#include "backend/source/capture_reader.h"

#include <sys/stat.h>

#include <algorithm>
#include <string>
#include <vector>

#include "backend/base/error_details.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/capture_builder.h"

namespace mcpcap {
namespace {

using testing::BuildPcap;
using testing::Frame;
using ::testing::HasSubstr;
using testing::PcapngBuilder;
using testing::TestPacket;
using testing::WriteTempFile;

std::vector<PacketRecord> ReadAll(CaptureReader& reader) {
  std::vector<PacketRecord> out;
  PacketRecord rec;
  while (reader.Next(&rec)) out.push_back(rec);
  return out;
}

std::unique_ptr<CaptureReader> OpenOrDie(const std::string& path) {
  auto reader = CaptureReader::Open(path, path);
  EXPECT_TRUE(reader.ok()) << reader.status();
  return reader.ok() ? std::move(*reader) : nullptr;
}

std::vector<TestPacket> ThreePackets() {
  return {{1700000000, 5, Frame(60), 0, 0},
          {1700000001, 999999, Frame(1514), 0, 0},
          {1700000002, 0, Frame(100), 1500, 0}};
}

struct PcapVariant {
  bool nanosecond;
  bool big_endian;
};

class PcapVariants : public ::testing::TestWithParam<PcapVariant> {};

TEST_P(PcapVariants, ReadsEveryRecordWithTimesAndLengths) {
  const PcapVariant v = GetParam();
  const std::string path = WriteTempFile(
      "variant.pcap", BuildPcap(ThreePackets(), 113, v.nanosecond, v.big_endian, 4096));
  auto reader = OpenOrDie(path);
  ASSERT_NE(reader, nullptr);
  const auto records = ReadAll(*reader);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(reader->info().format, v.nanosecond ? CaptureFormat::kPcapNsec : CaptureFormat::kPcap);
  EXPECT_EQ(reader->info().big_endian, v.big_endian);
  ASSERT_EQ(reader->info().interfaces.size(), 1u);
  EXPECT_EQ(reader->info().interfaces[0].link_type, 113);
  EXPECT_EQ(reader->info().interfaces[0].snaplen, 4096u);
  EXPECT_EQ(reader->info().interfaces[0].packet_count, 3u);
  EXPECT_EQ(records[0].frame_number, 1u);
  EXPECT_EQ(records[2].frame_number, 3u);
  EXPECT_EQ(records[0].ts_sec, 1700000000);
  EXPECT_EQ(records[0].ts_nsec, v.nanosecond ? 5u : 5000u);
  EXPECT_EQ(records[1].ts_nsec, v.nanosecond ? 999999u : 999999000u);
  EXPECT_EQ(records[1].caplen, 1514u);
  EXPECT_EQ(records[2].caplen, 100u);
  EXPECT_EQ(records[2].origlen, 1500u);
  EXPECT_EQ(records[2].link_type, 113);
  EXPECT_EQ(records[1].data.size(), 1514u);
  EXPECT_EQ(records[1].data[0], 0xab);
  EXPECT_TRUE(reader->info().warnings.empty());
  EXPECT_EQ(reader->bytes_consumed(), reader->info().file_size);
}

INSTANTIATE_TEST_SUITE_P(AllMagics, PcapVariants,
                         ::testing::Values(PcapVariant{false, false}, PcapVariant{false, true},
                                           PcapVariant{true, false}, PcapVariant{true, true}));

TEST(CaptureReader, HeaderOnlyPcapHasNoRecordsAndNoWarning) {
  auto reader = OpenOrDie(WriteTempFile("empty.pcap", BuildPcap({})));
  ASSERT_NE(reader, nullptr);
  EXPECT_TRUE(ReadAll(*reader).empty());
  EXPECT_TRUE(reader->info().warnings.empty());
}

TEST(CaptureReader, FileCutInsideARecordKeepsWhatWasReadAndWarns) {
  const std::string whole = BuildPcap(ThreePackets());
  // Every cut inside the third record (header or data) yields two packets and a warning.
  const size_t third = 24 + 16 + 60 + 16 + 1514;
  for (size_t cut = third + 1; cut < whole.size(); cut += 7) {
    auto reader = OpenOrDie(WriteTempFile("cut.pcap", whole.substr(0, cut)));
    ASSERT_NE(reader, nullptr);
    EXPECT_EQ(ReadAll(*reader).size(), 2u) << "cut at " << cut;
    EXPECT_TRUE(reader->info().cut_short);
    ASSERT_EQ(reader->info().warnings.size(), 1u);
    EXPECT_THAT(reader->info().warnings[0], HasSubstr("after frame 2"));
  }
}

TEST(CaptureReader, AbsurdRecordLengthStopsReadingWithAWarning) {
  std::string bytes = BuildPcap({{1, 0, Frame(10), 0, 0}});
  testing::ByteWriter w(false);
  w.U32(2);
  w.U32(0);
  w.U32(0xfffffff0u);  // caplen
  w.U32(0xfffffff0u);
  bytes += w.bytes();
  auto reader = OpenOrDie(WriteTempFile("absurd.pcap", bytes));
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(ReadAll(*reader).size(), 1u);
  ASSERT_EQ(reader->info().warnings.size(), 1u);
  EXPECT_THAT(reader->info().warnings[0], HasSubstr("corrupt"));
}

TEST(CaptureReader, ErrorsNameTheFileAndTheProblem) {
  struct Case {
    std::string path;
    absl::StatusCode code;
    std::string says;
    v1::ErrorReason reason;
  };
  constexpr auto kNotACapture = v1::ERROR_REASON_NOT_A_CAPTURE_FILE;
  constexpr auto kDamaged = v1::ERROR_REASON_CAPTURE_DAMAGED;
  const std::string dir = ::testing::TempDir();
  const std::vector<Case> cases = {
      {"/nonexistent/x.pcap", absl::StatusCode::kNotFound, "not found",
       v1::ERROR_REASON_CAPTURE_NOT_FOUND},
      {dir, absl::StatusCode::kInvalidArgument, "is a directory", kNotACapture},
      {WriteTempFile("zero.pcap", ""), absl::StatusCode::kInvalidArgument, "empty", kNotACapture},
      {WriteTempFile("text.pcap", "hello, this is text\n"), absl::StatusCode::kInvalidArgument,
       "not a pcap or pcapng file", kNotACapture},
      // gzip is read now (gzip_source_test.cc): a broken gzip stream is lost data.
      {WriteTempFile("gz.pcap", std::string("\x1f\x8b\x08\x00zzzz", 8)),
       absl::StatusCode::kDataLoss, "gzip", kDamaged},
      {WriteTempFile("short.pcap", BuildPcap({}).substr(0, 10)), absl::StatusCode::kDataLoss,
       "cut short", kDamaged},
      {WriteTempFile("v1.pcap", BuildPcap({}, 1, false, false, 65535, 1)),
       absl::StatusCode::kInvalidArgument, "unsupported version 1", kNotACapture},
      {WriteTempFile("ng-short.pcapng", PcapngBuilder().Section().bytes().substr(0, 20)),
       absl::StatusCode::kDataLoss, "section header", kDamaged},
      {"/dev/null", absl::StatusCode::kInvalidArgument, "not a regular file", kNotACapture},
  };
  for (const Case& c : cases) {
    auto reader = CaptureReader::Open(c.path, c.path);
    ASSERT_FALSE(reader.ok()) << c.path;
    EXPECT_EQ(reader.status().code(), c.code) << c.path << ": " << reader.status();
    EXPECT_EQ(ErrorReasonOf(reader.status()), c.reason) << c.path;
    EXPECT_THAT(reader.status().message(), HasSubstr(c.says)) << c.path;
    EXPECT_THAT(reader.status().message(), HasSubstr(c.path));
  }
}

TEST(CaptureReader, UnreadableFileIsPermissionDenied) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads every file; permission cannot be tested";
  const std::string path = WriteTempFile("noperm.pcap", BuildPcap({}));
  ::chmod(path.c_str(), 0);
  auto reader = CaptureReader::Open(path, path);
  EXPECT_EQ(reader.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ErrorReasonOf(reader.status()), v1::ERROR_REASON_CAPTURE_UNREADABLE);
}

class PcapngByteOrder : public ::testing::TestWithParam<bool> {};

TEST_P(PcapngByteOrder, SectionsInterfacesAndResolutions) {
  const bool big = GetParam();
  PcapngBuilder b(big);
  b.Section("x86_64", "Linux 6.1", "mcpcap-test", "first section")
      .Interface(1, 262144, 6, "eth0", "tcp port 80")
      .Interface(0, 65535, 9, "lo0")
      .Packet(0, 1700000000ull * 1000000 + 250000, Frame(60))
      .UnknownBlock(0x0bad, std::string(8, 'z'))  // skipped
      .Packet(1, 1700000001ull * 1000000000 + 123456789, Frame(44))
      .Statistics(0)
      .SimplePacket(Frame(70))
      // A new section restarts interface numbering; 2^-10 s resolution.
      .Section()
      .Interface(101, 0, 0x8a, "raw")
      .Packet(0, (1700000002ull << 10) + 512, Frame(40), 1000);
  auto reader = OpenOrDie(WriteTempFile("multi.pcapng", b.bytes()));
  ASSERT_NE(reader, nullptr);
  const auto records = ReadAll(*reader);
  const CaptureInfo& info = reader->info();
  EXPECT_TRUE(info.warnings.empty()) << info.warnings[0];
  EXPECT_EQ(info.format, CaptureFormat::kPcapng);
  EXPECT_EQ(info.big_endian, big);
  ASSERT_EQ(records.size(), 4u);
  ASSERT_EQ(info.interfaces.size(), 3u);
  ASSERT_EQ(info.sections.size(), 2u);
  EXPECT_EQ(info.sections[0].hardware, "x86_64");
  EXPECT_EQ(info.sections[0].os, "Linux 6.1");
  EXPECT_EQ(info.sections[0].application, "mcpcap-test");
  EXPECT_EQ(info.sections[0].comments, std::vector<std::string>{"first section"});
  EXPECT_EQ(info.interfaces[0].name, "eth0");
  EXPECT_EQ(info.interfaces[0].filter, "tcp port 80");
  EXPECT_EQ(info.interfaces[0].statistics_blocks, 1u);
  EXPECT_EQ(info.interfaces[1].ticks_per_second, 1000000000u);
  EXPECT_EQ(info.interfaces[2].ticks_per_second, 1024u);

  EXPECT_EQ(records[0].link_type, 1);
  EXPECT_EQ(records[0].ts_sec, 1700000000);
  EXPECT_EQ(records[0].ts_nsec, 250000000u);
  EXPECT_EQ(records[1].link_type, 0);
  EXPECT_EQ(records[1].interface_id, 1u);
  EXPECT_EQ(records[1].ts_sec, 1700000001);
  EXPECT_EQ(records[1].ts_nsec, 123456789u);
  EXPECT_EQ(records[2].caplen, 70u);  // simple packet: interface 0 of the section
  EXPECT_EQ(records[2].link_type, 1);
  EXPECT_EQ(records[3].interface_id, 2u);  // global index across sections
  EXPECT_EQ(records[3].link_type, 101);
  EXPECT_EQ(records[3].ts_sec, 1700000002);
  EXPECT_EQ(records[3].ts_nsec, 500000000u);
  EXPECT_EQ(records[3].origlen, 1000u);
  EXPECT_EQ(records[3].frame_number, 4u);
  EXPECT_EQ(info.interfaces[0].packet_count, 2u);
}

INSTANTIATE_TEST_SUITE_P(BothOrders, PcapngByteOrder, ::testing::Bool());

TEST(CaptureReader, PcapngPacketForUndefinedInterfaceStopsWithWarning) {
  PcapngBuilder b;
  b.Section().Interface(1).Packet(0, 1, Frame(60)).Packet(7, 2, Frame(60));
  auto reader = OpenOrDie(WriteTempFile("badif.pcapng", b.bytes()));
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(ReadAll(*reader).size(), 1u);
  ASSERT_EQ(reader->info().warnings.size(), 1u);
  EXPECT_THAT(reader->info().warnings[0], HasSubstr("enhanced packet"));
}

TEST(CaptureReader, PcapngCutAtEveryLengthNeverFailsAfterTheFirstSection) {
  PcapngBuilder b;
  b.Section("hw").Interface(1, 262144, 6, "eth0");
  const size_t header = b.bytes().size();
  b.Packet(0, 10, Frame(60)).Packet(0, 20, Frame(61)).Packet(0, 30, Frame(62));
  const std::string whole = b.bytes();
  // Block boundaries: a file may end there cleanly; anywhere else it is cut short.
  const std::vector<size_t> boundaries = {header, header + 92, header + 188, header + 284};
  ASSERT_EQ(whole.size(), boundaries.back());
  for (size_t cut = header; cut <= whole.size(); ++cut) {
    auto reader = OpenOrDie(WriteTempFile("ngcut.pcapng", whole.substr(0, cut)));
    ASSERT_NE(reader, nullptr);
    const size_t n = ReadAll(*reader).size();
    size_t whole_blocks = 0;
    while (whole_blocks + 1 < boundaries.size() && boundaries[whole_blocks + 1] <= cut) {
      ++whole_blocks;
    }
    EXPECT_EQ(n, whole_blocks) << cut;
    const bool at_boundary =
        std::find(boundaries.begin(), boundaries.end(), cut) != boundaries.end();
    EXPECT_EQ(reader->info().cut_short, !at_boundary) << cut;
  }
}

TEST(CaptureReader, PcapngBadBlockLengthStops) {
  PcapngBuilder b;
  b.Section().Interface(1).Packet(0, 1, Frame(60));
  std::string bytes = b.bytes();
  testing::ByteWriter w(false);
  w.U32(6);
  w.U32(13);  // not a multiple of 4
  bytes += w.bytes() + std::string(8, '\0');
  auto reader = OpenOrDie(WriteTempFile("badlen.pcapng", bytes));
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(ReadAll(*reader).size(), 1u);
  ASSERT_EQ(reader->info().warnings.size(), 1u);
  EXPECT_THAT(reader->info().warnings[0], HasSubstr("invalid length 13"));
}

}  // namespace
}  // namespace mcpcap
