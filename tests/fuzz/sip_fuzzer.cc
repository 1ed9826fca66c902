// libFuzzer entry point for the SIP parser: the input as one UDP datagram, then as a TCP stream
// fed in pieces whose sizes come from the input itself, so splits land everywhere.
#include <cstddef>
#include <cstdint>

#include "backend/dissect/sip.h"

namespace {

// Touches every parsed string so that a bad view trips ASan.
size_t Touch(const mcpcap::SipMessage& m) {
  size_t n = m.start_line.size() + m.method.size() + m.request_uri.size() + m.reason.size();
  for (const auto& h : m.headers) n += h.name.size() + h.value.size();
  return n + m.body_length;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const mcpcap::Bytes input(data, size);
  mcpcap::SipMessage m;
  volatile size_t sink = 0;
  if (mcpcap::ParseSipDatagram(input, &m) == mcpcap::SipParseStatus::kOk) {
    sink = sink + Touch(m);
    if (m.header_length + m.body_length > size) __builtin_trap();
  }
  mcpcap::SipStreamParser stream;
  size_t pos = 0;
  size_t step = size == 0 ? 1 : data[0] % 64 + 1;
  while (pos < size) {
    const size_t n = step < size - pos ? step : size - pos;
    if (step == 7) stream.Gap();  // sometimes lose bytes between pieces
    stream.Feed(input.subspan(pos, n));
    pos += n;
    for (int guard = 0; guard < 100000; ++guard) {
      const mcpcap::SipParseStatus s = stream.Next(&m);
      if (s == mcpcap::SipParseStatus::kNeedMore) break;
      if (s == mcpcap::SipParseStatus::kOk) sink = sink + Touch(m);
      if (guard == 99999) __builtin_trap();  // Next must make progress
    }
    step = data[pos % size] % 97 + 1;
  }
  if (stream.buffered() > mcpcap::kSipMaxHeaderBytes + mcpcap::kSipMaxContentLength + size) {
    __builtin_trap();
  }
  return 0;
}
