#include "backend/source/bpf_filter.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mcpcap {
namespace {

// Ethernet + IPv4 + TCP 10.0.0.1:1234 -> 10.0.0.2:80, no payload.
std::string TcpFrame() {
  const unsigned char bytes[] = {
      0,    1,    2, 3,  4, 5, 6, 7, 8,  9, 10, 11, 0x08, 0x00,                         // ethernet
      0x45, 0,    0, 40, 0, 1, 0, 0, 64, 6, 0,  0,  10,   0,    0,    1, 10, 0, 0, 2,   // ipv4
      0x04, 0xd2, 0, 80, 0, 0, 0, 1, 0,  0, 0,  0,  0x50, 0x02, 0x20, 0, 0,  0, 0, 0};  // tcp SYN
  return std::string(reinterpret_cast<const char*>(bytes), sizeof bytes);
}

PacketRecord Record(const std::string& frame, uint16_t link_type) {
  PacketRecord rec;
  rec.data = Bytes(reinterpret_cast<const uint8_t*>(frame.data()), frame.size());
  rec.caplen = rec.origlen = static_cast<uint32_t>(frame.size());
  rec.link_type = link_type;
  return rec;
}

TEST(BpfFilter, MatchesLikeTcpdump) {
  const std::string frame = TcpFrame();
  auto port80 = BpfFilter::Create("tcp port 80", 1);
  ASSERT_TRUE(port80.ok()) << port80.status();
  EXPECT_TRUE((*port80)->Matches(Record(frame, 1)));
  auto udp = BpfFilter::Create("udp", 1);
  ASSERT_TRUE(udp.ok());
  EXPECT_FALSE((*udp)->Matches(Record(frame, 1)));
  auto host = BpfFilter::Create("src host 10.0.0.1 and tcp[tcpflags] & tcp-syn != 0", 1);
  ASSERT_TRUE(host.ok());
  EXPECT_TRUE((*host)->Matches(Record(frame, 1)));
}

TEST(BpfFilter, CompilesPerLinkType) {
  // The same IPv4 packet without its Ethernet header, as raw IP (link type 101).
  const std::string raw = TcpFrame().substr(14);
  auto filter = BpfFilter::Create("tcp port 80", 1);
  ASSERT_TRUE(filter.ok());
  EXPECT_TRUE((*filter)->Matches(Record(raw, 101)));
  EXPECT_TRUE((*filter)->Matches(Record(TcpFrame(), 1)));
}

TEST(BpfFilter, BadExpressionIsInvalidArgumentWithLibpcapsReason) {
  auto filter = BpfFilter::Create("tcp port eighty and", 1);
  ASSERT_FALSE(filter.ok());
  EXPECT_EQ(filter.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(filter.status().message(), ::testing::HasSubstr("tcp port eighty and"));
}

}  // namespace
}  // namespace mcpcap
