// StreamFeeder against a small framed protocol defined here (0xA5, 16-bit length, body): the
// contract every parser relies on, independent of any one real protocol.
#include <string>
#include <vector>

#include "backend/payload/common/stream_feeder.h"
#include "gtest/gtest.h"
#include "tests/payload/parser_harness.h"

namespace mcpcap::payload {
namespace {

using testing::Chunk;
using testing::Feed;
using testing::Recorded;
using testing::SplitMode;

constexpr uint8_t kMagic = 0xA5;
constexpr size_t kLookBytes = 8;  // body bytes the parser reads; the rest is skipped

std::string Message(const std::string& body) {
  std::string m;
  m.push_back(static_cast<char>(kMagic));
  m.push_back(static_cast<char>(body.size() >> 8));
  m.push_back(static_cast<char>(body.size() & 0xff));
  return m + body;
}

class FramedParser : public StreamParser {
 public:
  explicit FramedParser(PayloadEvents* events) : events_(events) {}

  ParseStatus Parse(Side from, StreamView& view) override {
    if (view.after_gap()) {
      const Bytes data = view.data();
      size_t i = 0;
      while (i < data.size() && data[i] != kMagic) ++i;
      view.Consume(i);
      if (i == data.size()) return ParseStatus::kNeedMore;
    }
    for (;;) {
      const Bytes data = view.data();
      if (data.empty()) return ParseStatus::kNeedMore;
      if (data[0] != kMagic) return ParseStatus::kBad;
      if (data.size() < 3) return ParseStatus::kNeedMore;
      const size_t length = (size_t{data[1]} << 8) | data[2];
      const size_t look = std::min(length, kLookBytes);
      if (data.size() < 3 + look) return ParseStatus::kNeedMore;
      AppMessage m;
      m.from = from;
      m.start = view.PositionAt(0);
      m.type = "msg";
      m.summary.assign(reinterpret_cast<const char*>(data.data()) + 3, look);
      m.length = 3 + length;
      events_->OnMessage(std::move(m));
      view.Consume(3 + length);
    }
  }
  size_t MemoryBytes() const override { return sizeof(*this); }

 private:
  PayloadEvents* events_;
};

std::unique_ptr<StreamParser> MakeFramedParser(PayloadEvents* events, FlowFacts*) {
  return std::make_unique<FramedParser>(events);
}

std::vector<std::string> Summaries(const Recorded& r) {
  std::vector<std::string> out;
  for (const AppMessage& m : r.messages) out.push_back(m.summary);
  return out;
}

TEST(StreamFeederTest, EverySplitGivesTheSameMessagesAndFrames) {
  const std::string big(60000, 'z');  // far larger than what the parser looks at
  const std::vector<Chunk> talk = {
      {Side::kClient, Message("one") + Message("two")},  // two messages in one segment
      {Side::kServer, Message("reply-1")},
      {Side::kClient, Message("bigbody-" + big).substr(0, 30000)},
      {Side::kClient, Message("bigbody-" + big).substr(30000)},  // the rest, skipped
      {Side::kClient, Message("three")},
  };
  for (SplitMode mode : testing::kAllSplitModes) {
    const Recorded r = Feed(MakeFramedParser, talk, mode);
    EXPECT_EQ(Summaries(r),
              (std::vector<std::string>{"one", "two", "reply-1", "bigbody-", "three"}))
        << SplitModeName(mode);
    ASSERT_EQ(r.messages.size(), 5u);
    EXPECT_EQ(r.messages[1].start.frame, 1u);  // the second message of frame 1
    EXPECT_EQ(r.messages[2].from, Side::kServer);
    EXPECT_EQ(r.messages[3].start.frame, 3u);
    EXPECT_EQ(r.messages[3].length, 3 + 8 + big.size());
    EXPECT_EQ(r.messages[4].start.frame, 5u);  // found after skipping the big body
    EXPECT_EQ(r.client_stop, "");
  }
}

TEST(StreamFeederTest, GapInsideASkippedBodyIsAbsorbed) {
  const std::string body(5000, 'b');
  const std::string m = Message(body);
  const std::vector<Chunk> talk = {
      {Side::kClient, m.substr(0, 100)},
      {Side::kClient, m.substr(1100), /*gap=*/1000},  // lost bytes the parser skips anyway
      {Side::kClient, Message("after")},
  };
  const Recorded r = Feed(MakeFramedParser, talk);
  EXPECT_EQ(Summaries(r), (std::vector<std::string>{"bbbbbbbb", "after"}));
  EXPECT_EQ(r.client_stop, "");
}

TEST(StreamFeederTest, ParserResyncsAfterAGapInAHeader) {
  const std::string first = Message("first-message");
  const std::vector<Chunk> talk = {
      {Side::kClient, first.substr(0, 5)},  // cut inside: the rest is lost
      {Side::kClient, "junk" + Message("second"), /*gap=*/first.size() - 5},
  };
  const Recorded r = Feed(MakeFramedParser, talk);
  EXPECT_EQ(Summaries(r), (std::vector<std::string>{"second"}));
  EXPECT_EQ(r.client_stop, "");
}

TEST(StreamFeederTest, UnparsableBytesStopOnlyThatSide) {
  const std::vector<Chunk> talk = {
      {Side::kClient, "XYZ not framed"},
      {Side::kServer, Message("fine")},
      {Side::kClient, Message("ignored")},
  };
  const Recorded r = Feed(MakeFramedParser, talk);
  EXPECT_EQ(Summaries(r), (std::vector<std::string>{"fine"}));
  EXPECT_EQ(r.client_stop, "not_recognised");
  EXPECT_EQ(r.server_stop, "");
}

// A parser that never finds what it needs must not make the feeder grow without bound.
class GreedyParser : public StreamParser {
 public:
  ParseStatus Parse(Side, StreamView&) override { return ParseStatus::kNeedMore; }
  size_t MemoryBytes() const override { return sizeof(*this); }
};

TEST(StreamFeederTest, BufferIsBounded) {
  GreedyParser parser;
  FeederLimits limits;
  limits.max_buffered_bytes = 4096;
  StreamFeeder feeder(&parser, limits);
  const std::string piece(1000, 'a');
  for (int i = 0; i < 100; ++i) {
    feeder.OnData(Side::kClient,
                  Bytes(reinterpret_cast<const uint8_t*>(piece.data()), piece.size()),
                  Position{static_cast<uint64_t>(i + 1), 0});
  }
  EXPECT_TRUE(feeder.stopped(Side::kClient));
  EXPECT_EQ(feeder.stop_reason(Side::kClient), "message_too_large");
  EXPECT_EQ(feeder.bytes_seen(Side::kClient), 100000u);
  EXPECT_GE(feeder.bytes_unparsed(Side::kClient), 100000u - 5000u);
}

TEST(StreamFeederTest, LeftoverAtEndIsCounted) {
  const std::vector<Chunk> talk = {
      {Side::kClient, Message("whole") + Message("cut-off").substr(0, 6)}};
  const Recorded r = Feed(MakeFramedParser, talk);
  EXPECT_EQ(Summaries(r), (std::vector<std::string>{"whole"}));
}

}  // namespace
}  // namespace mcpcap::payload
