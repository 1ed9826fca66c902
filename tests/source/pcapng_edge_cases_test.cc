// pcapng inputs real writers produce at the edges of the format, read from the captures in
// tests/source/data (made by make_pcapng_edge_cases.py) and from builders: what we accept and
// refuse is what Wireshark accepts and refuses, and times are exact for every offset and
// resolution.
#include <string>
#include <vector>

#include "backend/source/capture_reader.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/capture_builder.h"

namespace mcpcap {
namespace {

using ::testing::HasSubstr;
using testing::PcapngBuilder;
using testing::WriteTempFile;

std::string DataFile(const std::string& name) {
  return std::string(MCPCAP_SOURCE_DATA) + "/" + name;
}

struct Read {
  std::vector<PacketRecord> records;
  CaptureInfo info;
};

Read ReadFile(const std::string& path) {
  Read out;
  auto reader = CaptureReader::Open(path, path);
  EXPECT_TRUE(reader.ok()) << reader.status();
  if (!reader.ok()) return out;
  PacketRecord rec;
  while ((*reader)->Next(&rec)) out.records.push_back(rec);
  out.info = (*reader)->info();
  return out;
}

// Wireshark: "pcapng: Not enough data to handle option of length 200".
TEST(PcapngEdgeCases, SectionHeaderOptionLongerThanItsBlockIsRefusedAsWiresharkDoes) {
  auto reader = CaptureReader::Open(DataFile("shb_option_overrun.pcapng"), "overrun");
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(reader.status().message(), HasSubstr("option that runs past the end"));
}

// Wireshark and libpcap read versions 1.0 and 1.2 only ("pcapng: unknown SHB version 1.3").
TEST(PcapngEdgeCases, SectionVersionsOtherThan1_0And1_2AreRefused) {
  auto reader = CaptureReader::Open(DataFile("shb_minor_version.pcapng"), "v1.3");
  ASSERT_FALSE(reader.ok());
  EXPECT_THAT(reader.status().message(), HasSubstr("unsupported pcapng version 1.3"));
  const Read v12 = ReadFile(DataFile("shb_version_1_2.pcapng"));
  EXPECT_EQ(v12.records.size(), 3u);
  EXPECT_TRUE(v12.info.warnings.empty());
}

TEST(PcapngEdgeCases, LaterSectionOfAnUnknownVersionEndsTheReadingWithAWarning) {
  PcapngBuilder b;
  b.Section().Interface(1).Packet(0, 1, testing::Frame(60)).Section();
  std::string bytes = b.bytes();
  bytes[bytes.size() - 28 + 14] = 1;  // the second section's minor version: 1.1
  const Read r = ReadFile(WriteTempFile("v11.pcapng", bytes));
  EXPECT_EQ(r.records.size(), 1u);
  ASSERT_EQ(r.info.warnings.size(), 1u);
  EXPECT_THAT(r.info.warnings[0], HasSubstr("unsupported pcapng version 1.1"));
}

TEST(PcapngEdgeCases, OffsetsAndResolutionsGiveExactTimesBeforeAndAfterTheEpoch) {
  const Read r = ReadFile(DataFile("ts_offset_resolution.pcapng"));
  ASSERT_EQ(r.records.size(), 6u);
  EXPECT_TRUE(r.info.warnings.empty());
  struct Want {
    int64_t sec;
    uint32_t nsec;
  };
  const std::vector<Want> want = {
      {200000000, 123456000},   // 1.2e9 s + 123456 us, offset -1e9 s
      {1700000000, 987654321},  // 2e8 s + 987654321 ns, offset +1.5e9 s
      {1650000000, 500000000},  // 2^-20 s ticks
      {-87655, 678000000},      // 12345.678 s - 100000 s = -87654.322 s
      {1649996400, 750000000},  // 2^-30 s ticks, offset -3600 s
      {200000000, 654321000},
  };
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(r.records[i].ts_sec, want[i].sec) << i;
    EXPECT_EQ(r.records[i].ts_nsec, want[i].nsec) << i;
  }
}

TEST(PcapngEdgeCases, NegativeTickCountsAndResolutionsFinerThanNanoseconds) {
  PcapngBuilder b;
  b.Section()
      .Interface(1, 262144, 6)      // microseconds
      .Interface(1, 262144, 12)     // picoseconds: only 106 days fit in 63 bits
      .Interface(1, 262144, 0xa8);  // 2^-40 s
  // A writer that subtracts an offset stores times before it as negative counts.
  b.Packet(0, static_cast<uint64_t>(int64_t{-505500000}), testing::Frame(60))
      .Packet(1, 5000000ull * 1000000000000ull + 123456789012ull, testing::Frame(60))
      .Packet(2, (123ull << 40) + (3ull << 38), testing::Frame(60));
  const Read r = ReadFile(WriteTempFile("fine.pcapng", b.bytes()));
  ASSERT_EQ(r.records.size(), 3u);
  EXPECT_EQ(r.records[0].ts_sec, -506);  // -505.5 s: floor, then a positive fraction
  EXPECT_EQ(r.records[0].ts_nsec, 500000000u);
  EXPECT_EQ(r.records[1].ts_sec, 5000000);
  EXPECT_EQ(r.records[1].ts_nsec, 123456789u);  // 64-bit arithmetic would overflow here
  EXPECT_EQ(r.records[2].ts_sec, 123);
  EXPECT_EQ(r.records[2].ts_nsec, 750000000u);
}

TEST(PcapngEdgeCases, EachSectionHasItsOwnInterfacesAndByteOrder) {
  const Read r = ReadFile(DataFile("multi_section.pcapng"));
  EXPECT_TRUE(r.info.warnings.empty());
  ASSERT_EQ(r.info.sections.size(), 3u);
  EXPECT_EQ(r.info.sections[0].hardware, "first hardware");
  EXPECT_EQ(r.info.sections[1].application, "section two");
  EXPECT_EQ(r.info.sections[2].application, "section three");
  ASSERT_EQ(r.info.interfaces.size(), 5u);
  EXPECT_EQ(r.info.interfaces[2].link_type, 101);  // the big-endian section's interface
  EXPECT_EQ(r.info.interfaces[2].ticks_per_second, 1000u);
  EXPECT_EQ(r.info.interfaces[4].ticks_per_second, 1024u);
  ASSERT_EQ(r.records.size(), 7u);
  const std::vector<uint32_t> interfaces = {0, 1, 0, 2, 2, 4, 3};
  for (size_t i = 0; i < interfaces.size(); ++i) {
    EXPECT_EQ(r.records[i].interface_id, interfaces[i]) << i;
  }
  EXPECT_EQ(r.records[2].caplen, 1514u);
  EXPECT_EQ(r.records[2].origlen, 2000u);
  EXPECT_EQ(r.records[3].ts_sec, 1690000000);  // big-endian section, milliseconds
  EXPECT_EQ(r.records[3].ts_nsec, 5000000u);
  EXPECT_EQ(r.records[5].ts_sec, 1710000000);  // 2^-10 s
  EXPECT_EQ(r.records[5].ts_nsec, 500000000u);
  EXPECT_EQ(r.records[6].ts_sec, 1710000010);  // if_tsoffset 10 s
  EXPECT_EQ(r.records[6].ts_nsec, 999999000u);
}

TEST(PcapngEdgeCases, SimplePacketsSayTheyHaveNoTime) {
  PcapngBuilder b;
  b.Section().Interface(1).Packet(0, 5, testing::Frame(60)).SimplePacket(testing::Frame(60));
  const Read r = ReadFile(WriteTempFile("spb.pcapng", b.bytes()));
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_TRUE(r.records[0].has_time);
  EXPECT_FALSE(r.records[1].has_time);
}

TEST(PcapngEdgeCases, PacketOptionRunningPastItsBlockStopsTheReading) {
  PcapngBuilder b;
  b.Section().Interface(1).Packet(0, 1, testing::Frame(60)).Packet(0, 2, testing::Frame(60));
  std::string bytes = b.bytes();
  // Packet blocks are 12 + 20 + 60 bytes; give the last one 4 bytes of "option" whose length
  // claims 40.
  const std::string option("\x01\x00\x28\x00", 4);
  const size_t last = bytes.size() - 92;
  bytes.insert(bytes.size() - 4, option);
  for (size_t at : {last + 4, bytes.size() - 4}) {
    bytes[at] = 96;  // both block lengths
  }
  const Read r = ReadFile(WriteTempFile("epbopt.pcapng", bytes));
  EXPECT_EQ(r.records.size(), 1u);
  ASSERT_EQ(r.info.warnings.size(), 1u);
  EXPECT_THAT(r.info.warnings[0], HasSubstr("enhanced packet"));
}

}  // namespace
}  // namespace mcpcap
