// Shared by the payload parser fuzzers (*_parser_fuzzer.cc, line_protocols_fuzzer.cc): feeds a
// fuzz input to a parser as a two-sided conversation through the real StreamFeeder and traps
// when an event breaks the bounds promised in backend/payload/common/app_events.h. Two input
// formats: RunConversation (client bytes, a marker, server bytes; the pieces come from the data)
// and RunScript (pieces with a control byte each).
#ifndef MCPCAP_TESTS_FUZZ_PAYLOAD_FUZZ_DRIVER_H_
#define MCPCAP_TESTS_FUZZ_PAYLOAD_FUZZ_DRIVER_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>

#include "backend/payload/common/app_events.h"
#include "backend/payload/common/stream_feeder.h"
#include "backend/payload/common/stream_parser.h"

namespace mcpcap::payload::fuzz {

class CheckingSink : public PayloadEvents {
 public:
  void OnMessage(AppMessage m) override {
    if (m.summary.size() > kMaxTextBytes || m.head.size() > kPreviewBytes ||
        m.fields.size() > kMaxFields || m.type.size() > kMaxTextBytes) {
      __builtin_trap();
    }
    for (const auto& field : m.fields) {
      if (field.second.size() > kMaxTextBytes) __builtin_trap();
    }
  }
  void OnQuery(DbQuery q) override {
    if (q.text.size() > kMaxTextBytes || q.error_message.size() > kMaxTextBytes ||
        q.command.size() > kMaxTextBytes) {
      __builtin_trap();
    }
  }
  void OnCredential(Credential c) override {
    if (c.evidence.size() > kMaxTextBytes || c.user.size() > kMaxTextBytes) __builtin_trap();
  }
};

// Traps when the facts of a flow outgrow their bounds.
inline void CheckFacts(const FlowFacts& facts) {
  if (facts.notes.size() > 64 || facts.user.size() > kMaxTextBytes ||
      facts.server_version.size() > kMaxTextBytes) {
    __builtin_trap();
  }
}

// The input is the client's bytes, the marker "\xff\xfe\xfd\xfc", the server's bytes; the sides
// take turns, piece sizes come from the data, and pieces of 7 bytes are lost (a gap).
inline void RunConversation(ParserFactory make, const uint8_t* data, size_t size) {
  static constexpr uint8_t kMarker[] = {0xff, 0xfe, 0xfd, 0xfc};
  const uint8_t* split = std::search(data, data + size, kMarker, kMarker + sizeof kMarker);
  const Bytes client(data, static_cast<size_t>(split - data));
  const Bytes server = split == data + size
                           ? Bytes()
                           : Bytes(split + sizeof kMarker,
                                   static_cast<size_t>(data + size - split - sizeof kMarker));
  CheckingSink sink;
  FlowFacts facts;
  std::unique_ptr<StreamParser> parser = make(&sink, &facts);
  StreamFeeder feeder(parser.get());
  size_t at[2] = {0, 0};
  const Bytes sides[2] = {client, server};
  uint64_t frame = 1;
  size_t turn = 0;
  while (at[0] < client.size() || at[1] < server.size()) {
    const size_t s = turn++ % 2;
    if (at[s] >= sides[s].size()) continue;
    const size_t step = size == 0 ? 1 : data[(at[0] + at[1] + turn) % size] % 97 + 1;
    const size_t n = std::min(step, sides[s].size() - at[s]);
    const Side side = s == 0 ? Side::kClient : Side::kServer;
    if (step == 7) {
      feeder.OnGap(side, n);  // these bytes are lost
    } else {
      feeder.OnData(side, sides[s].subspan(at[s], n), Position{frame++, 0});
    }
    at[s] += n;
  }
  feeder.Finish();
  CheckFacts(facts);
}

// The input is a script of pieces, each a control byte (bit 7: the side; bit 6: a gap of the low
// six bits times 37 bytes before it; low six bits + 1: the piece's length) followed by its bytes,
// so that splits, both directions and gaps all come from the input.
inline void RunScript(ParserFactory make, const uint8_t* data, size_t size) {
  CheckingSink sink;
  FlowFacts facts;
  std::unique_ptr<StreamParser> parser = make(&sink, &facts);
  StreamFeeder feeder(parser.get());
  size_t pos = 0;
  uint64_t frame = 1;
  while (pos < size) {
    const uint8_t control = data[pos++];
    const Side side = (control & 0x80) != 0 ? Side::kServer : Side::kClient;
    const size_t wanted = (control & 0x3f) + 1;
    if ((control & 0x40) != 0) feeder.OnGap(side, wanted * 37);
    const size_t n = std::min(wanted, size - pos);
    feeder.OnData(side, Bytes(data + pos, n), Position{frame++, 0});
    pos += n;
  }
  feeder.Finish();
  CheckFacts(facts);
}

}  // namespace mcpcap::payload::fuzz

#endif  // MCPCAP_TESTS_FUZZ_PAYLOAD_FUZZ_DRIVER_H_
