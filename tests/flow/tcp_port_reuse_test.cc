// Wireshark's port-reuse rule (backend/flow/tcp_port_reuse.h), segment by segment: which SYN
// starts a new connection on a 5-tuple, and what a repeated SYN or a new SYN-ACK does.
#include "backend/flow/tcp_port_reuse.h"

#include "gtest/gtest.h"

namespace mcpcap {
namespace {

constexpr FlowDirection kUp = FlowDirection::kAToB;  // client to server here
constexpr FlowDirection kDown = FlowDirection::kBToA;
constexpr uint16_t kSyn = kTcpSyn, kSynAck = kTcpSyn | kTcpAck, kAck = kTcpAck;

// SYN 1000, SYN-ACK 5000, ACK: a handshake as the connection's first segments.
TcpPortReuse AfterHandshake() {
  TcpPortReuse r;
  EXPECT_EQ(r.Learn(kUp, kSyn, 1000, 0), TcpSynEffect::kNone);
  EXPECT_EQ(r.Learn(kDown, kSynAck, 5000, 1001), TcpSynEffect::kNone);
  EXPECT_EQ(r.Learn(kUp, kAck, 1001, 5001), TcpSynEffect::kNone);
  return r;
}

TEST(TcpPortReuse, ASynWithANewSequenceStartsANewConnection) {
  const TcpPortReuse r = AfterHandshake();
  EXPECT_TRUE(r.StartsNewConnection(kUp, kSyn, 9000));
}

TEST(TcpPortReuse, TheSameSynAgainIsARetransmission) {
  TcpPortReuse r = AfterHandshake();
  EXPECT_FALSE(r.StartsNewConnection(kUp, kSyn, 1000));
  EXPECT_EQ(r.Learn(kUp, kSyn, 1000, 0), TcpSynEffect::kRepeated);
}

TEST(TcpPortReuse, OnlyASynWithoutAckStartsAConnection) {
  const TcpPortReuse r = AfterHandshake();
  EXPECT_FALSE(r.StartsNewConnection(kDown, kSynAck, 7000));
  EXPECT_FALSE(r.StartsNewConnection(kUp, kAck, 9000));
  EXPECT_FALSE(r.StartsNewConnection(kUp, kTcpRst, 9000));
  EXPECT_FALSE(r.StartsNewConnection(kUp, kTcpFin | kTcpAck, 9000));
  EXPECT_TRUE(TcpPortReuse::MayStartNewConnection(kSyn));
  EXPECT_FALSE(TcpPortReuse::MayStartNewConnection(kSynAck));
}

TEST(TcpPortReuse, ASynAckWithANewSequenceMovesItsSideWithinTheConnection) {
  TcpPortReuse r = AfterHandshake();
  EXPECT_EQ(r.Learn(kDown, kSynAck, 7000, 1001), TcpSynEffect::kNewServerIsn);
  EXPECT_EQ(r.Learn(kDown, kSynAck, 7000, 1001), TcpSynEffect::kNone);  // now its start
}

TEST(TcpPortReuse, NothingIsNewBeforeTheSideIsKnown) {
  TcpPortReuse r;
  EXPECT_FALSE(r.StartsNewConnection(kUp, kSyn, 1000));
  // The server's first segment tells the client's start (its ACK minus one), not the server's
  // own SYN: a SYN from the server at any sequence is still its first.
  r.Learn(kDown, kAck, 5001, 1001);
  EXPECT_FALSE(r.StartsNewConnection(kUp, kSyn, 1000));
  EXPECT_TRUE(r.StartsNewConnection(kUp, kSyn, 1234));
}

TEST(TcpPortReuse, WithoutTheHandshakeASideStartsBeforeItsFirstSegment) {
  TcpPortReuse r;
  r.Learn(kUp, kAck | kTcpPsh, 2001, 8001);              // joined mid-stream
  EXPECT_FALSE(r.StartsNewConnection(kUp, kSyn, 2000));  // the SYN of that very connection
  EXPECT_TRUE(r.StartsNewConnection(kUp, kSyn, 2001));
  EXPECT_FALSE(r.StartsNewConnection(kDown, kSyn, 8000));
  EXPECT_TRUE(r.StartsNewConnection(kDown, kSyn, 3));
}

}  // namespace
}  // namespace mcpcap
