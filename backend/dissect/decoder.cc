#include "backend/dissect/decoder.h"

#include "backend/dissect/ethernet.h"
#include "backend/dissect/icmp.h"
#include "backend/dissect/ipv4.h"
#include "backend/dissect/ipv6.h"
#include "backend/dissect/tcp.h"
#include "backend/dissect/udp.h"

namespace mcpcap {
namespace {

enum : uint8_t { kProtoIcmp = 1, kProtoTcp = 6, kProtoUdp = 17, kProtoIcmpv6 = 58 };

void DecodeTransportHeader(uint8_t protocol, Bytes data, size_t wire_length, DecodedPacket* out) {
  switch (protocol) {
    case kProtoTcp:
      DecodeTcp(data, wire_length, out);
      break;
    case kProtoUdp:
      DecodeUdp(data, wire_length, out);
      break;
    case kProtoIcmp:
      DecodeIcmp(data, out);
      break;
    case kProtoIcmpv6:
      DecodeIcmpv6(data, out);
      break;
    default:
      out->l4_kind = L4Kind::kOther;
      out->payload = data;
      break;
  }
}

// ARP and RARP (same format) are identified, not decoded: only the fixed part is checked.
void DecodeArp(Bytes data, DecodedPacket* out) {
  if (data.size() < 8) {
    out->anomalies.Add(Anomaly::kArpTruncated);
    return;
  }
  out->l3_kind = L3Kind::kArp;
}

}  // namespace

void DecodePacket(uint16_t link_type, Bytes frame, uint32_t wire_length, DecodedPacket* out) {
  *out = DecodedPacket();
  out->link_type = link_type;
  if (wire_length > frame.size()) out->anomalies.Add(Anomaly::kSnaplenTruncated);

  Bytes network;
  if (!DecodeLinkLayer(link_type, frame, out, &network)) return;

  size_t wire_payload_length = 0;
  bool decode_transport = false;
  uint16_t network_type = out->ethertype;
  // As Wireshark's IP dissector does, a version-6 header where IPv4 was announced (Ethernet type
  // 0x0800, LINKTYPE_IPV4, GRE) is decoded as IPv6; the reverse is not.
  if (network_type == kEthertypeIpv4 && !network.empty() && network[0] >> 4 == 6) {
    network_type = kEthertypeIpv6;
  }
  switch (network_type) {
    case kEthertypeIpv4:
      decode_transport = DecodeIpv4(network, out, &wire_payload_length);
      break;
    case kEthertypeIpv6:
      decode_transport = DecodeIpv6(network, out, &wire_payload_length);
      break;
    case kEthertypeArp:
    case kEthertypeRarp:
      DecodeArp(network, out);
      return;
    default:
      out->l3_kind = L3Kind::kOther;
      return;
  }
  if (decode_transport) {
    DecodeTransportHeader(out->ip.protocol, out->ip.payload, wire_payload_length, out);
  }
}

void DecodeTransport(uint8_t protocol, Bytes ip_payload, DecodedPacket* out) {
  DecodeTransportHeader(protocol, ip_payload, ip_payload.size(), out);
}

}  // namespace mcpcap
