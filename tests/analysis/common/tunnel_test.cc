// Traffic inside UDP tunnels (VXLAN, GENEVE, Teredo, GTP-U) reaches the analyses as the inner
// packet.
#include <string>

#include "backend/analysis/common/decoded_scan.h"
#include "backend/analysis/icmp/icmp.h"
#include "gtest/gtest.h"
#include "tests/testing/capture_builder.h"

namespace mcpcap {
namespace {

std::string Hex(std::initializer_list<int> bytes) {
  std::string out;
  for (int b : bytes) out.push_back(static_cast<char>(b));
  return out;
}

// IPv4 + ICMP echo request 10.9.0.1 -> 10.9.0.2 (checksums are not verified by the decoder).
std::string InnerIcmpIpv4() {
  return Hex({0x45, 0, 0, 28, 0,    1,    0, 0, 64, 1, 0, 0, 10, 9, 0, 1, 10, 9, 0, 2,  // IPv4
              8,    0, 0, 0,  0x12, 0x34, 0, 1});                                       // echo
}

std::string EthernetHeader(int ethertype_hi, int ethertype_lo) {
  return Hex({2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, ethertype_hi, ethertype_lo});
}

// Outer Ethernet/IPv4/UDP to `port` carrying `payload`.
std::string OuterUdp(uint16_t port, const std::string& payload) {
  const int udp_len = 8 + static_cast<int>(payload.size());
  const int ip_len = 20 + udp_len;
  return EthernetHeader(0x08, 0x00) +
         Hex({0x45, 0, ip_len >> 8, ip_len & 0xff, 0, 2, 0, 0, 64, 17, 0, 0, 192,
              0,    2, 1,           192,           0, 2, 2}) +
         Hex({0x30, 0x39, port >> 8, port & 0xff, udp_len >> 8, udp_len & 0xff, 0, 0}) + payload;
}

uint64_t IcmpPacketsFound(const std::string& frame) {
  const std::string path =
      testing::WriteTempFile("tunnel.pcap", testing::BuildPcap({{1700000000, 0, frame, 0, 0}}));
  AnalysisInput input;
  input.source = input.local_path = path;
  v1::AnalyzeIcmpPacketsRequest request;
  auto result = AnalyzeIcmpPackets(input, request);
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? result->icmp_packets_found() : 0;
}

TEST(UdpTunnels, VxlanInnerFrameIsAnalysed) {
  const std::string vxlan =
      Hex({0x08, 0, 0, 0, 0, 0, 42, 0}) + EthernetHeader(0x08, 0x00) + InnerIcmpIpv4();
  EXPECT_EQ(IcmpPacketsFound(OuterUdp(4789, vxlan)), 1u);
}

TEST(UdpTunnels, GeneveInnerFrameIsAnalysed) {
  const std::string geneve =
      Hex({0, 0, 0x65, 0x58, 0, 0, 42, 0}) + EthernetHeader(0x08, 0x00) + InnerIcmpIpv4();
  EXPECT_EQ(IcmpPacketsFound(OuterUdp(6081, geneve)), 1u);
}

TEST(UdpTunnels, VxlanWithoutValidVniIsNotFollowed) {
  const std::string bogus =
      Hex({0, 0, 0, 0, 0, 0, 42, 0}) + EthernetHeader(0x08, 0x00) + InnerIcmpIpv4();
  EXPECT_EQ(IcmpPacketsFound(OuterUdp(4789, bogus)), 0u);
}

TEST(UdpTunnels, GtpUserPlaneInnerPacketIsAnalysed) {
  const std::string plain = Hex({0x30, 0xff, 0, 28, 0, 0, 0, 1}) + InnerIcmpIpv4();
  EXPECT_EQ(IcmpPacketsFound(OuterUdp(2152, plain)), 1u);
  // Sequence number word announcing a PDU session container extension header (4 bytes).
  const std::string extended =
      Hex({0x34, 0xff, 0, 36, 0, 0, 0, 1, 0, 7, 0, 0x85, 1, 0x10, 0x09, 0}) + InnerIcmpIpv4();
  EXPECT_EQ(IcmpPacketsFound(OuterUdp(2152, extended)), 1u);
  // Signalling (not a G-PDU) and an extension chain cut short are not followed.
  const std::string echo = Hex({0x32, 0x01, 0, 4, 0, 0, 0, 0, 0, 1, 0, 0});
  EXPECT_EQ(IcmpPacketsFound(OuterUdp(2152, echo)), 0u);
  const std::string cut = Hex({0x34, 0xff, 0, 8, 0, 0, 0, 1, 0, 7, 0, 0x85, 2, 0x10});
  EXPECT_EQ(IcmpPacketsFound(OuterUdp(2152, cut)), 0u);
}

TEST(UdpTunnels, TeredoCarriesIpv6) {
  // IPv6 + ICMPv6 echo request 2001::1 -> 2001::2.
  std::string ipv6 = Hex({0x60, 0, 0, 0, 0, 8, 58, 64});
  ipv6 += Hex({0x20, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
  ipv6 += Hex({0x20, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2});
  ipv6 += Hex({128, 0, 0, 0, 0, 7, 0, 1});
  EXPECT_EQ(IcmpPacketsFound(OuterUdp(3544, ipv6)), 1u);
}

}  // namespace
}  // namespace mcpcap
