// Drives a StreamParser the way the capture scan does (through StreamFeeder), from a scripted
// conversation, with the bytes split in different ways, and records what it reports. Parser tests
// check that every split gives the same events.
//
//   std::vector<Chunk> talk = {{Side::kServer, greeting}, {Side::kClient, login}, ...};
//   Recorded r = FeedEverySplit(MakeMySqlParser, talk);  // checks every split agrees
//   EXPECT_EQ(r.queries.size(), 3);
#ifndef MCPCAP_TESTS_PAYLOAD_PARSER_HARNESS_H_
#define MCPCAP_TESTS_PAYLOAD_PARSER_HARNESS_H_

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "backend/payload/common/app_events.h"
#include "backend/payload/common/stream_feeder.h"
#include "backend/payload/common/stream_parser.h"
#include "gtest/gtest.h"

namespace mcpcap::payload::testing {

// One transmission: bytes sent by one side, carried by frame (index + 1) at time index ms.
// A chunk with gap > 0 and no bytes stands for `gap` lost bytes of that side.
struct Chunk {
  Side from = Side::kClient;
  std::string bytes;
  uint64_t gap = 0;
};

struct Recorded : PayloadEvents {
  std::vector<AppMessage> messages;
  std::vector<DbQuery> queries;
  std::vector<Credential> credentials;
  FlowFacts facts;
  std::string client_stop;  // StreamFeeder::stop_reason per side
  std::string server_stop;

  void OnMessage(AppMessage m) override { messages.push_back(std::move(m)); }
  void OnQuery(DbQuery q) override { queries.push_back(std::move(q)); }
  void OnCredential(Credential c) override { credentials.push_back(std::move(c)); }
};

enum class SplitMode { kAsSent, kByteByByte, kRandom, kRandomTiny };
inline constexpr SplitMode kAllSplitModes[] = {SplitMode::kAsSent, SplitMode::kByteByByte,
                                               SplitMode::kRandom, SplitMode::kRandomTiny};
inline const char* SplitModeName(SplitMode m) {
  switch (m) {
    case SplitMode::kAsSent:
      return "as_sent";
    case SplitMode::kByteByByte:
      return "byte_by_byte";
    case SplitMode::kRandom:
      return "random";
    case SplitMode::kRandomTiny:
      return "random_tiny";
  }
  return "?";
}

// Feeds the conversation to a new parser made by `make`, each chunk cut into pieces per `mode`
// (all pieces of a chunk carry the chunk's frame), then finishes the flow.
inline Recorded Feed(ParserFactory make, const std::vector<Chunk>& talk,
                     SplitMode mode = SplitMode::kAsSent, uint32_t seed = 1) {
  Recorded out;
  std::unique_ptr<StreamParser> parser = make(&out, &out.facts);
  StreamFeeder feeder(parser.get());
  std::mt19937 rng(seed);
  for (size_t i = 0; i < talk.size(); ++i) {
    const Chunk& c = talk[i];
    const Position at{i + 1, static_cast<CaptureNanos>(i) * 1'000'000};
    if (c.gap > 0) feeder.OnGap(c.from, c.gap);
    size_t pos = 0;
    while (pos < c.bytes.size()) {
      size_t n = c.bytes.size() - pos;
      if (mode == SplitMode::kByteByByte) n = 1;
      if (mode == SplitMode::kRandom) n = std::uniform_int_distribution<size_t>(1, n)(rng);
      if (mode == SplitMode::kRandomTiny) {
        n = std::min(n, std::uniform_int_distribution<size_t>(1, 7)(rng));
      }
      const auto* p = reinterpret_cast<const uint8_t*>(c.bytes.data()) + pos;
      feeder.OnData(c.from, Bytes(p, n), at);
      pos += n;
    }
  }
  feeder.Finish();
  out.client_stop = std::string(feeder.stop_reason(Side::kClient));
  out.server_stop = std::string(feeder.stop_reason(Side::kServer));
  return out;
}

// The type of every message, in order.
inline std::vector<std::string> MessageTypes(const Recorded& r) {
  std::vector<std::string> out;
  for (const AppMessage& m : r.messages) out.push_back(m.type);
  return out;
}

// One line per message: side, type, frame, length, summary ("C GET @1 len=78 GET /a").
inline std::vector<std::string> MessageLines(const Recorded& r) {
  std::vector<std::string> out;
  for (const AppMessage& m : r.messages) {
    out.push_back(absl::StrCat(m.from == Side::kClient ? "C " : "S ", m.type, " @", m.start.frame,
                               " len=", m.length, " ", m.summary));
  }
  return out;
}

// The value of field `key` of `m`, or "<none>".
inline std::string FieldOf(const AppMessage& m, absl::string_view key) {
  for (const auto& [k, v] : m.fields) {
    if (k == key) return v;
  }
  return "<none>";
}

// Checks that `got` holds the same events as `want`, a recording of the same conversation split
// another way: every message, query and credential, the facts and the stop reasons. `mode` names
// the split in failure messages.
inline void ExpectSameEvents(const Recorded& want, const Recorded& got, const std::string& mode) {
  ASSERT_EQ(got.messages.size(), want.messages.size()) << mode;
  for (size_t i = 0; i < want.messages.size(); ++i) {
    const AppMessage& x = want.messages[i];
    const AppMessage& y = got.messages[i];
    EXPECT_EQ(y.from, x.from) << mode << " message " << i;
    EXPECT_EQ(y.type, x.type) << mode << " message " << i;
    EXPECT_EQ(y.summary, x.summary) << mode << " message " << i;
    EXPECT_EQ(y.length, x.length) << mode << " message " << i;
    EXPECT_EQ(y.start.frame, x.start.frame) << mode << " message " << i;
    EXPECT_EQ(y.head, x.head) << mode << " message " << i;
    EXPECT_EQ(y.fields, x.fields) << mode << " message " << i;
  }
  ASSERT_EQ(got.queries.size(), want.queries.size()) << mode;
  for (size_t i = 0; i < want.queries.size(); ++i) {
    const DbQuery& x = want.queries[i];
    const DbQuery& y = got.queries[i];
    EXPECT_EQ(y.text, x.text) << mode;
    EXPECT_EQ(y.query_type, x.query_type) << mode << " " << x.text;
    EXPECT_EQ(y.command, x.command) << mode << " " << x.text;
    EXPECT_EQ(y.request.frame, x.request.frame) << mode << " " << x.text;
    EXPECT_EQ(y.response.frame, x.response.frame) << mode << " " << x.text;
    EXPECT_EQ(y.status, x.status) << mode << " " << x.text;
    EXPECT_EQ(y.rows, x.rows) << mode << " " << x.text;
    EXPECT_EQ(y.affected_rows, x.affected_rows) << mode << " " << x.text;
    EXPECT_EQ(y.error_code, x.error_code) << mode << " " << x.text;
    EXPECT_EQ(y.error_message, x.error_message) << mode << " " << x.text;
    EXPECT_EQ(y.database, x.database) << mode << " " << x.text;
  }
  ASSERT_EQ(got.credentials.size(), want.credentials.size()) << mode;
  for (size_t i = 0; i < want.credentials.size(); ++i) {
    EXPECT_EQ(got.credentials[i].kind, want.credentials[i].kind) << mode << " credential " << i;
    EXPECT_EQ(got.credentials[i].user, want.credentials[i].user) << mode << " credential " << i;
    EXPECT_EQ(got.credentials[i].evidence, want.credentials[i].evidence) << mode;
  }
  const FlowFacts& x = want.facts;
  const FlowFacts& y = got.facts;
  EXPECT_EQ(y.server_version, x.server_version) << mode;
  EXPECT_EQ(y.client_software, x.client_software) << mode;
  EXPECT_EQ(y.user, x.user) << mode;
  EXPECT_EQ(y.database, x.database) << mode;
  EXPECT_EQ(y.auth_method, x.auth_method) << mode;
  EXPECT_EQ(y.encrypted, x.encrypted) << mode;
  EXPECT_EQ(y.encryption, x.encryption) << mode;
  EXPECT_EQ(y.notes, x.notes) << mode;
  EXPECT_EQ(y.tls.seen, x.tls.seen) << mode;
  EXPECT_EQ(y.tls.version, x.tls.version) << mode;
  EXPECT_EQ(y.tls.sni, x.tls.sni) << mode;
  EXPECT_EQ(y.tls.alpn, x.tls.alpn) << mode;
  EXPECT_EQ(y.tls.cipher, x.tls.cipher) << mode;
  EXPECT_EQ(y.tls.certificates.size(), x.tls.certificates.size()) << mode;
  EXPECT_EQ(y.tls.handshake_complete, x.tls.handshake_complete) << mode;
  EXPECT_EQ(y.tls.application_data_bytes, x.tls.application_data_bytes) << mode;
  EXPECT_EQ(y.tls.alert, x.tls.alert) << mode;
  EXPECT_EQ(got.client_stop, want.client_stop) << mode;
  EXPECT_EQ(got.server_stop, want.server_stop) << mode;
}

// Feeds `talk` split in every mode (the random ones once per seed), checks with ExpectSameEvents
// that each recording matches the bytes as sent, and returns the as-sent recording.
inline Recorded FeedEverySplit(ParserFactory make, const std::vector<Chunk>& talk,
                               std::initializer_list<uint32_t> seeds = {1}) {
  Recorded as_sent = Feed(make, talk, SplitMode::kAsSent);
  for (SplitMode mode : kAllSplitModes) {
    for (uint32_t seed : seeds) {
      ExpectSameEvents(as_sent, Feed(make, talk, mode, seed),
                       std::string(SplitModeName(mode)) + " seed " + std::to_string(seed));
    }
  }
  return as_sent;
}

// Counts what a parser reports, for throughput runs that keep nothing.
struct CountingSink : PayloadEvents {
  uint64_t messages = 0;
  uint64_t queries = 0;
  uint64_t rows = 0;
  void OnMessage(AppMessage) override { ++messages; }
  void OnQuery(DbQuery q) override {
    ++queries;
    rows += q.rows;
  }
  void OnCredential(Credential) override {}
};

// Feeds `bytes` of `side` in segments of at most `segment` bytes, each carried by a new frame
// (numbered on from *frame); returns how many bytes were fed.
inline uint64_t FeedSegments(StreamFeeder& feeder, Side side, const std::string& bytes,
                             size_t segment, uint64_t* frame) {
  for (size_t i = 0; i < bytes.size(); i += segment) {
    const size_t n = std::min(segment, bytes.size() - i);
    feeder.OnData(side, Bytes(reinterpret_cast<const uint8_t*>(bytes.data()) + i, n),
                  Position{++*frame, 0});
  }
  return bytes.size();
}

// Feeds a client's and a server's bytes alternately, in segments of at most `segment` bytes each
// (all carried by frame 1): a bulk transfer for throughput runs.
inline void FeedAlternately(StreamFeeder& feeder, const std::string& client,
                            const std::string& server, size_t segment) {
  for (size_t at = 0; at < std::max(client.size(), server.size()); at += segment) {
    if (at < client.size()) {
      feeder.OnData(Side::kClient,
                    Bytes(reinterpret_cast<const uint8_t*>(client.data()) + at,
                          std::min(segment, client.size() - at)),
                    Position{1, 0});
    }
    if (at < server.size()) {
      feeder.OnData(Side::kServer,
                    Bytes(reinterpret_cast<const uint8_t*>(server.data()) + at,
                          std::min(segment, server.size() - at)),
                    Position{1, 0});
    }
  }
}

}  // namespace mcpcap::payload::testing

#endif  // MCPCAP_TESTS_PAYLOAD_PARSER_HARNESS_H_
