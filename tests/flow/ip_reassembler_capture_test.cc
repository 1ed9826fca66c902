// IPv4 reassembly over a real capture, checked against what TShark reports about it.
// zeek__fragmented-3.pcap holds five 1480-byte fragments of one TCP datagram (id 0x4bc5), all
// with MF set: the last fragment was never captured, so TShark reassembles nothing (no
// ip.reassembled_in, zero TCP frames in the oracle) and neither must we.
#include <gtest/gtest.h>
#include <pcap/pcap.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "backend/dissect/decoder.h"
#include "backend/flow/ip_reassembler.h"

namespace mcpcap {
namespace {

namespace fs = std::filesystem;

const fs::path kCaptures = MCPCAP_SHARED_CAPTURES;
const char kFile[] = "zeek__fragmented-3.pcap";

struct CapturedFrame {
  std::vector<uint8_t> data;
  uint32_t wire_length = 0;
  CaptureNanos time = 0;
};

bool ReadFrames(const fs::path& path, int* link_type, std::vector<CapturedFrame>* frames) {
  char err[PCAP_ERRBUF_SIZE];
  pcap_t* pcap = pcap_open_offline(path.c_str(), err);
  if (pcap == nullptr) return false;
  *link_type = pcap_datalink(pcap);
  pcap_pkthdr* header = nullptr;
  const u_char* bytes = nullptr;
  while (pcap_next_ex(pcap, &header, &bytes) == 1) {
    CapturedFrame f;
    f.data.assign(bytes, bytes + header->caplen);
    f.wire_length = header->len;
    f.time = ToCaptureNanos(header->ts.tv_sec, static_cast<uint32_t>(header->ts.tv_usec) * 1000);
    frames->push_back(std::move(f));
  }
  pcap_close(pcap);
  return true;
}

class FragmentedCapture : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(kCaptures / kFile)) GTEST_SKIP() << "no shared captures at " << kCaptures;
    ASSERT_TRUE(ReadFrames(kCaptures / kFile, &link_type_, &frames_));
    ASSERT_EQ(frames_.size(), 5u);
  }

  // Feeds every frame; returns the datagrams completed (frame number, transport decoded).
  std::vector<std::pair<uint64_t, DecodedPacket>> Reassemble(IpReassembler& reassembler) {
    std::vector<std::pair<uint64_t, DecodedPacket>> out;
    for (size_t i = 0; i < frames_.size(); ++i) {
      const CapturedFrame& f = frames_[i];
      DecodedPacket pkt;
      DecodePacket(static_cast<uint16_t>(link_type_), Bytes(f.data.data(), f.data.size()),
                   f.wire_length, &pkt);
      EXPECT_TRUE(pkt.ok());
      if (!pkt.ip.is_fragment) continue;
      ++fragments_;
      FlowAnomalySet anomalies;
      const ReassembledDatagram* d = reassembler.Feed(pkt, i + 1, f.time, &anomalies);
      EXPECT_TRUE(anomalies.empty());
      if (d == nullptr) continue;
      DecodeTransport(d->protocol, d->payload, &pkt);
      out.emplace_back(i + 1, pkt);
      last_ = *d;
    }
    return out;
  }

  int link_type_ = 0;
  std::vector<CapturedFrame> frames_;
  int fragments_ = 0;
  ReassembledDatagram last_;
};

TEST_F(FragmentedCapture, IncompleteDatagramIsNotReassembledAndTimesOutAtFlush) {
  IpReassembler reassembler;
  EXPECT_TRUE(Reassemble(reassembler).empty());
  EXPECT_EQ(reassembler.pending_datagrams(), 1u);
  EXPECT_EQ(reassembler.buffered_bytes(), 5u * 1480);
  reassembler.Flush();
  EXPECT_EQ(reassembler.stats().timed_out, 1u);
  EXPECT_EQ(reassembler.stats().reassembled, 0u);

  // The oracle: TShark's frame counts for this file.
  std::ifstream in(kCaptures / "oracle" / (std::string(kFile) + ".json"));
  if (!in) GTEST_SKIP() << "no oracle for " << kFile;
  const nlohmann::json oracle = nlohmann::json::parse(in);
  const auto& counts = oracle.at("counts");
  EXPECT_EQ(fragments_, counts.at("ipv4_fragments").at("frames").get<int>());
  EXPECT_EQ(0, counts.at("tcp").at("frames").get<int>());  // nothing reassembled into TCP
  EXPECT_EQ(0, counts.at("udp").at("frames").get<int>());
}

TEST_F(FragmentedCapture, WithTheLastFragmentMarkedItReassemblesLikeTshark) {
  // Clearing MF in frame 5 (IP flags byte at Ethernet 14 + 6) makes the datagram complete. On
  // that edited file `tshark -T fields -e ip.reassembled.length -e ip.fragment -e tcp.srcport
  // -e tcp.dstport -e tcp.len -e tcp.seq_raw` says, for frame 5 only:
  //   7400  1,2,3,4,5  1265  21  7380  2223892736
  frames_[4].data[14 + 6] &= static_cast<uint8_t>(~0x20);
  IpReassembler reassembler;
  auto done = Reassemble(reassembler);
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].first, 5u);
  EXPECT_EQ(last_.first_frame, 1u);
  EXPECT_EQ(last_.last_frame, 5u);
  EXPECT_EQ(last_.fragment_count, 5u);
  EXPECT_EQ(last_.payload.size(), 7400u);
  const DecodedPacket& tcp = done[0].second;
  ASSERT_EQ(tcp.l4_kind, L4Kind::kTcp);
  EXPECT_EQ(tcp.src_port, 1265);
  EXPECT_EQ(tcp.dst_port, 21);
  EXPECT_EQ(tcp.payload.size(), 7380u);
  EXPECT_EQ(tcp.tcp.seq, 2223892736u);
  EXPECT_EQ(reassembler.pending_datagrams(), 0u);
}

}  // namespace
}  // namespace mcpcap
