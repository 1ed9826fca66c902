#include "backend/analysis/packets/layer_link.h"

#include <algorithm>
#include <string>

#include "backend/dissect/ip_address.h"
#include "backend/dissect/link_layer.h"

namespace mcpcap {
namespace {

constexpr size_t kEthernetHeader = 14;
constexpr size_t kVlanTag = 4;

// The bytes from `start` to the network header (or `header` bytes when it is unknown), clamped
// to the capture.
size_t LinkLength(Bytes frame, size_t start, size_t header, const uint8_t* network) {
  if (network != nullptr && network >= frame.data() + start) {
    return static_cast<size_t>(network - frame.data()) - start;
  }
  return start >= frame.size() ? 0 : std::min(header, frame.size() - start);
}

void AddMac(LayerWriter& w, absl::string_view name, const HeaderBytes& h, size_t at) {
  if (h.Has(at, 6)) w.Add(name, MacText(h.At(at)), h.At(at), 6);
}

void AddEthernet(LayerContext* ctx, Bytes frame, const DecodedPacket& link,
                 const uint8_t* network) {
  const HeaderBytes h(frame);
  std::optional<LayerWriter> eth =
      LayerWriter::Open(ctx, "eth", frame.data(), std::min(kEthernetHeader, frame.size()));
  if (!eth) return;
  AddMac(*eth, "eth.dst", h, 0);
  AddMac(*eth, "eth.src", h, 6);
  if (auto type = h.U16(12)) {
    if (*type >= 0x0600) {
      eth->AddHex("eth.type", *type, 4, h.At(12), 2);
    } else {
      eth->AddNumber("eth.len", *type, h.At(12), 2);
    }
  }
  size_t at = kEthernetHeader;
  for (uint8_t i = 0; i < link.vlan_count && i < kMaxVlanTags && h.Has(at, kVlanTag); ++i) {
    // Wireshark names an 802.1ad (provider) tag ieee8021ad, without its type field.
    const bool provider = link.vlans[i].tpid == 0x88a8;
    std::optional<LayerWriter> vlan =
        LayerWriter::Open(ctx, provider ? "ieee8021ad" : "vlan", h.At(at), kVlanTag);
    if (!vlan) return;
    const uint16_t tci = *h.U16(at);
    const std::string prefix = provider ? "ieee8021ad" : "vlan";
    vlan->AddNumber(prefix + ".priority", tci >> 13, h.At(at), 2);
    vlan->AddBool(prefix + ".dei", (tci & 0x1000) != 0, h.At(at), 2);
    vlan->AddNumber(prefix + ".id", tci & 0x0fff, h.At(at), 2);
    vlan->AddHex(prefix + ".etype", *h.U16(at + 2), 4, h.At(at + 2), 2);
    at += kVlanTag;
  }
  // MPLS labels, a PPPoE session or an 802.2 header between the tags and the network header.
  const size_t rest = LinkLength(frame, at, 0, network);
  if (rest == 0) return;
  const uint16_t type = link.vlan_count > 0 ? link.vlans[link.vlan_count - 1].tpid : 0;
  const uint16_t announced = h.U16(at - 2).value_or(type);
  absl::string_view name = "llc";
  if (announced == 0x8847 || announced == 0x8848) name = "mpls";
  if (announced == 0x8864) name = "pppoes";
  LayerWriter::Open(ctx, name, h.At(at), rest);
}

void AddSll(LayerContext* ctx, Bytes frame, const uint8_t* network) {
  const HeaderBytes h(frame);
  std::optional<LayerWriter> sll =
      LayerWriter::Open(ctx, "sll", frame.data(), LinkLength(frame, 0, 16, network));
  if (!sll) return;
  sll->U16("sll.pkttype", h, 0);
  sll->U16("sll.hatype", h, 2);
  sll->U16("sll.halen", h, 4);
  if (h.U16(4).value_or(0) == 6) AddMac(*sll, "sll.src.eth", h, 6);
  sll->Hex16("sll.etype", h, 14);
}

void AddSll2(LayerContext* ctx, Bytes frame, const uint8_t* network) {
  const HeaderBytes h(frame);
  std::optional<LayerWriter> sll =
      LayerWriter::Open(ctx, "sll", frame.data(), LinkLength(frame, 0, 20, network));
  if (!sll) return;
  sll->Hex16("sll.etype", h, 0);
  sll->U32("sll.ifindex", h, 4);
  sll->U16("sll.hatype", h, 8);
  sll->U8("sll.pkttype", h, 10);
  sll->U8("sll.halen", h, 11);
  if (h.U8(11).value_or(0) == 6) AddMac(*sll, "sll.src.eth", h, 12);
}

void AddNull(LayerContext* ctx, uint16_t link_type, Bytes frame, const uint8_t* network) {
  const HeaderBytes h(frame);
  std::optional<LayerWriter> null =
      LayerWriter::Open(ctx, "null", frame.data(), LinkLength(frame, 0, 4, network));
  if (!null || !h.Has(0, 4)) return;
  // LINKTYPE_LOOP is big-endian; LINKTYPE_NULL is the writer's order (families are small).
  uint32_t family = *h.U32(0);
  if (link_type == kLinkTypeNull && (family & 0xffff) == 0) {
    family = uint32_t{h.At(0)[0]} | uint32_t{h.At(0)[1]} << 8 | uint32_t{h.At(0)[2]} << 16 |
             uint32_t{h.At(0)[3]} << 24;
  }
  null->AddNumber("null.family", family, h.At(0), 4);
}

}  // namespace

void AddLinkLayers(LayerContext* ctx, uint16_t link_type, Bytes frame, const DecodedPacket& link,
                   const uint8_t* network) {
  switch (link_type) {
    case kLinkTypeEthernet:
      AddEthernet(ctx, frame, link, network);
      return;
    case kLinkTypeLinuxSll:
      AddSll(ctx, frame, network);
      return;
    case kLinkTypeLinuxSll2:
      AddSll2(ctx, frame, network);
      return;
    case kLinkTypeNull:
    case kLinkTypeLoop:
      AddNull(ctx, link_type, frame, network);
      return;
    case kLinkTypeRaw:
    case kLinkTypeRawAlt12:
    case kLinkTypeRawAlt14:
    case kLinkTypeIpv4:
    case kLinkTypeIpv6:
      return;  // the frame is the IP packet
    default:
      break;
  }
  absl::string_view name = "link";
  switch (link_type) {
    case kLinkTypePpp:
    case kLinkTypePppHdlc:
    case kLinkTypeCiscoHdlc:
      name = "ppp";
      break;
    case kLinkTypeFddi:
      name = "fddi";
      break;
    case kLinkTypeNflog:
      name = "nflog";
      break;
    case kLinkTypeIpoib:
      name = "ipoib";
      break;
    default:
      break;
  }
  if (network != nullptr && network > frame.data()) {
    LayerWriter::Open(ctx, name, frame.data(), static_cast<size_t>(network - frame.data()));
  }
}

void AddArpLayer(LayerContext* ctx, Bytes arp) {
  const HeaderBytes h(arp);
  const size_t hw = h.U8(4).value_or(0);
  const size_t proto = h.U8(5).value_or(0);
  std::optional<LayerWriter> w =
      LayerWriter::Open(ctx, "arp", arp.data(), std::min(arp.size(), 8 + 2 * (hw + proto)));
  if (!w) return;
  w->U16("arp.hw.type", h, 0);
  w->Hex16("arp.proto.type", h, 2);
  w->U8("arp.hw.size", h, 4);
  w->U8("arp.proto.size", h, 5);
  w->U16("arp.opcode", h, 6);
  if (hw != 6 || proto != 4) return;
  AddMac(*w, "arp.src.hw_mac", h, 8);
  if (h.Has(14, 4)) w->Add("arp.src.proto_ipv4", IpAddress::V4(h.At(14)).ToString(), h.At(14), 4);
  AddMac(*w, "arp.dst.hw_mac", h, 18);
  if (h.Has(24, 4)) w->Add("arp.dst.proto_ipv4", IpAddress::V4(h.At(24)).ToString(), h.At(24), 4);
}

}  // namespace mcpcap
