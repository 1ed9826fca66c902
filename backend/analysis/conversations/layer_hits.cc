#include "backend/analysis/conversations/layer_hits.h"

#include "absl/strings/str_format.h"

namespace mcpcap {
namespace {

void AddHit(const TableAddress& src, const TableAddress& dst, uint16_t src_port, uint16_t dst_port,
            std::optional<uint64_t> stream, LayerHits* out) {
  if (out->count == out->hits.size()) return;
  out->hits[out->count++] = LayerHit{src, dst, src_port, dst_port, stream};
}

void AddEthernet(const DecodedPacket& p, LayerHits* out) {
  if (p.link_kind != LinkKind::kEthernet || !p.has_src_mac || !p.has_dst_mac) return;
  AddHit(TableAddress::Mac(p.src_mac), TableAddress::Mac(p.dst_mac), 0, 0, std::nullopt, out);
}

// A TCP or UDP header (a fragment has none: the datagram it completes is the frame's `whole`).
void AddTransport(const DecodedPacket& p, L4Kind kind, std::optional<uint64_t> stream,
                  LayerHits* out) {
  if (p.l4_kind != kind || (kind == L4Kind::kUdp && p.udp.length < 8)) return;
  AddHit(TableAddress::Ip(p.ip.src), TableAddress::Ip(p.ip.dst), p.src_port, p.dst_port, stream,
         out);
}

}  // namespace

TableAddress TableAddress::Mac(const MacAddress& mac) {
  TableAddress a;
  a.kind = kMac;
  std::memcpy(a.bytes, mac.bytes, sizeof(mac.bytes));
  return a;
}

TableAddress TableAddress::Ip(const IpAddress& ip) {
  TableAddress a;
  a.kind = ip.version() == 4 ? kIpv4 : ip.version() == 6 ? kIpv6 : kNone;
  std::memcpy(a.bytes, ip.bytes(), ip.size());
  return a;
}

IpAddress TableAddress::ip() const {
  return kind == kIpv4 ? IpAddress::V4(bytes) : kind == kIpv6 ? IpAddress::V6(bytes) : IpAddress();
}

std::string TableAddress::ToString() const {
  if (kind != kMac) return ip().ToString();
  return absl::StrFormat("%02x:%02x:%02x:%02x:%02x:%02x", bytes[0], bytes[1], bytes[2], bytes[3],
                         bytes[4], bytes[5]);
}

void LayerHitFinder::AddIp(const Frame& frame, const DecodedPacket& p, L3Kind kind,
                           LayerHits* out) {
  if (p.l3_kind != kind) return;
  if (kind == L3Kind::kIpv6 && p.ip.is_fragment) {
    const bool transport = p.ip.protocol == 6 || p.ip.protocol == 17;  // TCP, UDP
    const bool completes =
        transport ? &p == &frame.packet && frame.whole != nullptr
                  : ipv6_defrag_.Feed(p, frame.record.frame_number, frame.time) != nullptr;
    if (!completes) return;
  }
  AddHit(TableAddress::Ip(p.ip.src), TableAddress::Ip(p.ip.dst), 0, 0, std::nullopt, out);
}

LayerHits LayerHitFinder::Find(const Frame& frame) {
  LayerHits out;
  const bool tunnelled = &frame.packet != &frame.outer;
  switch (EffectiveLayer(layer_)) {
    case v1::CONVERSATION_LAYER_ETH:
      AddEthernet(frame.outer, &out);
      if (tunnelled) AddEthernet(frame.packet, &out);
      break;
    case v1::CONVERSATION_LAYER_IP:
    case v1::CONVERSATION_LAYER_IPV6: {
      const L3Kind kind =
          EffectiveLayer(layer_) == v1::CONVERSATION_LAYER_IP ? L3Kind::kIpv4 : L3Kind::kIpv6;
      AddIp(frame, frame.outer, kind, &out);
      if (tunnelled) AddIp(frame, frame.packet, kind, &out);
      break;
    }
    case v1::CONVERSATION_LAYER_TCP:
    case v1::CONVERSATION_LAYER_UDP: {
      const L4Kind kind =
          EffectiveLayer(layer_) == v1::CONVERSATION_LAYER_TCP ? L4Kind::kTcp : L4Kind::kUdp;
      if (tunnelled) AddTransport(frame.outer, kind, frame.outer_stream_index, &out);
      if (frame.whole != nullptr) AddTransport(*frame.whole, kind, frame.stream_index, &out);
      break;
    }
    default:
      break;
  }
  return out;
}

}  // namespace mcpcap
