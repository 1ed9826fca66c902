#include "backend/analysis/capinfos/capinfos.h"

#include "backend/base/proto_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/capture_builder.h"

namespace mcpcap {
namespace {

using testing::BuildPcap;
using testing::Frame;
using testing::PcapngBuilder;
using testing::WriteTempFile;

v1::AnalyzeCapinfosResponse Analyze(const std::string& path,
                                    v1::CapinfosHashes hashes = v1::CAPINFOS_HASHES_NONE,
                                    const std::string& filter = "", uint64_t max_packets = 0) {
  AnalysisInput input;
  input.source = input.local_path = path;
  input.bpf_filter = filter;
  input.max_packets = max_packets;
  v1::AnalyzeCapinfosRequest request;
  request.set_pcap_file(path);
  request.set_hashes(hashes);
  auto result = AnalyzeCapinfos(input, request);
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? *result : v1::AnalyzeCapinfosResponse();
}

TEST(Capinfos, CountsSizesTimesAndRates) {
  const std::string path =
      WriteTempFile("rates.pcap", BuildPcap({{1700000000, 0, Frame(100), 0, 0},
                                             {1700000000, 500000, Frame(200), 0, 0},
                                             {1700000002, 0, Frame(60), 1500, 0}},
                                            1, false, false, 60));
  const auto r = Analyze(path);
  EXPECT_EQ(r.packet_count(), 3u);
  EXPECT_EQ(r.data_size_bytes(), 1800u);  // on-wire lengths, as capinfos
  EXPECT_EQ(r.captured_size_bytes(), 360u);
  EXPECT_EQ(DurationNanos(r.capture_duration()), 2'000'000'000);
  EXPECT_EQ(r.first_packet_time().seconds(), 1700000000);  // 2023-11-14T22:13:20Z
  EXPECT_EQ(r.first_packet_time().nanos(), 0);
  EXPECT_EQ(r.last_packet_time().seconds(), 1700000002);
  EXPECT_EQ(r.last_packet_time().nanos(), 0);
  EXPECT_DOUBLE_EQ(r.data_rate_bytes(), 900.0);
  EXPECT_DOUBLE_EQ(r.data_rate_bits(), 7200.0);
  EXPECT_DOUBLE_EQ(r.average_packet_size_bytes(), 600.0);
  EXPECT_DOUBLE_EQ(r.average_packet_rate(), 1.5);
  EXPECT_EQ(r.file_encapsulation(), "Ethernet");
  EXPECT_EQ(r.file_encapsulation_short(), "ether");
  EXPECT_EQ(r.file_type(), "Wireshark/tcpdump/... - pcap");
  EXPECT_EQ(r.file_time_precision(), v1::TIME_PRECISION_MICROSECONDS);
  EXPECT_EQ(r.packet_size_limit(), 60u);
  EXPECT_EQ(r.packets_cut_by_snaplen(), 1u);
  EXPECT_EQ(r.packet_size_limit_min_inferred(), 60u);
  EXPECT_EQ(r.packet_size_limit_max_inferred(), 60u);
  EXPECT_TRUE(r.strict_time_order());
  EXPECT_EQ(r.filename(), "mcpcap_test_" + std::to_string(::getpid()) + "_rates.pcap");
  EXPECT_EQ(r.capture().packets_read(), 3u);
  EXPECT_EQ(r.capture().format(), v1::CAPTURE_FORMAT_PCAP);
  EXPECT_FALSE(r.has_sha256());  // hashes: "none" leaves every digest out
  EXPECT_FALSE(r.has_sha1());
  EXPECT_FALSE(r.has_ripemd160());
}

TEST(Capinfos, FirstAndLastAreEarliestAndLatestNotFileOrder) {
  const std::string path =
      WriteTempFile("reversed.pcap", BuildPcap({{1700000005, 0, Frame(60), 0, 0},
                                                {1700000001, 250000, Frame(60), 0, 0},
                                                {1700000003, 0, Frame(60), 0, 0}}));
  const auto r = Analyze(path);
  EXPECT_EQ(r.first_packet_time().seconds(), 1700000001);
  EXPECT_EQ(r.first_packet_time().nanos(), 250'000'000);
  EXPECT_EQ(r.last_packet_time().seconds(), 1700000005);
  EXPECT_EQ(DurationNanos(r.capture_duration()), 3'750'000'000);
  EXPECT_FALSE(r.strict_time_order());
}

TEST(Capinfos, SinglePacketHasZeroDurationAndNoRates) {
  const auto r = Analyze(WriteTempFile("one.pcap", BuildPcap({{1700000000, 7, Frame(80), 0, 0}})));
  EXPECT_EQ(r.packet_count(), 1u);
  EXPECT_TRUE(r.has_capture_duration());  // zero, and known
  EXPECT_EQ(DurationNanos(r.capture_duration()), 0);
  EXPECT_EQ(r.data_rate_bytes(), 0.0);
  EXPECT_EQ(r.average_packet_rate(), 0.0);
  EXPECT_EQ(r.average_packet_size_bytes(), 80.0);
}

TEST(Capinfos, DurationHasNoFloatingPointNoise) {
  const auto r = Analyze(WriteTempFile(
      "noise.pcap",
      BuildPcap({{1700000000, 0, Frame(60), 0, 0}, {1700000000, 220000, Frame(60), 0, 0}})));
  EXPECT_EQ(r.capture_duration().seconds(), 0);
  EXPECT_EQ(r.capture_duration().nanos(), 220'000'000);
}

TEST(Capinfos, NanosecondPrecisionIsKept) {
  const auto r = Analyze(WriteTempFile(
      "nano.pcap",
      BuildPcap({{1700000000, 1, Frame(60), 0, 0}, {1700000000, 123456789, Frame(60), 0, 0}}, 1,
                true, true)));
  EXPECT_EQ(r.file_time_precision(), v1::TIME_PRECISION_NANOSECONDS);
  EXPECT_EQ(r.file_type(), "Wireshark/tcpdump/... - nanosecond pcap");
  EXPECT_EQ(r.first_packet_time().seconds(), 1700000000);
  EXPECT_EQ(r.first_packet_time().nanos(), 1);
  EXPECT_EQ(DurationNanos(r.capture_duration()), 123456788);
}

TEST(Capinfos, PcapngPerPacketEncapsulationAndInterfaces) {
  PcapngBuilder b;
  b.Section("hw", "os", "app", "note")
      .Interface(1, 262144, 6, "eth0")
      .Interface(0, 65535, 6, "lo0")
      .Packet(0, 1700000000000000ull, Frame(60))
      .Packet(1, 1700000000500000ull, Frame(40))
      .Packet(0, 1700000001000000ull, Frame(60));
  const auto r = Analyze(WriteTempFile("multi.pcapng", b.bytes()));
  EXPECT_EQ(r.file_encapsulation(), "Per packet");
  EXPECT_EQ(r.file_encapsulation_short(), "per-packet");
  EXPECT_EQ(r.file_type(), "Wireshark/... - pcapng");
  EXPECT_FALSE(r.has_packet_size_limit());               // pcapng: per interface only
  EXPECT_FALSE(r.has_packet_size_limit_min_inferred());  // nothing was cut
  EXPECT_EQ(r.file_time_precision(), v1::TIME_PRECISION_MICROSECONDS);
  ASSERT_EQ(r.interfaces_size(), 2);
  EXPECT_EQ(r.interfaces(0).encapsulation(), "Ethernet");
  EXPECT_EQ(r.interfaces(0).packet_count(), 2u);
  EXPECT_EQ(r.interfaces(0).time_precision(), v1::TIME_PRECISION_MICROSECONDS);
  EXPECT_EQ(r.interfaces(1).encapsulation(), "NULL/Loopback");
  EXPECT_EQ(r.interfaces(1).name(), "lo0");
  EXPECT_EQ(r.packets_by_encapsulation().at("Ethernet"), 2u);
  EXPECT_EQ(r.packets_by_encapsulation().at("NULL/Loopback"), 1u);
  EXPECT_EQ(r.capture_hardware(), "hw");
  EXPECT_EQ(r.capture_os(), "os");
  EXPECT_EQ(r.capture_application(), "app");
  ASSERT_EQ(r.capture_comments_size(), 1);
  EXPECT_EQ(r.capture_comments(0), "note");
}

TEST(Capinfos, HeaderOnlyCaptureIsAResultWithAWarning) {
  const auto r = Analyze(WriteTempFile("hdr.pcap", BuildPcap({})));
  EXPECT_EQ(r.packet_count(), 0u);
  EXPECT_EQ(r.file_encapsulation(), "Ethernet");
  EXPECT_THAT(r.capture().warnings(), ::testing::Contains("the capture holds no packets"));
}

TEST(Capinfos, CutFileReportsWhatWasReadAndWarns) {
  const std::string whole =
      BuildPcap({{1700000000, 0, Frame(60), 0, 0}, {1700000001, 0, Frame(60), 0, 0}});
  const auto r = Analyze(WriteTempFile("cut.pcap", whole.substr(0, whole.size() - 5)));
  EXPECT_EQ(r.packet_count(), 1u);
  EXPECT_TRUE(r.cut_short());
  ASSERT_EQ(r.capture().warnings_size(), 1);
  EXPECT_THAT(r.capture().warnings(0), ::testing::HasSubstr("middle of a record"));
}

TEST(Capinfos, MaxPacketsAndFilterLimitTheCount) {
  const std::string path = WriteTempFile(
      "limit.pcap",
      BuildPcap({{1, 0, Frame(60), 0, 0}, {2, 0, Frame(60), 0, 0}, {3, 0, Frame(60), 0, 0}}));
  const auto limited = Analyze(path, v1::CAPINFOS_HASHES_NONE, "", 2);
  EXPECT_EQ(limited.packet_count(), 2u);
  EXPECT_TRUE(limited.capture().packet_limit_reached());
  const auto filtered =
      Analyze(path, v1::CAPINFOS_HASHES_NONE, "tcp");  // filler frames are not TCP
  EXPECT_EQ(filtered.packet_count(), 0u);
  EXPECT_EQ(filtered.capture().packets_read(), 3u);
}

TEST(Capinfos, HashesOfTheWholeFile) {
  // The expected SHA-256 of this 24-byte header-only pcap was computed with Python's hashlib.
  const std::string path = WriteTempFile("hash.pcap", BuildPcap({}));
  const auto r = Analyze(path, v1::CAPINFOS_HASHES_ALL);
  EXPECT_EQ(r.sha256().size(), 64u);
  EXPECT_EQ(r.sha1().size(), 40u);
  EXPECT_EQ(r.ripemd160().size(), 40u);
  EXPECT_EQ(r.sha256(), "acc530668c8bc60b2d229281130b1899bfc81d70fdada5c34b3236c628f739c8");
  const auto sha256_only = Analyze(path, v1::CAPINFOS_HASHES_SHA256);
  const auto by_default = Analyze(path, v1::CAPINFOS_HASHES_UNSPECIFIED);  // as "sha256"
  EXPECT_EQ(by_default.sha256(), r.sha256());
  EXPECT_FALSE(by_default.has_sha1());
  EXPECT_EQ(sha256_only.sha256(), r.sha256());
  EXPECT_FALSE(sha256_only.has_sha1());  // not asked for: absent, not ""
  EXPECT_FALSE(sha256_only.has_ripemd160());
}

// capinfos: a record without a time makes the order "Unknown" and the times "n/a".
TEST(Capinfos, SimplePacketsWithoutTimesLeaveTimesOut) {
  PcapngBuilder b;
  b.Section().Interface(1).Packet(0, 1700000000ull * 1000000, Frame(60)).SimplePacket(Frame(70));
  const auto r = Analyze(WriteTempFile("spb.pcapng", b.bytes()));
  EXPECT_EQ(r.packet_count(), 2u);
  EXPECT_EQ(r.data_size_bytes(), 130u);
  EXPECT_FALSE(r.has_strict_time_order());
  EXPECT_FALSE(r.has_first_packet_time());
  EXPECT_FALSE(r.has_last_packet_time());
  EXPECT_FALSE(r.has_capture_duration());
  EXPECT_DOUBLE_EQ(r.average_packet_size_bytes(), 65.0);
}

// Wireshark strips SunATM's 4-byte pseudo-header before counting lengths.
TEST(Capinfos, PseudoHeadersAreNotData) {
  const auto r = Analyze(WriteTempFile(
      "sunatm.pcap",
      BuildPcap({{1700000000, 0, Frame(100), 0, 0}, {1700000001, 0, Frame(60), 200, 0}}, 123)));
  EXPECT_EQ(r.data_size_bytes(), 96u + 196u);
  EXPECT_EQ(r.packets_cut_by_snaplen(), 1u);
  EXPECT_EQ(r.packet_size_limit_min_inferred(), 56u);
}

// A microsecond field of 1000000 or more carries into the seconds (Wireshark keeps the value).
TEST(Capinfos, FractionOfAWholeSecondCarries) {
  const auto r =
      Analyze(WriteTempFile("frac.pcap", BuildPcap({{1418145370, 1000000, Frame(60), 0, 0}})));
  EXPECT_EQ(r.first_packet_time().seconds(), 1418145371);  // 2014-12-09T17:16:11Z
  EXPECT_EQ(r.first_packet_time().nanos(), 0);
}

TEST(Capinfos, BadArgumentsAreErrors) {
  AnalysisInput input;
  input.source = input.local_path = WriteTempFile("args.pcap", BuildPcap({}));
  v1::AnalyzeCapinfosRequest request;
  request.set_hashes(static_cast<v1::CapinfosHashes>(99));  // a number outside the enum
  EXPECT_EQ(AnalyzeCapinfos(input, request).status().code(), absl::StatusCode::kInvalidArgument);
  request.set_hashes(v1::CAPINFOS_HASHES_NONE);
  input.bpf_filter = "not a filter (";
  EXPECT_EQ(AnalyzeCapinfos(input, request).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(Capinfos, CancellationStopsTheScan) {
  std::vector<testing::TestPacket> many(10000, {1, 0, Frame(60), 0, 0});
  AnalysisInput input;
  input.source = input.local_path = WriteTempFile("cancel.pcap", BuildPcap(many));
  input.cancelled = [] { return true; };
  v1::AnalyzeCapinfosRequest request;
  request.set_hashes(v1::CAPINFOS_HASHES_NONE);
  EXPECT_EQ(AnalyzeCapinfos(input, request).status().code(), absl::StatusCode::kCancelled);
}

}  // namespace
}  // namespace mcpcap
