// One direction of TCP reassembled into ordered bytes with explicit gaps.
#include "backend/flow/tcp_reassembler.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "backend/dissect/packet.h"

namespace mcpcap {
namespace {

// Records the stream as text; a gap of n bytes shows as "[gap n]".
class RecordingSink : public TcpStreamSink {
 public:
  void OnData(Bytes data, uint64_t frame_number, CaptureNanos time) override {
    EXPECT_FALSE(end.has_value()) << "data after the end";
    bytes += data.size();
    if (!record) return;
    text.append(data.begin(), data.end());
    frames.push_back(frame_number);
    times.push_back(time);
  }
  void OnGap(uint64_t missing_bytes) override {
    EXPECT_FALSE(end.has_value()) << "gap after the end";
    EXPECT_GT(missing_bytes, 0u);
    text += "[gap " + std::to_string(missing_bytes) + "]";
    gap_bytes += missing_bytes;
  }
  void OnEnd(TcpStreamEnd reason) override {
    EXPECT_FALSE(end.has_value()) << "OnEnd twice";
    end = reason;
  }

  bool record = true;  // off for streams too big to keep
  std::string text;
  uint64_t bytes = 0;
  uint64_t gap_bytes = 0;
  std::vector<uint64_t> frames;
  std::vector<CaptureNanos> times;
  std::optional<TcpStreamEnd> end;
};

Bytes B(const std::string& s) {
  return Bytes(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

constexpr uint32_t kIsn = 1000;
constexpr uint16_t kAck = kTcpAck;

struct Stream {
  RecordingSink sink;
  TcpReassembler r;
  uint64_t frame = 0;
  FlowAnomalySet anomalies;  // of the last segment
  explicit Stream(TcpReassemblyLimits limits = {}) : r(&sink, limits) {}
  void Seg(uint32_t seq, const std::string& data, uint16_t flags = kAck) {
    anomalies = FlowAnomalySet();
    ++frame;
    r.OnSegment(seq, flags, B(data), frame, static_cast<CaptureNanos>(frame) * 1000, &anomalies);
  }
  void Syn(uint32_t isn = kIsn) { Seg(isn, "", kTcpSyn); }
};

TEST(TcpReassembler, InOrderAfterSyn) {
  Stream s;
  s.Syn();
  EXPECT_TRUE(s.r.started());
  s.Seg(kIsn + 1, "hello ");
  s.Seg(kIsn + 7, "world");
  EXPECT_EQ(s.sink.text, "hello world");
  EXPECT_EQ(s.sink.frames, (std::vector<uint64_t>{2, 3}));
  EXPECT_EQ(s.sink.times[1], 3000);
  EXPECT_EQ(s.r.next_offset(), 11u);
  EXPECT_EQ(s.r.stats().delivered_bytes, 11u);
  EXPECT_FALSE(s.sink.end.has_value());
}

TEST(TcpReassembler, ZeroLengthSegmentsAreIgnored) {
  Stream s;
  s.Seg(5000, "");  // a bare ACK does not start the stream
  EXPECT_FALSE(s.r.started());
  s.Seg(7000, "abc");
  s.Seg(7003, "");
  s.Seg(9999, "");  // bogus position, no data: nothing happens
  EXPECT_EQ(s.sink.text, "abc");
  EXPECT_EQ(s.r.stats().out_of_order_segments, 0u);
}

TEST(TcpReassembler, OutOfOrderIsBufferedUntilTheHoleFills) {
  Stream s;
  s.Syn();
  s.Seg(kIsn + 1, "aaaa");
  s.Seg(kIsn + 9, "cccc");
  s.Seg(kIsn + 13, "dddd");
  EXPECT_EQ(s.sink.text, "aaaa");
  EXPECT_EQ(s.r.buffered_bytes(), 8u);
  s.Seg(kIsn + 5, "bbbb");
  EXPECT_EQ(s.sink.text, "aaaabbbbccccdddd");
  EXPECT_EQ(s.r.buffered_bytes(), 0u);
  // Buffered bytes keep the frame that carried them.
  EXPECT_EQ(s.sink.frames, (std::vector<uint64_t>{2, 5, 3, 4}));
  EXPECT_EQ(s.r.stats().out_of_order_segments, 2u);
}

TEST(TcpReassembler, RetransmissionIsDeliveredOnce) {
  Stream s;
  s.Syn();
  s.Seg(kIsn + 1, "abcd");
  s.Seg(kIsn + 1, "abcd");
  s.Seg(kIsn + 3, "cdef");  // overlaps two delivered bytes
  EXPECT_EQ(s.sink.text, "abcdef");
  EXPECT_EQ(s.r.stats().retransmitted_bytes, 6u);
  EXPECT_EQ(s.r.stats().overlap_conflicts, 0u);
  EXPECT_TRUE(s.anomalies.empty());
}

TEST(TcpReassembler, OverlapWithDifferentDataKeepsTheFirstAndIsFlagged) {
  Stream s;
  s.Syn();
  s.Seg(kIsn + 1, "abcd");
  s.Seg(kIsn + 1, "abXd");  // delivered already: checked against history
  EXPECT_TRUE(s.anomalies.Has(FlowAnomaly::kTcpOverlapConflict));
  s.Seg(kIsn + 9, "ijkl");
  s.Seg(kIsn + 9, "iJkl");  // buffered already
  EXPECT_TRUE(s.anomalies.Has(FlowAnomaly::kTcpOverlapConflict));
  s.Seg(kIsn + 5, "efghIJ");  // fills the hole and overlaps the buffered piece, differently
  EXPECT_TRUE(s.anomalies.Has(FlowAnomaly::kTcpOverlapConflict));
  EXPECT_EQ(s.sink.text, "abcdefghijkl");
  EXPECT_EQ(s.r.stats().overlap_conflicts, 3u);
  EXPECT_EQ(s.r.stats().retransmitted_bytes, 4u + 4u + 2u);
}

TEST(TcpReassembler, SegmentSpanningSeveralBufferedPieces) {
  Stream s;
  s.Syn();
  s.Seg(kIsn + 3, "c");
  s.Seg(kIsn + 6, "f");
  s.Seg(kIsn + 2, "bcdefgh");  // still ahead of the hole at offset 0
  EXPECT_EQ(s.r.buffered_bytes(), 7u);
  s.Seg(kIsn + 1, "a");
  EXPECT_EQ(s.sink.text, "abcdefgh");
}

TEST(TcpReassembler, SequenceWrapAround) {
  Stream s;
  const uint32_t isn = 0xfffffff0u;
  s.Syn(isn);
  std::string expected;
  uint32_t seq = isn + 1;
  // 40 bytes cross 2^32; then out of order across it too.
  s.Seg(seq, "0123456789");
  s.Seg(seq + 20, "klmnopqrst");
  s.Seg(seq + 10, "abcdefghij");
  s.Seg(seq + 30, "ABCDEFGHIJ");
  EXPECT_EQ(s.sink.text, "0123456789abcdefghijklmnopqrstABCDEFGHIJ");
  EXPECT_EQ(s.r.next_offset(), 40u);
}

TEST(TcpReassembler, StreamsLongerThanFourGigabytes) {
  // Offsets are 64-bit: walk the sequence space more than once in 60000-byte segments.
  Stream s;
  s.sink.record = false;
  s.Syn(0);
  const std::string chunk(60000, 'x');
  uint32_t seq = 1;
  uint64_t total = 0;
  while (total < (uint64_t{1} << 32) + 120000) {
    s.r.OnSegment(seq, kAck, B(chunk), 1, 0);
    seq += static_cast<uint32_t>(chunk.size());
    total += chunk.size();
  }
  EXPECT_EQ(s.r.next_offset(), total);
  EXPECT_EQ(s.sink.bytes, total);
  EXPECT_EQ(s.r.stats().delivered_bytes, total);
  EXPECT_EQ(s.r.stats().gap_bytes, 0u);
}

TEST(TcpReassembler, MidStreamStartBeginsAtTheFirstDataSegment) {
  Stream s;
  s.Seg(123456, "middle ");
  s.Seg(123463, "of it");
  s.Seg(123450, "before");  // bytes before the start cannot be placed: dropped, counted
  EXPECT_EQ(s.sink.text, "middle of it");
  EXPECT_EQ(s.r.stats().bytes_before_start, 6u);
}

TEST(TcpReassembler, SynWithDataStartsAtIsnPlusOne) {
  Stream s;
  s.Seg(kIsn, "fastopen", kTcpSyn);
  s.Seg(kIsn + 9, "!");
  s.Seg(kIsn, "fastopen", kTcpSyn);  // SYN retransmitted
  EXPECT_EQ(s.sink.text, "fastopen!");
}

TEST(TcpReassembler, KeepAliveIsNotARetransmissionConflict) {
  Stream s;
  s.Syn();
  s.Seg(kIsn + 1, "abc");
  s.Seg(kIsn + 3, std::string(1, '\0'));  // seq = next - 1, one garbage byte
  EXPECT_TRUE(s.anomalies.empty());
  EXPECT_EQ(s.r.stats().retransmitted_bytes, 0u);
  EXPECT_EQ(s.sink.text, "abc");
}

TEST(TcpReassembler, BufferOverflowSkipsTheHoleAsAGap) {
  TcpReassemblyLimits limits;
  limits.max_buffered_bytes = 10;
  Stream s(limits);
  s.Syn();
  s.Seg(kIsn + 1, "aa");
  s.Seg(kIsn + 6, "ffff");   // hole of 3 at offset 2
  s.Seg(kIsn + 10, "jjjj");  // 8 buffered
  EXPECT_TRUE(s.anomalies.empty());
  s.Seg(kIsn + 20, "tttt");  // 12 buffered: over the limit
  EXPECT_TRUE(s.anomalies.Has(FlowAnomaly::kTcpBufferOverflow));
  EXPECT_EQ(s.sink.text, "aa[gap 3]ffffjjjj");
  EXPECT_EQ(s.r.buffered_bytes(), 4u);
  EXPECT_EQ(s.r.stats().buffer_overflows, 1u);
  s.Seg(kIsn + 3, "cde");  // the late bytes are behind the stream now
  s.Seg(kIsn + 14, "nopqrs");
  EXPECT_EQ(s.sink.text, "aa[gap 3]ffffjjjjnopqrstttt");
  EXPECT_EQ(s.r.stats().gap_bytes, 3u);
}

TEST(TcpReassembler, TooManySegmentsAlsoOverflow) {
  TcpReassemblyLimits limits;
  limits.max_buffered_segments = 3;
  Stream s(limits);
  s.Syn();
  for (uint32_t i = 0; i < 4; ++i) s.Seg(kIsn + 2 + 2 * i, "x");  // each behind its own hole
  EXPECT_EQ(s.sink.text, "[gap 1]x");
  EXPECT_EQ(s.r.buffered_segments(), 3u);
}

TEST(TcpReassembler, SkipToAckDeliversBufferedDataAndGaps) {
  Stream s;
  s.Syn();
  s.Seg(kIsn + 1, "ab");
  s.Seg(kIsn + 6, "fg");
  s.Seg(kIsn + 12, "lm");
  s.r.SkipTo(kIsn + 1);  // not ahead: nothing
  EXPECT_EQ(s.sink.text, "ab");
  s.r.SkipTo(kIsn + 10);  // the peer got 0..8: "cde" and "hi" were lost by the capture
  EXPECT_EQ(s.sink.text, "ab[gap 3]fg[gap 2]");
  EXPECT_EQ(s.r.next_offset(), 9u);
  s.Seg(kIsn + 10, "jk");
  EXPECT_EQ(s.sink.text, "ab[gap 3]fg[gap 2]jklm");
  EXPECT_EQ(s.r.stats().gaps, 2u);
}

TEST(TcpReassembler, SkipToBeforeTheStartIsIgnored) {
  Stream s;
  s.r.SkipTo(5000);
  EXPECT_FALSE(s.r.started());
  EXPECT_TRUE(s.sink.text.empty());
}

TEST(TcpReassembler, FinEndsOnceAllDataBeforeItArrived) {
  Stream s;
  s.Syn();
  s.Seg(kIsn + 6, "world", kAck | kTcpFin);  // FIN ahead of a hole
  EXPECT_FALSE(s.sink.end.has_value());
  s.Seg(kIsn + 1, "hello");
  ASSERT_TRUE(s.sink.end.has_value());
  EXPECT_EQ(*s.sink.end, TcpStreamEnd::kFin);
  EXPECT_EQ(s.sink.text, "helloworld");
  EXPECT_TRUE(s.r.ended());
  s.Seg(kIsn + 11, "after");  // nothing after the end
  EXPECT_EQ(s.r.stats().segments_after_end, 1u);
  s.r.Flush();  // no second OnEnd
}

TEST(TcpReassembler, DataPastTheFinIsDropped) {
  Stream s;
  s.Syn();
  s.Seg(kIsn + 8, "xyz");  // buffered, but the FIN below ends the stream at offset 4
  s.Seg(kIsn + 1, "abcd", kAck | kTcpFin);
  EXPECT_EQ(s.sink.text, "abcd");
  EXPECT_EQ(*s.sink.end, TcpStreamEnd::kFin);
}

TEST(TcpReassembler, RstEndsAfterDeliveringWhatWasBuffered) {
  Stream s;
  s.Syn();
  s.Seg(kIsn + 1, "ab");
  s.Seg(kIsn + 5, "ef");
  s.Seg(kIsn + 7, "diagnostic", kTcpRst);
  EXPECT_EQ(s.sink.text, "ab[gap 2]ef");
  ASSERT_TRUE(s.sink.end.has_value());
  EXPECT_EQ(*s.sink.end, TcpStreamEnd::kRst);
}

TEST(TcpReassembler, FlushDeliversWithGapsUpToTheFin) {
  Stream s;
  s.Syn();
  s.Seg(kIsn + 1, "ab");
  s.Seg(kIsn + 5, "ef");
  s.Seg(kIsn + 9, "", kAck | kTcpFin);  // FIN at offset 8: "cd" and "gh" never seen
  s.r.Flush();
  EXPECT_EQ(s.sink.text, "ab[gap 2]ef[gap 2]");
  EXPECT_EQ(*s.sink.end, TcpStreamEnd::kFin);
}

TEST(TcpReassembler, FlushWithoutFinReportsTheReason) {
  Stream s;
  s.Seg(1, "data");
  s.r.Flush(TcpStreamEnd::kEvicted);
  EXPECT_EQ(*s.sink.end, TcpStreamEnd::kEvicted);
  EXPECT_EQ(TcpStreamEndName(TcpStreamEnd::kEvicted), "evicted");
  Stream never_started;
  never_started.r.Flush();
  EXPECT_EQ(*never_started.sink.end, TcpStreamEnd::kEndOfCapture);
}

TEST(TcpReassembler, HistoryLimitStillDeliversCorrectly) {
  TcpReassemblyLimits limits;
  limits.retransmit_check_bytes = 0;  // no conflict checks on delivered data
  Stream s(limits);
  s.Syn();
  s.Seg(kIsn + 1, "abcd");
  s.Seg(kIsn + 1, "XXXX");
  EXPECT_EQ(s.sink.text, "abcd");
  EXPECT_EQ(s.r.stats().retransmitted_bytes, 4u);
  EXPECT_EQ(s.r.stats().overlap_conflicts, 0u);
}

// Splits a known byte string into random segments, shuffles them and repeats some, and checks
// the delivered stream is the original, across several seeds and both start modes.
TEST(TcpReassembler, RandomSegmentationReassemblesTheOriginal) {
  for (unsigned seed = 1; seed <= 40; ++seed) {
    std::mt19937 rng(seed);
    std::string original(20000 + rng() % 20000, '\0');
    for (char& c : original) c = static_cast<char>('a' + rng() % 26);
    const uint32_t isn = rng();  // random ISN: some seeds wrap around 2^32
    struct Piece {
      uint32_t offset;
      std::string data;
    };
    std::vector<Piece> pieces;
    for (size_t at = 0; at < original.size();) {
      const size_t n = std::min<size_t>(1 + rng() % 1500, original.size() - at);
      pieces.push_back({static_cast<uint32_t>(at), original.substr(at, n)});
      // Some retransmissions re-cut the data differently (overlaps with the same bytes).
      if (rng() % 5 == 0) {
        const size_t back = std::min<size_t>(at, rng() % 700);
        pieces.push_back({static_cast<uint32_t>(at - back), original.substr(at - back, n + back)});
      }
      at += n;
    }
    const Piece first = pieces.front();
    std::shuffle(pieces.begin() + 1, pieces.end(), rng);
    const size_t copies = pieces.size() / 10;
    for (size_t i = 0; i < copies; ++i) pieces.push_back(pieces[rng() % pieces.size()]);
    std::shuffle(pieces.begin() + 1, pieces.end(), rng);

    RecordingSink sink;
    TcpReassembler r(&sink);
    const bool with_syn = seed % 2 == 0;
    if (with_syn) {
      r.OnSegment(isn, kTcpSyn, Bytes(), 0, 0);
    } else {
      pieces.insert(pieces.begin(), first);  // mid-stream: the first data segment comes first
    }
    uint64_t frame = 1;
    for (const Piece& p : pieces) {
      r.OnSegment(isn + 1 + p.offset, kAck, B(p.data), frame++, 0);
    }
    r.OnSegment(isn + 1 + static_cast<uint32_t>(original.size()), kAck | kTcpFin, Bytes(), frame,
                0);
    ASSERT_EQ(sink.text, original) << "seed " << seed;
    ASSERT_TRUE(sink.end.has_value()) << "seed " << seed;
    EXPECT_EQ(*sink.end, TcpStreamEnd::kFin);
    EXPECT_EQ(r.stats().overlap_conflicts, 0u) << "seed " << seed;
    EXPECT_GT(r.stats().retransmitted_bytes, 0u) << "seed " << seed;
    EXPECT_EQ(r.stats().gap_bytes, 0u);
  }
}

// With loss: dropping segments must yield the original with exactly the lost ranges as gaps.
TEST(TcpReassembler, RandomLossYieldsExactGaps) {
  for (unsigned seed = 1; seed <= 20; ++seed) {
    std::mt19937 rng(seed);
    std::string original(30000, '\0');
    for (char& c : original) c = static_cast<char>('A' + rng() % 26);
    std::string expected;
    std::vector<std::pair<uint32_t, std::string>> kept;
    uint64_t pending_gap = 0;
    for (size_t at = 0; at < original.size();) {
      const size_t n = std::min<size_t>(1 + rng() % 1000, original.size() - at);
      const bool lost = at > 0 && rng() % 6 == 0;
      if (lost) {
        pending_gap += n;
      } else {
        if (pending_gap > 0) expected += "[gap " + std::to_string(pending_gap) + "]";
        pending_gap = 0;
        expected += original.substr(at, n);
        kept.emplace_back(static_cast<uint32_t>(at), original.substr(at, n));
      }
      at += n;
    }
    if (pending_gap > 0) expected += "[gap " + std::to_string(pending_gap) + "]";
    std::shuffle(kept.begin(), kept.end(), rng);
    RecordingSink sink;
    TcpReassembler r(&sink);
    r.OnSegment(0, kTcpSyn, Bytes(), 0, 0);
    for (const auto& [offset, data] : kept) r.OnSegment(1 + offset, kAck, B(data), 1, 0);
    r.OnSegment(1 + static_cast<uint32_t>(original.size()), kAck | kTcpFin, Bytes(), 2, 0);
    r.Flush();
    ASSERT_EQ(sink.text, expected) << "seed " << seed;
    EXPECT_EQ(*sink.end, TcpStreamEnd::kFin);
  }
}

}  // namespace
}  // namespace mcpcap
