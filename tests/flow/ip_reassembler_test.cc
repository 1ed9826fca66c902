// IP fragment reassembly through the real decoder: frames built byte by byte, decoded,
// reassembled, then the transport decoded over the result.
#include "backend/flow/ip_reassembler.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "backend/dissect/decoder.h"
#include "tests/flow/fragment_frames.h"

namespace mcpcap {
namespace {

using testing::FragmentIpv4;
using testing::FragmentIpv6;
using testing::Frame;
using testing::Ipv4Fragment;
using testing::Ipv4FragmentFrame;
using testing::Pattern;
using testing::UdpDatagram;

constexpr CaptureNanos kSecond = kNanosPerSecond;

// Feeds frames in order, frame numbers from 1; returns the last completed datagram's UDP
// payload (empty if none) and sets *completed_at to the frame that completed it.
struct Feeder {
  IpReassembler reassembler;
  DecodedPacket pkt;
  uint64_t frame_number = 0;
  FlowAnomalySet anomalies;  // of the last frame
  explicit Feeder(IpReassemblyLimits limits = {}) : reassembler(limits) {}

  const ReassembledDatagram* Feed(const Frame& f, CaptureNanos time = 0) {
    ++frame_number;
    DecodePacket(kLinkTypeRaw, Bytes(f.data(), f.size()), &pkt);
    EXPECT_TRUE(pkt.ip.is_fragment);
    anomalies = FlowAnomalySet();
    return reassembler.Feed(pkt, frame_number, time, &anomalies);
  }
  // Runs the transport decoder over a completed datagram, as a caller would.
  Frame UdpPayload(const ReassembledDatagram& d) {
    DecodeTransport(d.protocol, d.payload, &pkt);
    EXPECT_EQ(pkt.l4_kind, L4Kind::kUdp);
    return Frame(pkt.payload.begin(), pkt.payload.end());
  }
};

const Frame kPayload = Pattern(3000);
const Frame kDatagram = UdpDatagram(5353, 53, kPayload);

TEST(IpReassembler, InOrder) {
  Feeder feeder;
  std::vector<Frame> frags = FragmentIpv4(kDatagram, 1480);
  ASSERT_EQ(frags.size(), 3u);
  EXPECT_EQ(feeder.Feed(frags[0]), nullptr);
  EXPECT_EQ(feeder.Feed(frags[1]), nullptr);
  const ReassembledDatagram* d = feeder.Feed(frags[2]);
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->version, 4);
  EXPECT_EQ(d->protocol, 17);
  EXPECT_EQ(d->id, 0x1234u);
  EXPECT_EQ(d->src.ToString(), "192.0.2.1");
  EXPECT_EQ(d->first_frame, 1u);
  EXPECT_EQ(d->last_frame, 3u);
  EXPECT_EQ(d->fragment_count, 3u);
  EXPECT_EQ(d->payload.size(), kDatagram.size());
  EXPECT_EQ(feeder.UdpPayload(*d), kPayload);
  EXPECT_EQ(feeder.pkt.src_port, 5353);
  EXPECT_EQ(feeder.pkt.dst_port, 53);
  EXPECT_EQ(feeder.reassembler.stats().reassembled, 1u);
  EXPECT_EQ(feeder.reassembler.pending_datagrams(), 0u);
  EXPECT_EQ(feeder.reassembler.buffered_bytes(), 0u);
  EXPECT_TRUE(feeder.anomalies.empty());
}

TEST(IpReassembler, ReverseOrder) {
  Feeder feeder;
  std::vector<Frame> frags = FragmentIpv4(kDatagram, 512);
  std::reverse(frags.begin(), frags.end());
  const ReassembledDatagram* d = nullptr;
  for (const Frame& f : frags) d = feeder.Feed(f);
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->first_frame, 1u);
  EXPECT_EQ(d->last_frame, frags.size());
  EXPECT_EQ(feeder.UdpPayload(*d), kPayload);
}

TEST(IpReassembler, RandomOrderManySeeds) {
  for (unsigned seed = 1; seed <= 20; ++seed) {
    Feeder feeder;
    std::vector<Frame> frags = FragmentIpv4(kDatagram, 8 * (7 + seed % 40));  // under 64 fragments
    std::mt19937 rng(seed);
    std::shuffle(frags.begin(), frags.end(), rng);
    const ReassembledDatagram* d = nullptr;
    for (size_t i = 0; i < frags.size(); ++i) {
      d = feeder.Feed(frags[i]);
      if (i + 1 < frags.size()) {
        ASSERT_EQ(d, nullptr) << "seed " << seed;
      }
    }
    ASSERT_NE(d, nullptr) << "seed " << seed;
    EXPECT_EQ(feeder.UdpPayload(*d), kPayload) << "seed " << seed;
  }
}

TEST(IpReassembler, DuplicatesAreOverlapsWithoutConflict) {
  Feeder feeder;
  std::vector<Frame> frags = FragmentIpv4(kDatagram, 1480);
  feeder.Feed(frags[0]);
  feeder.Feed(frags[0]);
  EXPECT_TRUE(feeder.anomalies.Has(FlowAnomaly::kFragmentOverlap));
  EXPECT_FALSE(feeder.anomalies.Has(FlowAnomaly::kFragmentOverlapConflict));
  feeder.Feed(frags[1]);
  const ReassembledDatagram* d = feeder.Feed(frags[2]);
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->fragment_count, 4u);
  EXPECT_EQ(feeder.UdpPayload(*d), kPayload);
  EXPECT_EQ(feeder.reassembler.stats().overlaps, 1u);
  EXPECT_EQ(feeder.reassembler.stats().overlap_conflicts, 0u);
}

TEST(IpReassembler, PartialOverlapWithSameBytes) {
  Feeder feeder;
  Ipv4Fragment h;
  h.more = true;
  feeder.Feed(Ipv4FragmentFrame(h, kDatagram.data(), 1000));
  h.offset = 800;  // re-sends 800..1000 with a different split
  feeder.Feed(Ipv4FragmentFrame(h, kDatagram.data() + 800, 1600));
  EXPECT_TRUE(feeder.anomalies.Has(FlowAnomaly::kFragmentOverlap));
  h.offset = 2400;
  h.more = false;
  const ReassembledDatagram* d =
      feeder.Feed(Ipv4FragmentFrame(h, kDatagram.data() + 2400, kDatagram.size() - 2400));
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(feeder.UdpPayload(*d), kPayload);
  EXPECT_EQ(feeder.reassembler.stats().overlap_conflicts, 0u);
}

TEST(IpReassembler, ConflictingOverlapKeepsFirstDataAndIsFlagged) {
  Feeder feeder;
  std::vector<Frame> frags = FragmentIpv4(kDatagram, 1480);
  feeder.Feed(frags[1]);
  Frame forged = frags[1];
  forged.back() ^= 0xff;  // same place, one byte different: the second copy must not win
  feeder.Feed(forged);
  EXPECT_TRUE(feeder.anomalies.Has(FlowAnomaly::kFragmentOverlap));
  EXPECT_TRUE(feeder.anomalies.Has(FlowAnomaly::kFragmentOverlapConflict));
  feeder.Feed(frags[0]);
  const ReassembledDatagram* d = feeder.Feed(frags[2]);
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(feeder.UdpPayload(*d), kPayload);
  EXPECT_EQ(feeder.reassembler.stats().overlap_conflicts, 1u);
}

TEST(IpReassembler, DifferentIdsAndProtocolsAreDifferentDatagrams) {
  Feeder feeder;
  Ipv4Fragment a, b;
  b.protocol = 6;  // same addresses and id, other protocol
  std::vector<Frame> fa = FragmentIpv4(kDatagram, 1480, a);
  std::vector<Frame> fb = FragmentIpv4(kDatagram, 1480, b);
  feeder.Feed(fa[0]);
  feeder.Feed(fb[0]);
  feeder.Feed(fa[1]);
  feeder.Feed(fb[1]);
  EXPECT_EQ(feeder.reassembler.pending_datagrams(), 2u);
  ASSERT_NE(feeder.Feed(fa[2]), nullptr);
  const ReassembledDatagram* d = feeder.Feed(fb[2]);
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->protocol, 6);
}

TEST(IpReassembler, TimeoutInCaptureTime) {
  Feeder feeder;
  std::vector<Frame> frags = FragmentIpv4(kDatagram, 1480);
  feeder.Feed(frags[0], 100 * kSecond);
  feeder.Feed(frags[1], 125 * kSecond);
  EXPECT_EQ(feeder.reassembler.stats().timed_out, 0u);
  // 30 s after the first fragment the datagram is gone; the late last fragment starts anew.
  EXPECT_EQ(feeder.Feed(frags[2], 131 * kSecond), nullptr);
  EXPECT_EQ(feeder.reassembler.stats().timed_out, 1u);
  EXPECT_EQ(feeder.reassembler.pending_datagrams(), 1u);
  // A timestamp stepping backwards neither expires nor revives anything.
  feeder.reassembler.ExpireUntil(50 * kSecond);
  EXPECT_EQ(feeder.reassembler.pending_datagrams(), 1u);
  feeder.reassembler.Flush();
  EXPECT_EQ(feeder.reassembler.stats().timed_out, 2u);
  uint64_t reported = 0;
  feeder.reassembler.stats().ForEachCounter([&](absl::string_view name, uint64_t value) {
    if (name == "fragment_timeout") reported = value;
  });
  EXPECT_EQ(reported, 2u);
  EXPECT_EQ(feeder.reassembler.pending_datagrams(), 0u);
  EXPECT_EQ(feeder.reassembler.buffered_bytes(), 0u);
}

TEST(IpReassembler, WithinTimeoutCompletes) {
  Feeder feeder;
  std::vector<Frame> frags = FragmentIpv4(kDatagram, 1480);
  feeder.Feed(frags[0], 0);
  feeder.Feed(frags[1], 29 * kSecond);
  EXPECT_NE(feeder.Feed(frags[2], 30 * kSecond), nullptr);
}

TEST(IpReassembler, TooManyDatagramsDropsTheOldest) {
  IpReassemblyLimits limits;
  limits.max_datagrams = 2;
  Feeder feeder(limits);
  std::vector<std::vector<Frame>> datagrams;
  for (uint16_t id : {1, 2, 3}) {
    Ipv4Fragment h;
    h.id = id;
    datagrams.push_back(FragmentIpv4(kDatagram, 1480, h));
    feeder.Feed(datagrams.back()[0]);
  }
  EXPECT_EQ(feeder.reassembler.stats().dropped_too_many_datagrams, 1u);
  EXPECT_EQ(feeder.reassembler.pending_datagrams(), 2u);
  // Datagram 1 was dropped: its remaining fragments cannot complete it.
  feeder.Feed(datagrams[0][1]);
  EXPECT_EQ(feeder.Feed(datagrams[0][2]), nullptr);
  EXPECT_EQ(feeder.reassembler.stats().dropped_too_many_datagrams, 2u);  // it pushed out id 2
  feeder.Feed(datagrams[2][1]);
  EXPECT_NE(feeder.Feed(datagrams[2][2]), nullptr);
}

TEST(IpReassembler, DatagramOver65535BytesIsDropped) {
  Feeder feeder;
  Ipv4Fragment h;
  h.more = true;
  const Frame data = Pattern(1480);
  feeder.Feed(Ipv4FragmentFrame(h, data.data(), data.size()));
  h.offset = 65528;  // the highest offset: 20 + 65528 + 16 > 65535
  h.more = false;
  EXPECT_EQ(feeder.Feed(Ipv4FragmentFrame(h, data.data(), 16)), nullptr);
  EXPECT_TRUE(feeder.anomalies.Has(FlowAnomaly::kFragmentTooLarge));
  EXPECT_EQ(feeder.reassembler.stats().dropped_too_large, 1u);
  EXPECT_EQ(feeder.reassembler.pending_datagrams(), 0u);
  EXPECT_EQ(feeder.reassembler.stats().dropped_for_limits(), 1u);
}

TEST(IpReassembler, TooManyFragmentsIsDropped) {
  IpReassemblyLimits limits;
  limits.max_fragments_per_datagram = 4;
  Feeder feeder(limits);
  std::vector<Frame> frags = FragmentIpv4(kDatagram, 8);
  for (int i = 0; i < 5; ++i) feeder.Feed(frags[i]);
  EXPECT_TRUE(feeder.anomalies.Has(FlowAnomaly::kFragmentTooMany));
  EXPECT_EQ(feeder.reassembler.stats().dropped_too_many_fragments, 1u);
  EXPECT_EQ(feeder.reassembler.pending_datagrams(), 0u);
}

TEST(IpReassembler, BufferedBytesLimitDropsOldest) {
  IpReassemblyLimits limits;
  limits.max_buffered_bytes = 4000;
  Feeder feeder(limits);
  for (uint16_t id = 1; id <= 3; ++id) {
    Ipv4Fragment h;
    h.id = id;
    feeder.Feed(FragmentIpv4(kDatagram, 1480, h)[0]);
  }
  EXPECT_EQ(feeder.reassembler.stats().dropped_memory, 1u);
  EXPECT_LE(feeder.reassembler.buffered_bytes(), 4000u);
  // A single datagram bigger than the whole budget cannot be kept either.
  Ipv4Fragment h;
  h.id = 9;
  h.offset = 8000;
  h.more = true;
  feeder.Feed(Ipv4FragmentFrame(h, kDatagram.data(), 8));
  EXPECT_LE(feeder.reassembler.buffered_bytes(), 4000u);
}

TEST(IpReassembler, SnaplenTruncatedFragmentIsIgnored) {
  Feeder feeder;
  std::vector<Frame> frags = FragmentIpv4(kDatagram, 1480);
  Frame cut(frags[0].begin(), frags[0].begin() + 100);
  DecodePacket(kLinkTypeRaw, Bytes(cut.data(), cut.size()), static_cast<uint32_t>(frags[0].size()),
               &feeder.pkt);
  FlowAnomalySet anomalies;
  EXPECT_EQ(feeder.reassembler.Feed(feeder.pkt, 1, 0, &anomalies), nullptr);
  EXPECT_TRUE(anomalies.Has(FlowAnomaly::kFragmentTruncated));
  EXPECT_EQ(feeder.reassembler.stats().truncated_fragments, 1u);
  EXPECT_EQ(feeder.reassembler.pending_datagrams(), 0u);
}

TEST(IpReassembler, InconsistentEndsKeepTheFirst) {
  Feeder feeder;
  std::vector<Frame> frags = FragmentIpv4(kDatagram, 1480);
  feeder.Feed(frags[2]);  // sets the end
  Ipv4Fragment h;
  h.offset = 1480;
  h.more = false;  // claims the datagram ends earlier
  feeder.Feed(Ipv4FragmentFrame(h, kDatagram.data() + 1480, 800));
  EXPECT_TRUE(feeder.anomalies.Has(FlowAnomaly::kFragmentBadEnd));
  feeder.Feed(frags[0]);
  const ReassembledDatagram* d = feeder.Feed(frags[1]);
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(feeder.UdpPayload(*d), kPayload);
  EXPECT_EQ(feeder.reassembler.stats().bad_end, 1u);
}

TEST(IpReassembler, Ipv6FragmentHeader) {
  Feeder feeder;
  std::vector<Frame> frags = FragmentIpv6(kDatagram, 1232, 0xdeadbeef);
  ASSERT_EQ(frags.size(), 3u);
  std::swap(frags[0], frags[2]);
  const ReassembledDatagram* d = nullptr;
  for (const Frame& f : frags) d = feeder.Feed(f);
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->version, 6);
  EXPECT_EQ(d->id, 0xdeadbeefu);
  EXPECT_EQ(d->protocol, 17);
  EXPECT_EQ(d->src.ToString(), "2001:db8::1");
  EXPECT_EQ(feeder.UdpPayload(*d), kPayload);
}

TEST(IpReassembler, Ipv6ExtensionHeaderAfterTheFragmentHeader) {
  // Fragmentable part: destination options (8 bytes, next UDP), then the UDP datagram.
  Frame fragmentable = {17, 0, 1, 4, 0, 0, 0, 0};
  fragmentable.insert(fragmentable.end(), kDatagram.begin(), kDatagram.end());
  Feeder feeder;
  std::vector<Frame> frags = FragmentIpv6(fragmentable, 1232, 7, /*next_header=*/60);
  const ReassembledDatagram* d = nullptr;
  for (const Frame& f : frags) d = feeder.Feed(f);
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->protocol, 17);
  EXPECT_EQ(feeder.UdpPayload(*d), kPayload);
}

TEST(IpReassembler, AnomalyNamesAreStable) {
  EXPECT_EQ(FlowAnomalyName(FlowAnomaly::kFragmentOverlap), "fragment_overlap");
  EXPECT_EQ(FlowAnomalyName(FlowAnomaly::kFragmentOverlapConflict), "fragment_overlap_conflict");
  for (int i = 0; i < static_cast<int>(FlowAnomaly::kCount); ++i) {
    EXPECT_NE(FlowAnomalyName(static_cast<FlowAnomaly>(i)), "unknown");
  }
}

}  // namespace
}  // namespace mcpcap
