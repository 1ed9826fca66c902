// The contract between reassembled streams and application parsers.
//
// A parser sees each side of a flow as a byte stream (both sides through one object, so it can
// pair requests with responses). It is incremental: it is handed the bytes not consumed yet,
// frames as many whole messages as it can, consumes them, and says whether it needs more bytes.
// Splits are arbitrary: a message may arrive one byte at a time or many messages in one segment.
//
//   ParseStatus MyParser::Parse(Side from, StreamView& view) {
//     while (true) {
//       Bytes data = view.data();
//       if (data.size() < 4) return ParseStatus::kNeedMore;
//       size_t length = HeaderLength(data);           // total length of the next message
//       size_t wanted = std::min(length, kHeaderAndTextBytes);
//       if (data.size() < wanted) return ParseStatus::kNeedMore;  // what we look at is bounded
//       Report(data.first(wanted), view.PositionAt(0));
//       view.Consume(length);   // may exceed data.size(): the rest is skipped as it arrives
//     }
//   }
//
// Memory stays bounded because a parser asks only for the bytes it reads (a header and a bounded
// prefix), never for a whole large message: the feeder skips the remainder without storing it.
// What a parser remembers between messages is bounded by its own caps and reported by
// MemoryBytes(), so a budget over many flows counts it.
#ifndef MCPCAP_BACKEND_PAYLOAD_COMMON_STREAM_PARSER_H_
#define MCPCAP_BACKEND_PAYLOAD_COMMON_STREAM_PARSER_H_

#include <cstddef>
#include <cstdint>
#include <memory>

#include "backend/base/byte_reader.h"
#include "backend/payload/common/app_events.h"

namespace mcpcap::payload {

enum class ParseStatus : uint8_t {
  kNeedMore,  // consumed what it could; call again when more bytes arrive
  kBad,       // these bytes are not this protocol (or too damaged to go on): stop this side
};

// A parser's window on the unconsumed bytes of one side.
class StreamView {
 public:
  virtual ~StreamView() = default;
  // The bytes not consumed yet, contiguous. Valid until Consume or the return from Parse.
  virtual Bytes data() const = 0;
  // Where the byte at data()[offset] was captured (offset may equal data().size() for the
  // next byte to come, which reports the position of the last byte seen).
  virtual Position PositionAt(size_t offset) const = 0;
  // Marks n bytes as consumed. n may exceed data().size(): the bytes still to come are skipped
  // when they arrive (a gap inside the skipped range is absorbed, not reported).
  virtual void Consume(uint64_t n) = 0;
  // True when the bytes of this side that preceded data() were lost (a gap): the parser should
  // find the start of a message (and Consume up to it) or return kBad. Cleared by Consume.
  virtual bool after_gap() const = 0;
  // True when this side has ended: no bytes will follow data().
  virtual bool at_end() const = 0;
};

class StreamParser {
 public:
  virtual ~StreamParser() = default;
  // Parses the unconsumed bytes of `from`; see the contract above.
  virtual ParseStatus Parse(Side from, StreamView& view) = 0;
  // `from` has ended (FIN, RST, end of capture); its unconsumed bytes were offered to Parse with
  // at_end() true already.
  virtual void OnEnd(Side /*from*/) {}
  // Bytes of `from` were lost and the unconsumed bytes Parse last saw were dropped with them, so
  // offsets kept into view.data() no longer hold. Called for every such gap, also when the view
  // still reads after_gap() from an earlier one.
  virtual void OnBytesLost(Side /*from*/) {}
  // The flow is over: report requests still waiting for a response (QueryStatus::kNoResponse).
  virtual void Finish() {}
  // Bytes this parser holds now, its own object included: what it remembers between messages
  // (prepared statements, requests waiting for a response, a message being put together), as
  // HeapBytes counts them. The payload scan's memory budget adds it to the flow's buffers, so it
  // must be cheap (kept up to date as entries come and go, not summed over maps per call).
  virtual size_t MemoryBytes() const = 0;
};

// Every parser is made the same way: it reports events to `events` and fills in `facts` (both
// outlive it). Names: MakeMySqlParser, MakePostgreSqlParser, MakeRedisParser, MakeMongoDbParser,
// MakeHttpParser, MakeTlsParser, ... each declared in its protocol's header.
using ParserFactory = std::unique_ptr<StreamParser> (*)(PayloadEvents* events, FlowFacts* facts);

}  // namespace mcpcap::payload

#endif  // MCPCAP_BACKEND_PAYLOAD_COMMON_STREAM_PARSER_H_
