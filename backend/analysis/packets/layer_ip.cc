#include "backend/analysis/packets/layer_ip.h"

#include <algorithm>
#include <string>

#include "backend/dissect/ip_address.h"

namespace mcpcap {
namespace {

constexpr size_t kIpv4MinHeader = 20;
constexpr size_t kIpv6Header = 40;
constexpr int kMaxExtensionHeaders = 8;

enum : uint8_t {
  kHopByHop = 0,
  kRouting = 43,
  kFragment = 44,
  kAuthentication = 51,
  kDestinationOptions = 60,
};

void AddAddress(LayerWriter& w, absl::string_view name, const HeaderBytes& h, size_t at,
                size_t size) {
  if (!h.Has(at, size)) return;
  const IpAddress address = size == 4 ? IpAddress::V4(h.At(at)) : IpAddress::V6(h.At(at));
  w.Add(name, address.ToString(), h.At(at), size);
}

// The bytes after `header` bytes, within `ip_length` (the IP length, header included) when it
// is sane, and within the capture.
Bytes PayloadAfter(Bytes packet, size_t header, size_t ip_length) {
  const size_t end = ip_length >= header ? std::min(ip_length, packet.size()) : packet.size();
  return header >= end ? Bytes() : packet.subspan(header, end - header);
}

// One IPv6 extension header at `at`, as its own layer (Wireshark's ipv6.hopopts, ipv6.routing,
// ipv6.fraghdr, ipv6.dstopts, ah): returns where the next one starts, 0 when it cannot be walked.
size_t AddExtension(LayerContext* ctx, const HeaderBytes& h, uint8_t type, size_t at,
                    IpNext* next) {
  const std::optional<uint8_t> len = h.U8(at + 1);
  if (!h.U8(at) || !len) return 0;
  size_t size = (size_t{*len} + 1) * 8;
  absl::string_view name;
  switch (type) {
    case kHopByHop:
      name = "ipv6.hopopts";
      break;
    case kDestinationOptions:
      name = "ipv6.dstopts";
      break;
    case kRouting:
      name = "ipv6.routing";
      break;
    case kFragment:
      name = "ipv6.fraghdr";
      size = 8;
      break;
    case kAuthentication:
      name = "ah";
      size = (size_t{*len} + 2) * 4;
      break;
    default:
      return 0;
  }
  std::optional<LayerWriter> w =
      LayerWriter::Open(ctx, name, h.At(at), std::min(size, h.size() - at));
  if (!w) return 0;
  switch (type) {
    case kFragment: {
      w->U8("ipv6.fraghdr.nxt", h, at);
      const std::optional<uint16_t> word = h.U16(at + 2);
      const std::optional<uint32_t> id = h.U32(at + 4);
      if (!word || !id) return 0;
      w->AddNumber("ipv6.fraghdr.offset", *word >> 3, h.At(at + 2), 2);
      w->AddBool("ipv6.fraghdr.more", (*word & 1) != 0, h.At(at + 2), 2);
      w->AddHex("ipv6.fraghdr.ident", *id, 8, h.At(at + 4), 4);
      next->fragment = (*word >> 3) != 0 || (*word & 1) != 0;
      break;
    }
    case kAuthentication:
      w->U8("ah.next_header", h, at);
      w->U8("ah.length", h, at + 1);
      break;
    case kRouting:
      w->U8("ipv6.routing.nxt", h, at);
      w->U8("ipv6.routing.len", h, at + 1);
      w->U8("ipv6.routing.type", h, at + 2);
      w->U8("ipv6.routing.segleft", h, at + 3);
      break;
    default: {
      const std::string prefix(name);
      w->U8(prefix + ".nxt", h, at);
      w->U8(prefix + ".len", h, at + 1);
      break;
    }
  }
  return at + size;
}

}  // namespace

IpNext AddIpv4Layer(LayerContext* ctx, Bytes packet, size_t wire_size) {
  IpNext next;
  const HeaderBytes h(packet);
  const size_t header = static_cast<size_t>(h.U8(0).value_or(0) & 0x0f) * 4;
  std::optional<LayerWriter> w = LayerWriter::Open(
      ctx, "ip", packet.data(), std::min(std::max(header, kIpv4MinHeader), packet.size()));
  if (!w) return next;
  if (auto b = h.U8(0)) w->AddNumber("ip.version", *b >> 4, h.At(0), 1);
  // Not an IPv4 header (version or header length wrong): as tshark, nothing more is read.
  if (header < kIpv4MinHeader || h.U8(0).value_or(0) >> 4 != 4) return next;
  w->AddNumber("ip.hdr_len", header, h.At(0), 1);
  w->Hex8("ip.dsfield", h, 1);
  // A total length of 0 is a segment the NIC was to split (TCP segmentation offload): as
  // Wireshark, the length is taken from the frame.
  std::optional<uint16_t> total = h.U16(2);
  if (total == 0 && wire_size >= header && wire_size <= 0xffff) {
    total = static_cast<uint16_t>(wire_size);
  }
  if (total) w->AddNumber("ip.len", *total, h.At(2), 2);
  w->Hex16("ip.id", h, 4);
  const std::optional<uint16_t> frag = h.U16(6);
  if (frag) {
    w->AddHex("ip.flags", *frag >> 13, 2, h.At(6), 1);
    w->AddBool("ip.flags.rb", (*frag & 0x8000) != 0, h.At(6), 1);
    w->AddBool("ip.flags.df", (*frag & 0x4000) != 0, h.At(6), 1);
    w->AddBool("ip.flags.mf", (*frag & 0x2000) != 0, h.At(6), 1);
    w->AddNumber("ip.frag_offset", *frag & 0x1fff, h.At(6), 2);  // in 8-byte units, as tshark
  }
  w->U8("ip.ttl", h, 8);
  w->U8("ip.proto", h, 9);
  w->Hex16("ip.checksum", h, 10);
  AddAddress(*w, "ip.src", h, 12, 4);
  AddAddress(*w, "ip.dst", h, 16, 4);
  if (header < kIpv4MinHeader || !h.Has(0, header) || !total || *total < header) return next;
  next.complete = true;
  next.protocol = *h.U8(9);
  next.fragment = (*frag & 0x3fff) != 0;
  next.payload = PayloadAfter(packet, header, *total);
  // As tshark's tcp.len: what the IP length announces, within what the frame had on the wire.
  next.wire_payload_length = std::min<size_t>(*total, std::max(wire_size, header)) - header;
  return next;
}

IpNext AddIpv6Layer(LayerContext* ctx, Bytes packet) {
  IpNext next;
  const HeaderBytes h(packet);
  std::optional<LayerWriter> w =
      LayerWriter::Open(ctx, "ipv6", packet.data(), std::min(kIpv6Header, packet.size()));
  if (!w) return next;
  if (auto word = h.U32(0)) {
    w->AddNumber("ipv6.version", *word >> 28, h.At(0), 1);
    w->AddHex("ipv6.tclass", (*word >> 20) & 0xff, 8, h.At(0), 4);
    w->AddHex("ipv6.flow", *word & 0xfffff, 6, h.At(1), 3);
  }
  w->U16("ipv6.plen", h, 4);
  w->U8("ipv6.nxt", h, 6);
  w->U8("ipv6.hlim", h, 7);
  AddAddress(*w, "ipv6.src", h, 8, 16);
  AddAddress(*w, "ipv6.dst", h, 24, 16);
  if (!h.Has(0, kIpv6Header)) return next;
  uint8_t type = *h.U8(6);
  size_t at = kIpv6Header;
  bool fragment_seen = false;
  for (int i = 0; i < kMaxExtensionHeaders; ++i) {
    if (type != kHopByHop && type != kRouting && type != kFragment && type != kAuthentication &&
        type != kDestinationOptions) {
      break;
    }
    // Wireshark's ipv6 item spans the extension headers up to a fragment header.
    if (type == kFragment && !fragment_seen) {
      w->SetLength(at);
      fragment_seen = true;
    }
    const size_t end = AddExtension(ctx, h, type, at, &next);
    if (end == 0 || end > h.size()) return next;
    type = *h.U8(at);
    at = end;
  }
  if (!fragment_seen) w->SetLength(at);
  next.complete = true;
  next.protocol = type;
  const size_t ip_length = kIpv6Header + *h.U16(4);
  next.payload = PayloadAfter(packet, at, ip_length);
  next.wire_payload_length = ip_length >= at ? ip_length - at : 0;
  return next;
}

}  // namespace mcpcap
