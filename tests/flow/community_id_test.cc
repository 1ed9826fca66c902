// Community ID v1 against tshark's communityid post-dissector, frame by frame, on every capture
// we made and on the shared public ones: TCP, UDP, ICMP and ICMPv6 (paired and one-way types),
// IPv4 and IPv6.
#include "backend/flow/community_id.h"

#include <gtest/gtest.h>
#include <pcap/pcap.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "backend/dissect/decoder.h"
#include "tests/testing/tshark.h"

namespace mcpcap {
namespace {

namespace fs = std::filesystem;

// Our Community ID of every frame, by frame number (empty where we compute none).
std::vector<std::string> OurIds(const std::string& path) {
  std::vector<std::string> ids;
  char err[PCAP_ERRBUF_SIZE];
  pcap_t* pcap = pcap_open_offline(path.c_str(), err);
  if (pcap == nullptr) return ids;
  const int link_type = pcap_datalink(pcap);
  pcap_pkthdr* header = nullptr;
  const u_char* bytes = nullptr;
  while (pcap_next_ex(pcap, &header, &bytes) == 1) {
    DecodedPacket pkt;
    DecodePacket(static_cast<uint16_t>(link_type), Bytes(bytes, header->caplen), header->len, &pkt);
    std::string id;
    if ((pkt.l3_kind == L3Kind::kIpv4 || pkt.l3_kind == L3Kind::kIpv6) && !pkt.ip.is_fragment) {
      CommunityIdTuple tuple{pkt.ip.src, pkt.ip.dst, pkt.ip.protocol, pkt.src_port, pkt.dst_port};
      const bool icmp = pkt.l4_kind == L4Kind::kIcmp || pkt.l4_kind == L4Kind::kIcmpv6;
      if (icmp) {
        tuple.src_port = pkt.icmp.type;
        tuple.dst_port = pkt.icmp.code;
        tuple.has_ports = !pkt.icmp.header_truncated;
      }
      if (pkt.l4_kind == L4Kind::kTcp || pkt.l4_kind == L4Kind::kUdp || icmp) {
        id = CommunityId(tuple);
      }
    }
    ids.push_back(id);
  }
  pcap_close(pcap);
  return ids;
}

std::vector<std::string> Captures() {
  std::vector<std::string> files;
  const fs::path root = fs::path(MCPCAP_EXAMPLES).parent_path();
  // Ours with TCP, UDP, ICMP and ICMPv6 over IPv4 and IPv6 (one tshark start each: a few).
  std::vector<fs::path> dirs = {root / "examples", root / "tests" / "analysis" / "icmp",
                                root / "tests" / "analysis" / "tcp",
                                root / "tests" / "analysis" / "dns"};
  if (fs::exists(MCPCAP_SHARED_CAPTURES)) dirs.push_back(MCPCAP_SHARED_CAPTURES);
  for (const fs::path& dir : dirs) {
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
      const std::string ext = entry.path().extension().string();
      if (entry.is_regular_file() && (ext == ".pcap" || ext == ".pcapng")) {
        files.push_back(entry.path().string());
      }
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(CommunityId, EqualsTsharkOnEveryFrameWeCompute) {
  if (!testing::HaveTshark()) GTEST_SKIP() << "tshark is not installed";
  uint64_t compared = 0;
  for (const std::string& file : Captures()) {
    const std::vector<std::string> ours = OurIds(file);
    const auto rows = testing::TsharkFields(
        file, "--enable-protocol communityid -e frame.number -e communityid -e ip.src -e ipv6.src");
    for (const auto& row : rows) {
      if (row.size() < 4 || row[1].empty()) continue;
      // A frame with more than one IP header (a tunnel, an ICMP error quoting a packet): tshark
      // mixes the layers (e.g. the quoted echo's type with the outer addresses); the spec, Zeek
      // and we take the outer packet's.
      const std::string ip_layers = row[2] + (row[2].empty() || row[3].empty() ? "" : ",") + row[3];
      if (ip_layers.find(',') != std::string::npos) continue;
      const size_t frame = std::stoul(row[0]);
      if (frame == 0 || frame > ours.size() || ours[frame - 1].empty()) continue;
      EXPECT_EQ(ours[frame - 1], row[1]) << file << " frame " << frame;
      ++compared;
    }
  }
  EXPECT_GT(compared, 1000u);
}

TEST(CommunityId, DirectionDoesNotMatterButOneWayIcmpKeepsIt) {
  const uint8_t a[4] = {10, 0, 0, 1}, b[4] = {10, 0, 0, 2};
  CommunityIdTuple out{IpAddress::V4(a), IpAddress::V4(b), 6, 40000, 80};
  CommunityIdTuple back{IpAddress::V4(b), IpAddress::V4(a), 6, 80, 40000};
  EXPECT_EQ(CommunityId(out), CommunityId(back));
  EXPECT_NE(CommunityId(out), CommunityId(out, /*seed=*/1));
  CommunityIdTuple request{IpAddress::V4(a), IpAddress::V4(b), 1, 8, 0};  // echo request
  CommunityIdTuple reply{IpAddress::V4(b), IpAddress::V4(a), 1, 0, 0};    // its reply
  EXPECT_EQ(CommunityId(request), CommunityId(reply));
  CommunityIdTuple unreachable{IpAddress::V4(b), IpAddress::V4(a), 1, 3, 3};
  CommunityIdTuple unreachable_back{IpAddress::V4(a), IpAddress::V4(b), 1, 3, 3};
  EXPECT_NE(CommunityId(unreachable), CommunityId(unreachable_back));
  EXPECT_EQ(CommunityId({IpAddress::V4(a), IpAddress(), 6, 1, 2}), "");
}

}  // namespace
}  // namespace mcpcap
