// libFuzzer entry point for every application parser at once, and the detector: the bytes are
// cut into pieces for the client and server sides (sizes, sides and gaps taken from the input
// itself) and fed through StreamFeeder to the parser the first byte selects. Forcing a protocol
// on any bytes (the tools' `protocol` argument) makes cross-protocol garbage a real input.
#include <cstddef>
#include <cstdint>
#include <memory>

#include "backend/payload/common/line_protocols.h"
#include "backend/payload/common/stream_feeder.h"
#include "backend/payload/detect/detect.h"
#include "backend/payload/http/http_parser.h"
#include "backend/payload/mongodb/mongodb_parser.h"
#include "backend/payload/mysql/mysql_parser.h"
#include "backend/payload/postgresql/postgresql_parser.h"
#include "backend/payload/redis/redis_parser.h"
#include "backend/payload/tls/tls_parser.h"

namespace {

using namespace mcpcap::payload;

constexpr ParserFactory kParsers[] = {
    MakeMySqlParser, MakePostgreSqlParser, MakeRedisParser, MakeMongoDbParser,
    MakeHttpParser,  MakeTlsParser,        MakeSshParser,   MakeFtpParser,
    MakeSmtpParser,  MakePop3Parser,       MakeImapParser,
};

// Touches every string reported, so a dangling view trips ASan.
struct Sink : PayloadEvents {
  size_t n = 0;
  void OnMessage(AppMessage m) override {
    n += m.type.size() + m.summary.size() + m.head.size();
    for (const auto& [k, v] : m.fields) n += k.size() + v.size();
  }
  void OnQuery(DbQuery q) override { n += q.text.size() + q.error_message.size(); }
  void OnCredential(Credential c) override { n += c.evidence.size() + c.user.size(); }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const mcpcap::Bytes input(data, size);
  DetectInput detect;
  detect.client_bytes = input.subspan(0, size / 2);
  detect.server_bytes = input.subspan(size / 2);
  detect.client_port = static_cast<uint16_t>(data[0] * 257);
  detect.server_port = static_cast<uint16_t>(data[1] * 131);
  detect.final = (data[1] & 1) != 0;
  detect.ip_protocol = (data[1] & 2) != 0 ? 17 : 6;
  volatile double confidence = DetectProtocol(detect).confidence;
  (void)confidence;

  Sink sink;
  FlowFacts facts;
  std::unique_ptr<StreamParser> parser =
      kParsers[data[0] % (sizeof(kParsers) / sizeof(kParsers[0]))](&sink, &facts);
  StreamFeeder feeder(parser.get());
  // Each piece: one control byte (side, gap, length 1..32) then that many bytes.
  size_t pos = 2;
  uint64_t frame = 1;
  while (pos < size) {
    const uint8_t control = data[pos++];
    const Side side = (control & 0x80) != 0 ? Side::kServer : Side::kClient;
    if ((control & 0x40) != 0 && (control & 0x20) != 0) feeder.OnGap(side, control & 0x1f);
    const size_t length =
        std::min<size_t>((control & 0x1f) + 1 + ((control & 0x40) ? 200 : 0), size - pos);
    feeder.OnData(side, input.subspan(pos, length), Position{frame++, 0});
    pos += length;
  }
  feeder.Finish();
  volatile size_t touched = sink.n + facts.notes.size() + facts.user.size();
  (void)touched;
  return 0;
}
