#include "backend/analysis/packets/packet_line.h"

#include <algorithm>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "backend/analysis/common/protocol_stack.h"
#include "backend/analysis/common/result_parts.h"
#include "backend/base/proto_time.h"
#include "backend/dissect/dns.h"
#include "backend/dissect/dns_names.h"
#include "backend/dissect/icmp_names.h"

namespace mcpcap {
namespace {

// Info texts are cut here (long DNS answers, hostile names).
constexpr size_t kMaxInfoLength = 240;
// DNS questions and answers named in an Info text at most.
constexpr size_t kMaxDnsRecordsShown = 4;

const char* const kArrow = " \u2192 ";

bool IsIp(const DecodedPacket& p) {
  return p.l3_kind == L3Kind::kIpv4 || p.l3_kind == L3Kind::kIpv6;
}

std::string Ipv4Text(const uint8_t* p) { return IpAddress::V4(p).ToString(); }

// Offset of the ARP header in the frame for the links that carry ARP; -1 when not known.
int ArpOffset(const DecodedPacket& p) {
  switch (p.link_kind) {
    case LinkKind::kEthernet:
      return 14 + 4 * p.vlan_count;
    case LinkKind::kLinuxSll:
      return 16;
    case LinkKind::kLinuxSll2:
      return 20;
    default:
      return -1;
  }
}

// "Who has 10.0.0.1? Tell 10.0.0.2", "10.0.0.1 is at aa:bb:cc:dd:ee:ff", as tshark writes them
// for Ethernet/IPv4 ARP.
std::string ArpInfo(const Frame& f) {
  const int offset = &f.packet == &f.outer ? ArpOffset(f.packet) : -1;
  const Bytes data = f.record.data;
  if (offset < 0 || data.size() < static_cast<size_t>(offset) + 28) return "ARP";
  const uint8_t* a = data.data() + offset;
  const uint16_t ptype = static_cast<uint16_t>(a[2] << 8 | a[3]);
  if (ptype != 0x0800 || a[4] != 6 || a[5] != 4) return "ARP";
  const uint16_t op = static_cast<uint16_t>(a[6] << 8 | a[7]);
  MacAddress sha, tha;
  std::copy(a + 8, a + 14, sha.bytes);
  std::copy(a + 18, a + 24, tha.bytes);
  const std::string spa = Ipv4Text(a + 14);
  const std::string tpa = Ipv4Text(a + 24);
  switch (op) {
    case 1:
      if (spa == tpa) return absl::StrCat("Gratuitous ARP for ", spa, " (Request)");
      return absl::StrCat("Who has ", tpa, "? Tell ", spa);
    case 2:
      if (spa == tpa) return absl::StrCat("Gratuitous ARP for ", spa, " (Reply)");
      return absl::StrCat(spa, " is at ", MacText(sha));
    case 3:
      return absl::StrCat("Who is ", MacText(tha), "? Tell ", MacText(sha));
    case 4:
      return absl::StrCat(MacText(tha), " is at ", tpa);
    default:
      return absl::StrCat("ARP opcode ", op);
  }
}

std::string IcmpInfoText(const DecodedPacket& p) {
  const int version = p.ip.version;
  std::string out = IcmpTypeName(version, p.icmp.type);
  if (p.icmp.is_echo) {
    absl::StrAppendFormat(&out, " id=0x%04x, seq=%u/%u, ttl=%u", p.icmp.id, p.icmp.seq,
                          static_cast<uint16_t>((p.icmp.seq >> 8) | (p.icmp.seq << 8)), p.ip.ttl);
  } else if (!p.icmp.header_truncated) {
    absl::StrAppend(&out, " (", IcmpCodeName(version, p.icmp.type, p.icmp.code), ")");
  }
  return out;
}

// The record's readable data: an address or a target name.
std::string DnsRecordText(const DnsRecordEntry& r) {
  std::string out = DnsTypeName(r.type);
  if (!r.address.empty()) absl::StrAppend(&out, " ", r.address);
  if (!r.target.empty()) absl::StrAppend(&out, " ", r.target);
  return out;
}

// tshark's words for a DNS opcode and a response code.
std::string DnsOpcodeText(uint8_t opcode) {
  switch (opcode) {
    case 0:
      return "Standard query";
    case 1:
      return "Inverse query";
    case 2:
      return "Server status request";
    case 4:
      return "Zone change notification";
    case 5:
      return "Dynamic update";
    default:
      return absl::StrCat("Unknown operation (", opcode, ")");
  }
}

std::string DnsRcodeText(uint16_t rcode) {
  static constexpr const char* kNames[] = {
      "No error",          "Format error",    "Server failure",
      "No such name",      "Not implemented", "Refused",
      "Name exists",       "RRset exists",    "RRset does not exist",
      "Not authoritative", "Name out of zone"};
  if (rcode < sizeof(kNames) / sizeof(kNames[0])) return kNames[rcode];
  return DnsRcodeName(rcode);
}

// The DNS variant a protocol stack names, if any ("dns", "mdns", "llmnr").
std::optional<DnsVariant> DnsIn(const ProtocolStack& stack) {
  for (size_t i = 0; i < stack.size; ++i) {
    if (stack.names[i] == "dns") return DnsVariant::kDns;
    if (stack.names[i] == "mdns") return DnsVariant::kMdns;
    if (stack.names[i] == "llmnr") return DnsVariant::kLlmnr;
  }
  return std::nullopt;
}

// "Standard query 0x1234 A example.com", "Standard query response 0x1234 A example.com A
// 192.0.2.1" for a DNS message (over TCP: the first, after its length); empty when there is none.
std::string DnsInfo(const DecodedPacket& p, DnsVariant variant) {
  Bytes message = p.payload;
  if (p.l4_kind == L4Kind::kTcp) {
    if (message.size() < 2) return "";
    const size_t length = static_cast<size_t>(message[0] << 8 | message[1]);
    message = message.subspan(2, std::min(length, message.size() - 2));
  }
  DnsMessage m;
  if (!ParseDnsMessage(message, variant, &m)) return "";
  std::string out = DnsOpcodeText(m.opcode());
  if (m.is_response()) absl::StrAppend(&out, " response");
  absl::StrAppendFormat(&out, " 0x%04x", m.id);
  if (m.is_response() && m.rcode() != 0) absl::StrAppend(&out, " ", DnsRcodeText(m.rcode()));
  for (size_t i = 0; i < m.questions.size() && i < kMaxDnsRecordsShown; ++i) {
    absl::StrAppend(&out, " ", DnsTypeName(m.questions[i].type), " ", m.questions[i].name);
  }
  for (size_t i = 0; i < m.answers.size() && i < kMaxDnsRecordsShown; ++i) {
    absl::StrAppend(&out, " ", DnsRecordText(m.answers[i]));
  }
  return out;
}

std::string UdpInfoText(const DecodedPacket& udp) {
  if (udp.udp.length < 8) {
    // A length field tshark rejects (0 included: no jumbograms here).
    return absl::StrCat(udp.src_port, kArrow, udp.dst_port, " [BAD UDP LENGTH ", udp.udp.length,
                        " < 8]");
  }
  return absl::StrCat(udp.src_port, kArrow, udp.dst_port, " Len=", udp.udp.length - 8u);
}

std::string FragmentInfo(const DecodedPacket& p) {
  return absl::StrFormat("Fragmented IP protocol (proto=%s %u, off=%u, ID=%04x)",
                         IpProtocolName(p.ip.protocol), p.ip.protocol, p.ip.fragment_offset,
                         p.ip.id);
}

}  // namespace

std::string MacText(const MacAddress& m) {
  return absl::StrFormat("%02x:%02x:%02x:%02x:%02x:%02x", m.bytes[0], m.bytes[1], m.bytes[2],
                         m.bytes[3], m.bytes[4], m.bytes[5]);
}

PacketAddresses AddressesOf(const Frame& f) {
  PacketAddresses out;
  // The innermost IP header names the packet (tshark's columns are overwritten by each layer);
  // an ICMP error's quoted packet is not opened, so its outer addresses stay.
  const DecodedPacket& p = f.packet;
  if (IsIp(p)) {
    out.source = p.ip.src.ToString();
    out.destination = p.ip.dst.ToString();
  } else if (p.has_src_mac || p.has_dst_mac) {
    if (p.has_src_mac) out.source = MacText(p.src_mac);
    if (p.has_dst_mac) out.destination = MacText(p.dst_mac);
  } else if (IsIp(f.outer)) {
    out.source = f.outer.ip.src.ToString();
    out.destination = f.outer.ip.dst.ToString();
  }
  const DecodedPacket* w = f.whole;
  if (w != nullptr && (w->l4_kind == L4Kind::kTcp || w->l4_kind == L4Kind::kUdp)) {
    out.source_port = w->src_port;
    out.destination_port = w->dst_port;
  }
  return out;
}

void PacketDescriber::Observe(const Frame& f) {
  stack_ = DescribeProtocols(f, &protocols_);
  if (f.whole != nullptr && f.whole->l4_kind == L4Kind::kTcp && f.stream_index.has_value()) {
    tcp_.Observe(*f.whole, *f.stream_index);
  }
}

std::string PacketDescriber::LayerInfo(const Frame& f) const {
  const DecodedPacket& p = f.packet;
  const DecodedPacket* w = f.whole;
  if (w != nullptr && w->l4_kind == L4Kind::kTcp) {
    return tcp_.Describe(*w, f.stream_index.has_value() ? &*f.stream_index : nullptr);
  }
  if (w != nullptr && w->l4_kind == L4Kind::kUdp) return UdpInfoText(*w);
  if (IsIp(p) && p.ip.is_fragment) return FragmentInfo(p);
  if (p.l4_kind == L4Kind::kIcmp || p.l4_kind == L4Kind::kIcmpv6) return IcmpInfoText(p);
  if (p.l3_kind == L3Kind::kArp) return ArpInfo(f);
  if (IsIp(p)) return IpProtocolName(p.ip.protocol);
  if (p.ethertype != 0) return absl::StrFormat("Ethertype 0x%04x", p.ethertype);
  return "";
}

std::string PacketDescriber::Info(const Frame& f, const ProtocolStack& stack) const {
  // A DNS message as tshark's DNS dissector writes it, else the transport's or network's text.
  const std::optional<DnsVariant> dns = f.whole != nullptr ? DnsIn(stack) : std::nullopt;
  std::string out = dns ? DnsInfo(*f.whole, *dns) : std::string();
  if (out.empty()) out = LayerInfo(f);
  if (out.size() > kMaxInfoLength) {
    // Cut on a UTF-8 boundary (the arrow is the only multi-byte text we write).
    size_t cut = kMaxInfoLength;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xc0) == 0x80) --cut;
    out.resize(cut);
    out += "...";
  }
  return out;
}

void PacketDescriber::FillLine(const Frame& f, CaptureNanos first_time,
                               v1::PacketLine* line) const {
  FillPacketRef(f.record.frame_number, f.time, line->mutable_packet());
  SetDurationNanos(f.time - first_time, line->mutable_relative_time());
  line->set_length(f.record.origlen);
  line->set_captured_length(f.record.caplen);
  const ProtocolStack& stack = stack_;
  line->set_protocol(ProtocolColumn(f, stack));
  PacketAddresses a = AddressesOf(f);
  line->set_source(std::move(a.source));
  line->set_destination(std::move(a.destination));
  if (a.source_port) line->set_source_port(*a.source_port);
  if (a.destination_port) line->set_destination_port(*a.destination_port);
  if (f.stream_index) line->set_stream_index(*f.stream_index);
  line->set_info(Info(f, stack));
}

}  // namespace mcpcap
