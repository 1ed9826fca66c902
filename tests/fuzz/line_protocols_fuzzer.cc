// libFuzzer entry point for the line-protocol parsers (SSH, FTP, SMTP, POP3, IMAP), driven
// through StreamFeeder like the capture scan: the first byte picks the parser, then records of
// [control byte][length byte][bytes] give the side, the piece and sometimes a gap or an end
// before it. The events are checked by payload_fuzz_driver.h's CheckingSink.
#include <cstddef>
#include <cstdint>
#include <memory>

#include "backend/payload/common/line_protocols.h"
#include "backend/payload/common/stream_feeder.h"
#include "tests/fuzz/payload_fuzz_driver.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  static constexpr mcpcap::payload::ParserFactory kMake[] = {
      mcpcap::payload::MakeSshParser, mcpcap::payload::MakeFtpParser,
      mcpcap::payload::MakeSmtpParser, mcpcap::payload::MakePop3Parser,
      mcpcap::payload::MakeImapParser};
  mcpcap::payload::fuzz::CheckingSink sink;
  mcpcap::payload::FlowFacts facts;
  std::unique_ptr<mcpcap::payload::StreamParser> parser = kMake[data[0] % 5](&sink, &facts);
  mcpcap::payload::StreamFeeder feeder(parser.get());
  size_t pos = 1;
  uint64_t frame = 1;
  while (pos + 2 <= size) {
    const uint8_t control = data[pos];
    const size_t want = data[pos + 1];
    pos += 2;
    const size_t n = want < size - pos ? want : size - pos;
    const auto side =
        (control & 1) ? mcpcap::payload::Side::kServer : mcpcap::payload::Side::kClient;
    if ((control & 0x0e) == 0x0e) feeder.OnGap(side, control >> 4);
    if ((control & 0xf0) == 0xf0) feeder.OnEnd(side);
    feeder.OnData(side, mcpcap::Bytes(data + pos, n), {frame++, 0});
    pos += n;
  }
  feeder.Finish();
  mcpcap::payload::fuzz::CheckFacts(facts);
  if (facts.notes.size() > 16) __builtin_trap();
  return 0;
}
