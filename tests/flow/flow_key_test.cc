// The canonical 5-tuple: both directions share one key; the direction tells them apart.
#include "backend/flow/flow_key.h"

#include <gtest/gtest.h>

#include "absl/container/flat_hash_set.h"

namespace mcpcap {
namespace {

IpAddress V4(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
  const uint8_t bytes[4] = {a, b, c, d};
  return IpAddress::V4(bytes);
}

TEST(FlowKey, BothDirectionsShareOneKey) {
  const IpAddress client = V4(10, 0, 0, 2), server = V4(10, 0, 0, 1);
  DirectedFlowKey up = MakeFlowKey(client, 51000, server, 443, 6);
  DirectedFlowKey down = MakeFlowKey(server, 443, client, 51000, 6);
  EXPECT_EQ(up.key, down.key);
  EXPECT_NE(up.direction, down.direction);
  EXPECT_EQ(Reverse(up.direction), down.direction);
  // Endpoint a is the smaller (address, port).
  EXPECT_EQ(up.key.a, server);
  EXPECT_EQ(up.key.port_a, 443);
  EXPECT_EQ(up.direction, FlowDirection::kBToA);
}

TEST(FlowKey, EveryFieldIsPartOfTheIdentity) {
  const IpAddress x = V4(1, 2, 3, 4), y = V4(5, 6, 7, 8);
  absl::flat_hash_set<FlowKey> keys;
  keys.insert(MakeFlowKey(x, 1, y, 2, 6).key);
  keys.insert(MakeFlowKey(x, 1, y, 2, 17).key);  // protocol
  keys.insert(MakeFlowKey(x, 1, y, 3, 6).key);   // port
  keys.insert(MakeFlowKey(x, 1, V4(5, 6, 7, 9), 2, 6).key);
  keys.insert(MakeFlowKey(y, 2, x, 1, 6).key);  // same as the first
  EXPECT_EQ(keys.size(), 4u);
}

TEST(FlowKey, SameAddressDifferentPortsAndSelfTraffic) {
  const IpAddress lo = V4(127, 0, 0, 1);
  DirectedFlowKey a = MakeFlowKey(lo, 5000, lo, 80, 6);
  DirectedFlowKey b = MakeFlowKey(lo, 80, lo, 5000, 6);
  EXPECT_EQ(a.key, b.key);
  EXPECT_EQ(a.direction, FlowDirection::kBToA);
  EXPECT_EQ(MakeFlowKey(lo, 7, lo, 7, 17).direction, FlowDirection::kAToB);
}

TEST(FlowKey, FromDecodedPacketUsesPortsOnlyForTcpAndUdp) {
  DecodedPacket p;
  p.l3_kind = L3Kind::kIpv4;
  p.ip.src = V4(1, 1, 1, 1);
  p.ip.dst = V4(2, 2, 2, 2);
  p.ip.protocol = 1;
  p.l4_kind = L4Kind::kIcmp;
  p.src_port = 99;  // stale values must not leak into the key
  DirectedFlowKey k = FlowKeyOf(p);
  EXPECT_EQ(k.key.port_a, 0);
  EXPECT_EQ(k.key.port_b, 0);
  EXPECT_EQ(k.key.protocol, 1);
  p.l4_kind = L4Kind::kUdp;
  p.ip.protocol = 17;
  p.dst_port = 53;
  k = FlowKeyOf(p);
  EXPECT_EQ(k.key.port_a, 99);
  EXPECT_EQ(k.key.port_b, 53);
  EXPECT_EQ(k.direction, FlowDirection::kAToB);
}

}  // namespace
}  // namespace mcpcap
