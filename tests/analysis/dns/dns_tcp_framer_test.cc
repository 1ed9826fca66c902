// The DNS-over-TCP framer fed the same stream in every way it can be split.
#include "backend/dissect/dns_tcp_framer.h"

#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace mcpcap {
namespace {

std::vector<uint8_t> Stream(const std::vector<size_t>& lengths) {
  std::vector<uint8_t> s;
  uint8_t fill = 1;
  for (size_t len : lengths) {
    s.push_back(static_cast<uint8_t>(len >> 8));
    s.push_back(static_cast<uint8_t>(len));
    for (size_t i = 0; i < len; ++i) s.push_back(fill);
    ++fill;
  }
  return s;
}

// Feeds `stream` cut at `cuts` and returns the messages as strings.
std::vector<std::string> Feed(const std::vector<uint8_t>& stream, std::vector<size_t> cuts,
                              DnsFrameStatus* last = nullptr) {
  DnsTcpFramer framer;
  std::vector<std::string> out;
  cuts.push_back(stream.size());
  size_t from = 0;
  DnsFrameStatus s = DnsFrameStatus::kNeedMore;
  for (size_t cut : cuts) {
    // An exact-size copy per piece, so that reading past a piece trips sanitizers.
    std::vector<uint8_t> piece(stream.begin() + from, stream.begin() + cut);
    Bytes in(piece);
    Bytes msg;
    while ((s = framer.Next(&in, &msg)) == DnsFrameStatus::kMessage) {
      out.emplace_back(msg.begin(), msg.end());
    }
    EXPECT_TRUE(in.empty());
    from = cut;
  }
  if (last != nullptr) *last = s;
  return out;
}

const std::vector<size_t> kLengths = {12, 300, 12, 65535, 40};

TEST(DnsTcpFramer, WholeStreamInOnePiece) {
  const auto stream = Stream(kLengths);
  const auto msgs = Feed(stream, {});
  ASSERT_EQ(msgs.size(), kLengths.size());
  for (size_t i = 0; i < msgs.size(); ++i) {
    EXPECT_EQ(msgs[i].size(), kLengths[i]);
    EXPECT_EQ(static_cast<uint8_t>(msgs[i][0]), i + 1);
  }
}

TEST(DnsTcpFramer, OneByteAtATime) {
  const auto stream = Stream({12, 33, 12});
  std::vector<size_t> cuts;
  for (size_t i = 1; i < stream.size(); ++i) cuts.push_back(i);
  const auto msgs = Feed(stream, cuts);
  ASSERT_EQ(msgs.size(), 3u);
  EXPECT_EQ(msgs[1], std::string(33, '\x02'));
}

TEST(DnsTcpFramer, EverySingleCut) {
  const auto stream = Stream({20, 14, 30});
  const auto whole = Feed(stream, {});
  for (size_t cut = 1; cut < stream.size(); ++cut) EXPECT_EQ(Feed(stream, {cut}), whole) << cut;
}

TEST(DnsTcpFramer, RandomSplits) {
  const auto stream = Stream(kLengths);
  const auto whole = Feed(stream, {});
  std::mt19937 rng(42);
  for (int round = 0; round < 200; ++round) {
    std::vector<size_t> cuts;
    const int n = std::uniform_int_distribution<int>(1, 40)(rng);
    for (int i = 0; i < n; ++i) {
      cuts.push_back(std::uniform_int_distribution<size_t>(1, stream.size() - 1)(rng));
    }
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    ASSERT_EQ(Feed(stream, cuts), whole) << "round " << round;
  }
}

TEST(DnsTcpFramer, NeedMoreThenBad) {
  DnsFrameStatus last;
  auto stream = Stream({12});
  stream.pop_back();
  EXPECT_TRUE(Feed(stream, {}, &last).empty());
  EXPECT_EQ(last, DnsFrameStatus::kNeedMore);

  auto bad = Stream({12});
  bad.insert(bad.end(), {0, 3, 1, 2, 3});  // a 3-byte "message" cannot be DNS
  const auto msgs = Feed(bad, {15}, &last);
  EXPECT_EQ(msgs.size(), 1u);
  EXPECT_EQ(last, DnsFrameStatus::kBad);
}

TEST(DnsTcpFramer, ResetAfterGap) {
  DnsTcpFramer framer;
  auto stream = Stream({20});
  Bytes in(stream.data(), 10);
  Bytes msg;
  EXPECT_EQ(framer.Next(&in, &msg), DnsFrameStatus::kNeedMore);
  EXPECT_EQ(framer.pending(), 10u);
  framer.Reset();
  EXPECT_EQ(framer.pending(), 0u);
  Bytes again(stream);
  EXPECT_EQ(framer.Next(&again, &msg), DnsFrameStatus::kMessage);
  EXPECT_EQ(msg.size(), 20u);
}

}  // namespace
}  // namespace mcpcap
