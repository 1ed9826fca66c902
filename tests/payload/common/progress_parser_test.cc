// Fuzz-style progress check: parsers fed random and mangled streams (RESP values and inline
// commands, database packets, noise) through the real StreamFeeder must always return, and every
// Parse call must either consume bytes, ask for more, or reject the side: a parser that loops
// over the same bytes is caught by a view that stops answering after too many reads without a
// Consume.
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "backend/payload/common/stream_feeder.h"
#include "backend/payload/mysql/mysql_parser.h"
#include "backend/payload/postgresql/postgresql_parser.h"
#include "backend/payload/redis/redis_parser.h"
#include "gtest/gtest.h"

namespace mcpcap::payload {
namespace {

// Reads of data() allowed between two Consume calls within one Parse call. A parser reads its
// window a few times per message it frames; thousands without consuming is a loop.
constexpr int kMaxReadsWithoutProgress = 2000;

class GuardView final : public StreamView {
 public:
  GuardView(StreamView& inner, bool* spun) : inner_(inner), spun_(spun) {}
  Bytes data() const override {
    if (++reads_ > kMaxReadsWithoutProgress) {
      *spun_ = true;
      return {};  // an empty window makes any honest parser ask for more
    }
    return inner_.data();
  }
  Position PositionAt(size_t offset) const override { return inner_.PositionAt(offset); }
  void Consume(uint64_t n) override {
    if (n > 0) reads_ = 0;
    inner_.Consume(n);
  }
  bool after_gap() const override { return inner_.after_gap(); }
  bool at_end() const override { return inner_.at_end(); }

 private:
  StreamView& inner_;
  bool* spun_;
  mutable int reads_ = 0;
};

class GuardParser final : public StreamParser {
 public:
  GuardParser(std::unique_ptr<StreamParser> inner, bool* spun)
      : inner_(std::move(inner)), spun_(spun) {}
  ParseStatus Parse(Side from, StreamView& view) override {
    GuardView guard(view, spun_);
    return inner_->Parse(from, guard);
  }
  void OnEnd(Side from) override { inner_->OnEnd(from); }
  void Finish() override { inner_->Finish(); }
  size_t MemoryBytes() const override { return sizeof(*this) + inner_->MemoryBytes(); }

 private:
  std::unique_ptr<StreamParser> inner_;
  bool* spun_;
};

struct Counting : PayloadEvents {
  uint64_t messages = 0;
  uint64_t queries = 0;
  void OnMessage(AppMessage) override { ++messages; }
  void OnQuery(DbQuery) override { ++queries; }
  void OnCredential(Credential) override {}
};

// RESP pieces a server or client may send, whole or cut, and bytes that are no RESP.
std::string RespPiece(std::mt19937& rng) {
  static const std::vector<std::string> kPieces = {
      "*1\r\n$4\r\nPING\r\n",
      "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n",
      "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n",
      "PING\r\n",
      "set a b\n",
      "\r\n",
      "\n",
      "  \t \r\n",
      "+OK\r\n",
      "-ERR unknown command\r\n",
      ":42\r\n",
      "$5\r\nhello\r\n",
      "$-1\r\n",
      "*-1\r\n",
      "*0\r\n",
      "_\r\n",
      "#t\r\n",
      ",3.14\r\n",
      "(12345678901234567890\r\n",
      "%1\r\n+a\r\n:1\r\n",
      "~2\r\n+a\r\n+b\r\n",
      ">3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$1\r\nm\r\n",
      "|1\r\n+ttl\r\n:10\r\n",
      "|0\r\n",
      "=15\r\ntxt:Some string\r\n",
      "!9\r\nSYNTAX x\r\n",
      "*2\r\n*1\r\n:1\r\n|1\r\n+a\r\n+b\r\n:2\r\n",
      "$0\r\n\r\n",
      "*1\r\n",
      "$3\r\nab",
      "\r",
      "|",
      "*",
      "$",
      "*2\r\n$3\r\nGET\r\n",
      "%0\r\n",
      "~0\r\n",
      ">0\r\n",
  };
  std::string piece = kPieces[rng() % kPieces.size()];
  switch (rng() % 8) {
    case 0:  // cut short
      piece.resize(rng() % (piece.size() + 1));
      break;
    case 1: {  // one byte changed
      if (!piece.empty()) piece[rng() % piece.size()] = static_cast<char>(rng() % 256);
      break;
    }
    case 2: {  // noise
      const size_t n = rng() % 16;
      piece.clear();
      for (size_t i = 0; i < n; ++i) piece.push_back(static_cast<char>(rng() % 256));
      break;
    }
    default:
      break;
  }
  return piece;
}

// Random bytes shaped like length-prefixed packets (MySQL: 3-byte LE length and a sequence id;
// PostgreSQL: a type letter and a 4-byte BE length), with random bodies.
std::string PacketPiece(std::mt19937& rng, bool mysql) {
  const size_t body = rng() % 40;
  std::string out;
  if (mysql) {
    out = {static_cast<char>(body), 0, 0, static_cast<char>(rng() % 3)};
  } else {
    static const char kTypes[] = "QPBEDCSHXdcfpRZTDCEN123ntsAGHWVvKI";
    out.push_back(kTypes[rng() % (sizeof(kTypes) - 1)]);
    const uint32_t length = static_cast<uint32_t>(body + 4);
    out += {0, 0, static_cast<char>(length >> 8), static_cast<char>(length & 0xFF)};
  }
  for (size_t i = 0; i < body; ++i) {
    out.push_back(rng() % 3 == 0 ? static_cast<char>(rng() % 256)
                                 : static_cast<char>('a' + rng() % 26));
  }
  if (rng() % 6 == 0) out.resize(rng() % (out.size() + 1));
  return out;
}

// Feeds `rounds` random conversations to parsers made by `make`; returns how many spun.
int SpinningRuns(ParserFactory make, int rounds, std::string (*piece)(std::mt19937&, int)) {
  int spinning = 0;
  for (int round = 0; round < rounds; ++round) {
    std::mt19937 rng(static_cast<uint32_t>(round) + 1);
    Counting events;
    FlowFacts facts;
    bool spun = false;
    GuardParser parser(make(&events, &facts), &spun);
    StreamFeeder feeder(&parser);
    const int chunks = 1 + static_cast<int>(rng() % 30);
    for (int c = 0; c < chunks; ++c) {
      const Side side = rng() % 2 == 0 ? Side::kClient : Side::kServer;
      if (rng() % 25 == 0) {
        feeder.OnGap(side, 1 + rng() % 100);
        continue;
      }
      std::string bytes;
      const int n = 1 + static_cast<int>(rng() % 6);
      for (int i = 0; i < n; ++i) bytes += piece(rng, round);
      // Delivered in random cuts, one frame per chunk.
      size_t pos = 0;
      while (pos < bytes.size()) {
        const size_t len = 1 + rng() % (bytes.size() - pos);
        const auto* p = reinterpret_cast<const uint8_t*>(bytes.data()) + pos;
        feeder.OnData(side, Bytes(p, len),
                      {static_cast<uint64_t>(c) + 1, static_cast<CaptureNanos>(c) * 1000});
        pos += len;
      }
    }
    feeder.Finish();
    if (spun) {
      ++spinning;
      ADD_FAILURE() << "no progress in round " << round;
    }
  }
  return spinning;
}

TEST(ProgressTest, RedisAlwaysConsumesOrAsksForMore) {
  EXPECT_EQ(
      SpinningRuns(MakeRedisParser, 4000, [](std::mt19937& rng, int) { return RespPiece(rng); }),
      0);
}

TEST(ProgressTest, MySqlAlwaysConsumesOrAsksForMore) {
  EXPECT_EQ(SpinningRuns(MakeMySqlParser, 1500,
                         [](std::mt19937& rng, int) { return PacketPiece(rng, true); }),
            0);
}

TEST(ProgressTest, PostgreSqlAlwaysConsumesOrAsksForMore) {
  EXPECT_EQ(SpinningRuns(MakePostgreSqlParser, 1500,
                         [](std::mt19937& rng, int) { return PacketPiece(rng, false); }),
            0);
}

// Valid RESP, cut anywhere: every command is read and answered once.
TEST(ProgressTest, RedisReadsEveryCommandOfAWellFormedStream) {
  for (uint32_t seed = 1; seed <= 200; ++seed) {
    std::mt19937 rng(seed);
    Counting events;
    FlowFacts facts;
    bool spun = false;
    GuardParser parser(MakeRedisParser(&events, &facts), &spun);
    StreamFeeder feeder(&parser);
    std::string client;
    std::string server;
    const int commands = 1 + static_cast<int>(rng() % 20);
    for (int i = 0; i < commands; ++i) {
      if (rng() % 3 == 0) {
        client += absl::StrCat("incr counter", i, rng() % 2 == 0 ? "\r\n" : "\n");
      } else {
        client += absl::StrCat("*2\r\n$4\r\nINCR\r\n$", absl::StrCat("counter", i).size(),
                               "\r\ncounter", i, "\r\n");
      }
      server += rng() % 4 == 0 ? absl::StrCat("|1\r\n+ttl\r\n:-1\r\n:", i, "\r\n")
                               : absl::StrCat(":", i, "\r\n");
    }
    uint64_t frame = 0;
    const std::vector<std::pair<Side, std::string>> sides = {{Side::kClient, client},
                                                             {Side::kServer, server}};
    for (const auto& [side, bytes] : sides) {
      size_t pos = 0;
      while (pos < bytes.size()) {
        const size_t len = 1 + rng() % (bytes.size() - pos);
        const auto* p = reinterpret_cast<const uint8_t*>(bytes.data()) + pos;
        feeder.OnData(side, Bytes(p, len), {++frame, static_cast<CaptureNanos>(frame)});
        pos += len;
      }
    }
    feeder.Finish();
    EXPECT_FALSE(spun) << "seed " << seed;
    EXPECT_EQ(events.queries, static_cast<uint64_t>(commands)) << "seed " << seed;
    EXPECT_EQ(feeder.stop_reason(Side::kClient), "") << "seed " << seed;
    EXPECT_EQ(feeder.stop_reason(Side::kServer), "") << "seed " << seed;
  }
}

}  // namespace
}  // namespace mcpcap::payload
