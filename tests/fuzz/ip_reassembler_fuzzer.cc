// libFuzzer entry point for IpReassembler: the input is a sequence of IPv4/IPv6 fragments (id,
// offset, MF, length, bytes, time step) with small limits picked by the first byte. Completed
// datagrams go through DecodeTransport as a caller would; the limits are checked after every call.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "backend/base/byte_reader.h"
#include "backend/dissect/decoder.h"
#include "backend/flow/ip_reassembler.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

uint32_t Touch(mcpcap::Bytes b) {
  uint32_t sum = 0;
  for (uint8_t v : b) sum += v;
  return sum;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mcpcap::ByteReader in(mcpcap::Bytes(data, size));
  uint8_t config = 0;
  if (!in.ReadU8(&config)) return 0;
  mcpcap::IpReassemblyLimits limits;
  limits.max_datagrams = 1 + (config & 0x03);
  limits.max_fragments_per_datagram = 2 + ((config >> 2) & 0x07);
  limits.max_buffered_bytes = 256u << ((config >> 5) & 0x07);
  limits.timeout = 100;
  mcpcap::IpReassembler r(limits);
  const uint8_t a[16] = {1}, b[16] = {2};
  mcpcap::CaptureNanos now = 0;
  uint64_t frame = 0;
  volatile uint32_t sink = 0;
  uint8_t op = 0;
  while (in.ReadU8(&op)) {
    uint16_t offset_field = 0;
    uint8_t length = 0;
    if (!in.ReadU16Be(&offset_field) || !in.ReadU8(&length)) break;
    mcpcap::DecodedPacket pkt;
    mcpcap::IpInfo& ip = pkt.ip;
    ip.version = (op & 0x80) ? 6 : 4;
    ip.src = ip.version == 4 ? mcpcap::IpAddress::V4(a) : mcpcap::IpAddress::V6(a);
    ip.dst = ip.version == 4 ? mcpcap::IpAddress::V4(b) : mcpcap::IpAddress::V6(b);
    ip.id = op & 0x03;
    ip.protocol = (op & 0x04) ? 6 : 17;
    if (ip.version == 6 && (op & 0x08)) ip.protocol = 60;  // an extension header to walk
    ip.more_fragments = (op & 0x10) != 0;
    ip.fragment_offset = static_cast<uint16_t>(offset_field & 0xfff8);
    ip.is_fragment = ip.more_fragments || ip.fragment_offset != 0;
    ip.header_length = ip.version == 4 ? 20 : 48;
    mcpcap::Bytes payload;
    if (!in.ReadBytes(length, &payload)) {  // short input: take what is left
      payload = in.rest();
      in.Skip(payload.size());
    }
    ip.payload = payload;
    // Sometimes claim more than was captured (snaplen).
    ip.total_length =
        static_cast<uint16_t>(ip.header_length + payload.size() + ((op & 0x20) ? 1 : 0));
    now += (op & 0x40) ? 60 : 1;
    const mcpcap::ReassembledDatagram* d = r.Feed(pkt, ++frame, now);
    if (d != nullptr) {
      sink = sink + Touch(d->payload);
      Check(d->first_frame <= d->last_frame && d->last_frame == frame);
      mcpcap::DecodeTransport(d->protocol, d->payload, &pkt);
      sink = sink + Touch(pkt.payload);
    }
    Check(r.pending_datagrams() <= limits.max_datagrams);
    Check(r.buffered_bytes() <= limits.max_buffered_bytes);
  }
  r.Flush();
  Check(r.pending_datagrams() == 0 && r.buffered_bytes() == 0);
  return 0;
}
