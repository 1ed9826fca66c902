// DNS and DHCP layers of get_packet_details (declared in layer_app.h).
#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "backend/analysis/packets/layer_app.h"
#include "backend/dissect/dhcp.h"
#include "backend/dissect/dhcp_options.h"
#include "backend/dissect/dns.h"
#include "backend/dissect/dns_name.h"

namespace mcpcap {
namespace {

constexpr uint16_t kDnsPort = 53;
constexpr uint16_t kMdnsPort = 5353;
constexpr uint16_t kLlmnrPort = 5355;
constexpr uint16_t kNetbiosNamePort = 137;
constexpr uint16_t kDhcpServerPort = 67;
constexpr uint16_t kDhcpClientPort = 68;

// tshark writes the root as "<Root>".
std::string NameText(const std::string& name) {
  return name.empty() || name == kDnsRootName ? "<Root>" : name;
}

// The field tshark names a record's data by, for the types it has one for.
absl::string_view DataFieldName(uint16_t type) {
  switch (type) {
    case kDnsTypeA:
      return "dns.a";
    case kDnsTypeAaaa:
      return "dns.aaaa";
    case kDnsTypeCname:
      return "dns.cname";
    case kDnsTypeNs:
      return "dns.ns";
    case kDnsTypePtr:
      return "dns.ptr.domain_name";
    case kDnsTypeMx:
      return "dns.mx.mail_exchange";
    case kDnsTypeTxt:
      return "dns.txt";
    case kDnsTypeSrv:
      return "dns.srv.target";
    default:
      return "dns.resp.data";  // no single tshark field: the record's data in zone-file form
  }
}

void AddRecords(LayerWriter& w, const std::vector<DnsRecordEntry>& records) {
  for (const DnsRecordEntry& r : records) {
    w.Add("dns.resp.name", NameText(r.name));
    w.AddNumber("dns.resp.type", r.type);
    if (r.type == kDnsTypeOpt) {
      w.AddNumber("dns.rr.udp_payload_size", r.klass);
      continue;
    }
    w.AddNumber("dns.resp.ttl", r.ttl);
    const std::string& value = !r.address.empty()  ? r.address
                               : !r.target.empty() ? r.target
                                                   : r.data;
    if (!value.empty()) w.Add(DataFieldName(r.type), value);
  }
}

}  // namespace

namespace {

void AddDnsMessage(LayerContext* ctx, absl::string_view name, DnsVariant variant, Bytes message) {
  DnsMessage msg;
  if (!ParseDnsMessage(message, variant, &msg)) return;
  std::optional<LayerWriter> w = LayerWriter::Open(ctx, name, message.data(), message.size());
  if (!w) return;
  const HeaderBytes h(message);
  w->Hex16("dns.id", h, 0);
  w->Hex16("dns.flags", h, 2);
  w->AddBool("dns.flags.response", msg.is_response(), h.At(2), 2);
  w->AddNumber("dns.flags.opcode", msg.opcode(), h.At(2), 2);
  if (msg.is_response()) w->AddNumber("dns.flags.rcode", msg.header_rcode(), h.At(2), 2);
  // UPDATE (opcode 5) names its sections zones, prerequisites, updates and additionals.
  const bool update = msg.opcode() == 5;
  w->U16(update ? "dns.count.zones" : "dns.count.queries", h, 4);
  w->U16(update ? "dns.count.prerequisites" : "dns.count.answers", h, 6);
  w->U16(update ? "dns.count.updates" : "dns.count.auth_rr", h, 8);
  w->U16("dns.count.add_rr", h, 10);
  for (const DnsQuestionEntry& q : msg.questions) {
    w->Add("dns.qry.name", NameText(q.name));
    w->AddNumber("dns.qry.type", q.type);
  }
  AddRecords(*w, msg.answers);
  AddRecords(*w, msg.authorities);
  AddRecords(*w, msg.additionals);
}

}  // namespace

bool AddDnsLayer(LayerContext* ctx, bool tcp, uint16_t src_port, uint16_t dst_port, Bytes payload) {
  if (tcp) {
    if (src_port != kDnsPort && dst_port != kDnsPort) return false;
    // The length-prefixed messages the segment holds whole, from its start (a message split over
    // segments is not decoded here: that needs the stream).
    constexpr int kMaxMessagesPerSegment = 16;
    bool any = false;
    for (int i = 0; i < kMaxMessagesPerSegment && payload.size() >= 2 + kDnsHeaderSize; ++i) {
      const size_t length = LoadU16Be(payload.data());
      if (length < kDnsHeaderSize || 2 + length > payload.size()) break;
      AddDnsMessage(ctx, "dns", DnsVariant::kDns, payload.subspan(2, length));
      payload = payload.subspan(2 + length);
      any = true;
    }
    return any;
  }
  DnsVariant variant = DnsVariant::kDns;
  absl::string_view name = "dns";
  if (src_port == kMdnsPort || dst_port == kMdnsPort) {
    variant = DnsVariant::kMdns;
    name = "mdns";
  } else if (src_port == kLlmnrPort || dst_port == kLlmnrPort) {
    variant = DnsVariant::kLlmnr;
    name = "llmnr";
  } else if (src_port != kDnsPort && dst_port != kDnsPort) {
    // Elsewhere only what passes the strict test (as our DNS analysis finds DNS on other ports),
    // NetBIOS name service (137, DNS-shaped) excepted.
    if (src_port == kNetbiosNamePort || dst_port == kNetbiosNamePort) return false;
    DnsMessage probe;
    if (!ParseDnsMessage(payload, variant, &probe) || !LooksLikeDns(probe)) return false;
  }
  DnsMessage msg;
  if (!ParseDnsMessage(payload, variant, &msg)) return false;
  AddDnsMessage(ctx, name, variant, payload);
  return true;
}

bool AddDhcpLayer(LayerContext* ctx, uint16_t src_port, uint16_t dst_port, Bytes payload) {
  const bool ports = (src_port == kDhcpServerPort || src_port == kDhcpClientPort) &&
                     (dst_port == kDhcpServerPort || dst_port == kDhcpClientPort);
  if (!ports) return false;
  std::optional<DhcpMessage> msg = ParseDhcp(payload);
  if (!msg) return false;
  std::optional<LayerWriter> w = LayerWriter::Open(ctx, "dhcp", payload.data(), payload.size());
  if (!w) return true;
  const HeaderBytes h(payload);
  w->U8("dhcp.type", h, 0);
  w->Hex8("dhcp.hw.type", h, 1);
  w->U8("dhcp.hw.len", h, 2);
  w->U8("dhcp.hops", h, 3);
  if (auto xid = h.U32(4)) w->AddHex("dhcp.id", *xid, 8, h.At(4), 4);
  w->U16("dhcp.secs", h, 8);
  w->Hex16("dhcp.flags", h, 10);
  const struct {
    const char* name;
    const IpAddress* address;
    size_t at;
  } addresses[] = {{"dhcp.ip.client", &msg->ciaddr, 12},
                   {"dhcp.ip.your", &msg->yiaddr, 16},
                   {"dhcp.ip.server", &msg->siaddr, 20},
                   {"dhcp.ip.relay", &msg->giaddr, 24}};
  for (const auto& a : addresses) {
    if (h.Has(a.at, 4)) w->Add(a.name, a.address->ToString(), h.At(a.at), 4);
  }
  const size_t hardware_length = std::min<size_t>(msg->hlen, 16);
  if (hardware_length > 0 && h.Has(28, hardware_length)) {
    w->Add("dhcp.hw.mac_addr", msg->ClientHardwareAddress(), h.At(28), hardware_length);
  }
  if (!msg->sname.empty()) w->Add("dhcp.server", msg->sname);
  if (!msg->file.empty()) w->Add("dhcp.file", msg->file);
  if (msg->message_type() != 0) w->AddNumber("dhcp.option.dhcp", msg->message_type());
  for (const DhcpOption& option : msg->options) {
    if (option.code == 53) continue;  // dhcp.option.dhcp above
    std::vector<std::string> values;
    FormatDhcpOption(option.code, option.data, &values);
    const std::string value = values.empty() ? HexColons(option.data) : absl::StrJoin(values, ",");
    w->Add(std::string("dhcp.option.") + DhcpOptionName(option.code), value);
  }
  return true;
}

}  // namespace mcpcap
