#include "backend/analysis/packets/packet_layers.h"

#include "backend/analysis/packets/layer_app.h"
#include "backend/analysis/packets/layer_fields.h"
#include "backend/analysis/packets/layer_ip.h"
#include "backend/analysis/packets/layer_link.h"
#include "backend/analysis/packets/layer_transport.h"
#include "backend/dissect/decoder.h"
#include "backend/dissect/ethernet.h"
#include "backend/dissect/link_layer.h"
#include "backend/dissect/tunnel.h"

namespace mcpcap {
namespace {

// Tunnels and ICMP-quoted packets opened inside one another, at most.
constexpr int kMaxDepth = 4;

enum : uint8_t {
  kIpInIp = 4,
  kTcp = 6,
  kUdp = 17,
  kIpv6InIp = 41,
  kGre = 47,
  kIcmp = 1,
  kIcmpv6 = 58,
};

void WalkFrame(LayerContext* ctx, const Frame& frame, uint16_t link_type, Bytes bytes,
               uint32_t wire_length);

// Opens the frame of a tunnel or an ICMP error one level deeper.
void WalkInner(LayerContext* ctx, const Frame& frame, uint16_t link_type, Bytes bytes) {
  if (ctx->depth >= kMaxDepth) return;
  ++ctx->depth;
  const size_t excess = bytes.data() + bytes.size() == ctx->frame_end ? ctx->wire_excess : 0;
  WalkFrame(ctx, frame, link_type, bytes, static_cast<uint32_t>(bytes.size() + excess));
  --ctx->depth;
}

absl::string_view UdpTunnelName(uint16_t src_port, uint16_t dst_port) {
  for (uint16_t port : {dst_port, src_port}) {
    switch (port) {
      case 4789:
        return "vxlan";
      case 6081:
        return "geneve";
      case 3544:
        return "teredo";
      case 4754:
        return "gre";
      case 2152:
        return "gtp";
      default:
        break;
    }
  }
  return "tunnel";
}

// The tunnel header from `start` to the frame it carries, then that frame. False when `decoded`
// is no tunnel we follow.
bool WalkTunnel(LayerContext* ctx, const Frame& frame, const DecodedPacket& decoded,
                absl::string_view name, Bytes carrier) {
  TunnelPayload inner;
  if (ctx->depth >= kMaxDepth || !FindTunnelPayload(decoded, &inner)) return false;
  const uint8_t* start = carrier.data();
  const uint8_t* end = carrier.data() + carrier.size();
  if (inner.frame.data() < start || inner.frame.data() > end) return false;
  if (!name.empty()) {
    LayerWriter::Open(ctx, name, start, static_cast<size_t>(inner.frame.data() - start));
  }
  WalkInner(ctx, frame, inner.link_type, inner.frame);
  return true;
}

void WalkTransport(LayerContext* ctx, const Frame& frame, uint8_t protocol, Bytes segment,
                   size_t wire_length, const DecodedPacket& decoded) {
  switch (protocol) {
    case kTcp: {
      const TransportNext t = AddTcpLayer(ctx, segment, wire_length);
      if (t.complete) AddApplicationLayers(ctx, true, t.src_port, t.dst_port, t.payload);
      return;
    }
    case kUdp: {
      const TransportNext t = AddUdpLayer(ctx, segment);
      if (!t.complete) return;
      if (WalkTunnel(ctx, frame, decoded, UdpTunnelName(t.src_port, t.dst_port), t.payload)) {
        return;
      }
      AddApplicationLayers(ctx, false, t.src_port, t.dst_port, t.payload);
      return;
    }
    case kIcmp: {
      const TransportNext t = AddIcmpLayer(ctx, segment);
      if (!t.quoted.empty()) WalkInner(ctx, frame, kLinkTypeIpv4, t.quoted);
      return;
    }
    case kIcmpv6: {
      const TransportNext t = AddIcmpv6Layer(ctx, segment);
      if (!t.quoted.empty()) WalkInner(ctx, frame, kLinkTypeIpv6, t.quoted);
      return;
    }
    case kGre:
      WalkTunnel(ctx, frame, decoded, "gre", segment);
      return;
    case kIpInIp:
    case kIpv6InIp:
      WalkTunnel(ctx, frame, decoded, "", segment);
      return;
    default:
      return;
  }
}

// The last fragment of a TCP or UDP datagram: its transport is shown from the reassembled
// datagram (as Wireshark shows it in the frame that completes it).
void WalkReassembled(LayerContext* ctx, const Frame& frame, const DecodedPacket& fragment) {
  const DecodedPacket* whole = frame.whole;
  if (whole == nullptr || whole == &frame.packet || !frame.packet.ip.is_fragment ||
      fragment.ip.id != frame.packet.ip.id || !(fragment.ip.src == frame.packet.ip.src) ||
      !(fragment.ip.dst == frame.packet.ip.dst)) {
    return;
  }
  size_t header = 0;
  if (whole->l4_kind == L4Kind::kTcp) header = whole->tcp.header_length;
  if (whole->l4_kind == L4Kind::kUdp) header = 8;
  if (header == 0) return;
  // DecodeTransport left the payload just after the header, in the reassembled datagram.
  const Bytes datagram(whole->payload.data() - header, header + whole->payload.size());
  LayerContext sub = *ctx;
  sub.base = datagram.data();
  sub.reassembled = true;
  WalkTransport(&sub, frame, whole->ip.protocol, datagram, datagram.size(), *whole);
  ctx->fields_left = sub.fields_left;
}

void WalkNetwork(LayerContext* ctx, const Frame& frame, uint16_t ethertype, Bytes network,
                 size_t wire_size, const DecodedPacket& decoded) {
  // As Wireshark (and our decoder): a version-6 header where IPv4 was announced is IPv6.
  if (ethertype == kEthertypeIpv4 && !network.empty() && network[0] >> 4 == 6) {
    ethertype = kEthertypeIpv6;
  }
  IpNext next;
  switch (ethertype) {
    case kEthertypeIpv4:
      next = AddIpv4Layer(ctx, network, wire_size);
      break;
    case kEthertypeIpv6:
      next = AddIpv6Layer(ctx, network);
      break;
    case kEthertypeArp:
    case kEthertypeRarp:
      AddArpLayer(ctx, network);
      return;
    default:
      return;
  }
  if (!next.complete) return;
  if (next.fragment) {
    WalkReassembled(ctx, frame, decoded);
    return;
  }
  WalkTransport(ctx, frame, next.protocol, next.payload, next.wire_payload_length, decoded);
}

void WalkFrame(LayerContext* ctx, const Frame& frame, uint16_t link_type, Bytes bytes,
               uint32_t wire_length) {
  DecodedPacket link;
  Bytes network;
  const bool linked = DecodeLinkLayer(link_type, bytes, &link, &network);
  AddLinkLayers(ctx, link_type, bytes, link, linked ? network.data() : nullptr);
  if (!linked) return;
  DecodedPacket decoded;
  DecodePacket(link_type, bytes, wire_length, &decoded);
  const size_t link_size = static_cast<size_t>(network.data() - bytes.data());
  WalkNetwork(ctx, frame, link.ethertype, network,
              wire_length > link_size ? wire_length - link_size : network.size(), decoded);
}

}  // namespace

void AddPacketLayers(const Frame& frame, v1::GetPacketDetailsResponse* out) {
  LayerContext ctx;
  ctx.out = out;
  ctx.base = frame.record.data.data();
  ctx.frame_end = frame.record.data.data() + frame.record.data.size();
  if (frame.record.origlen > frame.record.data.size()) {
    ctx.wire_excess = frame.record.origlen - frame.record.data.size();
  }
  WalkFrame(&ctx, frame, frame.record.link_type, frame.record.data, frame.record.origlen);
}

}  // namespace mcpcap
