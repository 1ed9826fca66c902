// libFuzzer entry point for TcpReassembler: the input is a sequence of segments (sequence offset,
// flags, length, bytes) and SkipTo calls, with small limits picked by the first byte so that the
// overflow paths run. Checks the stream's bookkeeping invariants after every call.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "backend/base/byte_reader.h"
#include "backend/dissect/packet.h"
#include "backend/flow/tcp_reassembler.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

class CheckingSink : public mcpcap::TcpStreamSink {
 public:
  void OnData(mcpcap::Bytes data, uint64_t, mcpcap::CaptureNanos) override {
    Check(!ended && !data.empty());
    for (uint8_t b : data) sum += b;  // touches every byte: ASan catches stale views
    position += data.size();
  }
  void OnGap(uint64_t missing) override {
    Check(!ended && missing > 0);
    position += missing;
  }
  void OnEnd(mcpcap::TcpStreamEnd) override {
    Check(!ended);
    ended = true;
  }
  uint64_t position = 0;
  uint32_t sum = 0;
  bool ended = false;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mcpcap::ByteReader in(mcpcap::Bytes(data, size));
  uint8_t config = 0, isn_byte = 0;
  if (!in.ReadU8(&config) || !in.ReadU8(&isn_byte)) return 0;
  mcpcap::TcpReassemblyLimits limits;
  limits.max_buffered_bytes = 16 + (config & 0x0f) * 64;
  limits.max_buffered_segments = 1 + (config >> 4);
  limits.retransmit_check_bytes = (config & 0x10) ? 0 : 32;
  CheckingSink sink;
  mcpcap::TcpReassembler r(&sink, limits);
  // ISNs near 2^32 make wrap-around likely.
  const uint32_t isn = 0xffffff00u + isn_byte;
  uint64_t frame = 0;
  uint8_t op = 0;
  while (in.ReadU8(&op)) {
    uint16_t delta = 0;
    if (!in.ReadU16Be(&delta)) break;
    const uint32_t seq = isn + static_cast<int16_t>(delta);
    if ((op & 0x07) == 0x07) {
      r.SkipTo(seq);
    } else {
      uint8_t length = 0;
      in.ReadU8(&length);
      mcpcap::Bytes payload;
      if (!in.ReadBytes(length, &payload)) {  // short input: take what is left
        payload = in.rest();
        in.Skip(payload.size());
      }
      // Flags: rarely RST or SYN, sometimes FIN.
      uint16_t flags = mcpcap::kTcpAck;
      if ((op & 0x38) == 0x08) flags |= mcpcap::kTcpFin;
      if ((op & 0x38) == 0x10) flags |= mcpcap::kTcpSyn;
      if (op == 0xff) flags |= mcpcap::kTcpRst;
      ++frame;
      r.OnSegment(seq, flags, payload, frame, static_cast<int64_t>(frame));
    }
    Check(r.buffered_bytes() <= limits.max_buffered_bytes);
    Check(r.buffered_segments() <= limits.max_buffered_segments);
    if (!r.ended()) Check(sink.position == r.next_offset());
    Check(r.stats().delivered_bytes + r.stats().gap_bytes == sink.position);
  }
  r.Flush();
  Check(sink.ended && r.ended() && r.buffered_bytes() == 0);
  return 0;
}
