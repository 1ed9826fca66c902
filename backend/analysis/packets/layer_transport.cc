#include "backend/analysis/packets/layer_transport.h"

#include <algorithm>

namespace mcpcap {
namespace {

constexpr size_t kTcpMinHeader = 20;
constexpr size_t kUdpHeader = 8;
constexpr size_t kIcmpHeader = 8;
constexpr int kMaxTcpOptions = 40;  // at most 40 option bytes, so at most 40 options

// One TCP option at `at` (within the header's `end`); returns where the next starts, or 0 to
// stop (end of list, or a length that does not fit).
size_t AddTcpOption(LayerWriter& w, const HeaderBytes& h, size_t at, size_t end) {
  const std::optional<uint8_t> kind = h.U8(at);
  if (!kind) return 0;
  w.AddNumber("tcp.option_kind", *kind, h.At(at), 1);
  // End of list and no-operation are one byte; as Wireshark, the bytes after an end of list are
  // read on (each padding zero shows as another end of list).
  if (*kind == 0 || *kind == 1) return at + 1;
  const std::optional<uint8_t> len = h.U8(at + 1);
  if (!len || *len < 2 || at + *len > end || !h.Has(at, *len)) return 0;
  switch (*kind) {
    case 2:
      if (*len == 4) w.U16("tcp.options.mss_val", h, at + 2);
      break;
    case 3:
      if (*len == 3) {
        w.U8("tcp.options.wscale.shift", h, at + 2);
        const uint8_t shift = *h.U8(at + 2);
        w.AddNumber("tcp.options.wscale.multiplier", shift <= 14 ? 1u << shift : 16384u,
                    h.At(at + 2), 1);
      }
      break;
    case 4:
      w.RawHex("tcp.options.sack_perm", h, at, *len);
      break;
    case 5:
      for (size_t b = at + 2; b + 8 <= at + *len; b += 8) {
        w.U32("tcp.options.sack_le_raw", h, b);
        w.U32("tcp.options.sack_re_raw", h, b + 4);
      }
      break;
    case 8:
      if (*len == 10) {
        w.U32("tcp.options.timestamp.tsval", h, at + 2);
        w.U32("tcp.options.timestamp.tsecr", h, at + 6);
      }
      break;
    default:
      break;
  }
  return at + *len;
}

}  // namespace

TransportNext AddTcpLayer(LayerContext* ctx, Bytes segment, size_t wire_length) {
  TransportNext next;
  const HeaderBytes h(segment);
  const size_t header = static_cast<size_t>(h.U8(12).value_or(0) >> 4) * 4;
  std::optional<LayerWriter> w = LayerWriter::Open(
      ctx, "tcp", segment.data(), std::min(std::max(header, kTcpMinHeader), segment.size()));
  if (!w) return next;
  w->U16("tcp.srcport", h, 0);
  w->U16("tcp.dstport", h, 2);
  w->U32("tcp.seq_raw", h, 4);
  w->U32("tcp.ack_raw", h, 8);
  if (h.Has(12, 1)) w->AddNumber("tcp.hdr_len", header, h.At(12), 1);
  if (header >= kTcpMinHeader && wire_length >= header) {
    w->AddNumber("tcp.len", wire_length - header);
  }
  if (auto word = h.U16(12)) {
    const uint16_t flags = *word & 0x0fff;
    const uint8_t* at = h.At(12);
    w->AddHex("tcp.flags", flags, 4, at, 2);
    static constexpr struct {
      const char* name;
      uint16_t bit;
    } kFlags[] = {{"tcp.flags.ae", 0x100},   {"tcp.flags.cwr", 0x80}, {"tcp.flags.ece", 0x40},
                  {"tcp.flags.urg", 0x20},   {"tcp.flags.ack", 0x10}, {"tcp.flags.push", 0x08},
                  {"tcp.flags.reset", 0x04}, {"tcp.flags.syn", 0x02}, {"tcp.flags.fin", 0x01}};
    for (const auto& f : kFlags) w->AddBool(f.name, (flags & f.bit) != 0, at, 2);
  }
  w->U16("tcp.window_size_value", h, 14);
  w->Hex16("tcp.checksum", h, 16);
  w->U16("tcp.urgent_pointer", h, 18);
  if (header < kTcpMinHeader || !h.Has(0, header)) return next;
  size_t at = kTcpMinHeader;
  for (int i = 0; i < kMaxTcpOptions && at != 0 && at < header; ++i) {
    at = AddTcpOption(*w, h, at, header);
  }
  next.complete = true;
  next.src_port = *h.U16(0);
  next.dst_port = *h.U16(2);
  next.payload = segment.subspan(header);
  return next;
}

TransportNext AddUdpLayer(LayerContext* ctx, Bytes datagram) {
  TransportNext next;
  const HeaderBytes h(datagram);
  std::optional<LayerWriter> w =
      LayerWriter::Open(ctx, "udp", datagram.data(), std::min(kUdpHeader, datagram.size()));
  if (!w) return next;
  w->U16("udp.srcport", h, 0);
  w->U16("udp.dstport", h, 2);
  w->U16("udp.length", h, 4);
  const std::optional<uint16_t> length = h.U16(4);
  if (length && *length < kUdpHeader) return next;  // a bad length: as tshark, stop there
  w->Hex16("udp.checksum", h, 6);
  if (!h.Has(0, kUdpHeader)) return next;
  next.complete = true;
  next.src_port = *h.U16(0);
  next.dst_port = *h.U16(2);
  const size_t end = std::min<size_t>(*length, datagram.size());
  next.payload = datagram.subspan(kUdpHeader, end - kUdpHeader);
  return next;
}

TransportNext AddIcmpLayer(LayerContext* ctx, Bytes message) {
  TransportNext next;
  const HeaderBytes h(message);
  std::optional<LayerWriter> w =
      LayerWriter::Open(ctx, "icmp", message.data(), std::min(kIcmpHeader, message.size()));
  if (!w) return next;
  w->U8("icmp.type", h, 0);
  w->U8("icmp.code", h, 1);
  w->Hex16("icmp.checksum", h, 2);
  const uint8_t type = h.U8(0).value_or(255);
  if (type == 0 || type == 8 || type == 13 || type == 14) {
    w->U16("icmp.ident", h, 4);
    w->U16("icmp.seq", h, 6);
  }
  if (!h.Has(0, kIcmpHeader)) return next;
  next.complete = true;
  next.payload = message.subspan(kIcmpHeader);
  if (type == 3 || type == 4 || type == 5 || type == 11 || type == 12) next.quoted = next.payload;
  return next;
}

TransportNext AddIcmpv6Layer(LayerContext* ctx, Bytes message) {
  TransportNext next;
  const HeaderBytes h(message);
  std::optional<LayerWriter> w =
      LayerWriter::Open(ctx, "icmpv6", message.data(), std::min(kIcmpHeader, message.size()));
  if (!w) return next;
  w->U8("icmpv6.type", h, 0);
  w->U8("icmpv6.code", h, 1);
  w->Hex16("icmpv6.checksum", h, 2);
  const uint8_t type = h.U8(0).value_or(0);
  if (type == 128 || type == 129) {
    w->Hex16("icmpv6.echo.identifier", h, 4);
    w->U16("icmpv6.echo.sequence_number", h, 6);
  }
  if (!h.Has(0, kIcmpHeader)) return next;
  next.complete = true;
  next.payload = message.subspan(kIcmpHeader);
  if (type >= 1 && type <= 4) next.quoted = next.payload;
  return next;
}

}  // namespace mcpcap
