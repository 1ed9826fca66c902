// TcpStreams (backend/flow/tcp_streams.h): each direction reassembled into its sink, connections
// that are not wanted cost nothing, and a SYN that reuses the 5-tuple ends the old connection's
// streams and starts new ones, so the second connection's bytes are read too.
#include "backend/flow/tcp_streams.h"

#include <array>
#include <deque>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace mcpcap {
namespace {

struct RecordingSink : TcpStreamSink {
  int connection = -1;  // which connection the sinks belong to, in creation order
  std::string* log = nullptr;
  void OnData(Bytes data, uint64_t, CaptureNanos) override {
    *log += std::to_string(connection) + ":" + std::string(data.begin(), data.end()) + " ";
  }
  void OnGap(uint64_t) override { *log += std::to_string(connection) + ":gap "; }
  void OnEnd(TcpStreamEnd reason) override {
    *log += std::to_string(connection) + ":" + std::string(TcpStreamEndName(reason)) + " ";
  }
};

class Conversation {
 public:
  Conversation() {
    const uint8_t client[4] = {10, 0, 0, 1}, server[4] = {10, 0, 0, 2};
    client_ = IpAddress::V4(client);
    server_ = IpAddress::V4(server);
  }
  // A segment from the client (up) or the server, with its payload.
  DecodedPacket Segment(bool up, uint16_t flags, uint32_t seq, uint32_t ack,
                        const std::string& payload = "") {
    payloads_.push_back(payload);
    DecodedPacket p;
    p.l3_kind = L3Kind::kIpv4;
    p.l4_kind = L4Kind::kTcp;
    p.ip.protocol = 6;
    p.ip.src = up ? client_ : server_;
    p.ip.dst = up ? server_ : client_;
    p.src_port = up ? 40000 : 53;
    p.dst_port = up ? 53 : 40000;
    p.tcp.seq = seq;
    p.tcp.ack = ack;
    p.tcp.flags = flags;
    const std::string& kept = payloads_.back();
    p.payload = Bytes(reinterpret_cast<const uint8_t*>(kept.data()), kept.size());
    return p;
  }

 private:
  IpAddress client_, server_;
  std::deque<std::string> payloads_;  // the packets' payload views point here
};

// One exchange: handshake from `isn`, "ask" up, "tell" down, FIN both ways.
std::vector<DecodedPacket> Exchange(Conversation& c, uint32_t isn, uint32_t server_isn) {
  const uint16_t kSyn = kTcpSyn, kAck = kTcpAck, kFin = kTcpFin | kTcpAck;
  return {c.Segment(true, kSyn, isn, 0),
          c.Segment(false, kSyn | kAck, server_isn, isn + 1),
          c.Segment(true, kAck, isn + 1, server_isn + 1),
          c.Segment(true, kAck | kTcpPsh, isn + 1, server_isn + 1, "ask"),
          c.Segment(false, kAck | kTcpPsh, server_isn + 1, isn + 4, "tell"),
          c.Segment(false, kFin, server_isn + 5, isn + 4),
          c.Segment(true, kFin, isn + 4, server_isn + 6),
          c.Segment(false, kAck, server_isn + 6, isn + 5)};
}

struct Fixture {
  std::string log;
  int connections = 0;
  TcpStreams<RecordingSink> streams{
      16, nullptr, [this](const DirectedFlowKey&, std::array<RecordingSink, 2>& sinks) {
        for (RecordingSink& s : sinks) {
          s.connection = connections;
          s.log = &log;
        }
        ++connections;
      }};
  void Feed(const std::vector<DecodedPacket>& packets) {
    for (const DecodedPacket& p : packets) streams.OnSegment(p, 1, 0);
  }
};

TEST(TcpStreams, ASecondConnectionOnTheSamePortsIsReadToo) {
  Conversation c;
  Fixture f;
  f.Feed(Exchange(c, 1000, 5000));
  f.Feed(Exchange(c, 90000, 70000));  // same 5-tuple, new initial sequence numbers
  f.streams.Finish();
  EXPECT_EQ(f.connections, 2);
  EXPECT_EQ(f.log, "0:ask 0:tell 0:fin 0:fin 1:ask 1:tell 1:fin 1:fin ");
}

TEST(TcpStreams, AnUnfinishedConnectionEndsWhenItsPortsAreReused) {
  Conversation c;
  Fixture f;
  std::vector<DecodedPacket> first = Exchange(c, 1000, 5000);
  first.resize(4);  // the client asked; no answer, no FIN
  f.Feed(first);
  f.Feed(Exchange(c, 90000, 70000));
  f.streams.Finish();
  EXPECT_EQ(f.log, "0:ask 0:port_reused 0:port_reused 1:ask 1:tell 1:fin 1:fin ");
}

TEST(TcpStreams, ARepeatedSynStaysInItsConnection) {
  Conversation c;
  Fixture f;
  std::vector<DecodedPacket> packets = Exchange(c, 1000, 5000);
  packets.insert(packets.begin() + 1, c.Segment(true, kTcpSyn, 1000, 0));  // sent again
  f.Feed(packets);
  f.streams.Finish();
  EXPECT_EQ(f.connections, 1);
  EXPECT_EQ(f.log, "0:ask 0:tell 0:fin 0:fin ");
}

TEST(TcpStreams, ConnectionsNotWantedKeepNoState) {
  Conversation c;
  std::string log;
  int created = 0;
  TcpStreams<RecordingSink> streams(
      16, [](const DecodedPacket& first) { return !first.payload.empty(); },
      [&](const DirectedFlowKey&, std::array<RecordingSink, 2>& sinks) {
        for (RecordingSink& s : sinks) {
          s.connection = created;
          s.log = &log;
        }
        ++created;
      });
  for (const DecodedPacket& p : Exchange(c, 1000, 5000)) streams.OnSegment(p, 1, 0);
  streams.Finish();
  // Followed from its first data: the client's stream starts there, the server's at its data.
  EXPECT_EQ(created, 1);
  EXPECT_EQ(log, "0:ask 0:tell 0:fin 0:fin ");
}

}  // namespace
}  // namespace mcpcap
