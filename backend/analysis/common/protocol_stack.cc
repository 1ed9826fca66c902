#include "backend/analysis/common/protocol_stack.h"

#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "backend/dissect/decoder.h"
#include "backend/dissect/link_layer.h"
#include "backend/dissect/tunnel.h"

namespace mcpcap {
namespace {

// Tunnels opened inside one frame, at most (as DecodedScan: deeper nesting is hostile).
constexpr int kMaxTunnelDepth = 2;

uint16_t Be16(Bytes b, size_t at) { return static_cast<uint16_t>((b[at] << 8) | b[at + 1]); }

// The name tshark gives an ethertype it dissects past the Ethernet header; "data" otherwise.
absl::string_view EthertypeName(uint16_t type) {
  switch (type) {
    case 0x0800:
      return "ip";
    case 0x86dd:
      return "ipv6";
    case 0x0806:
    case 0x8035:
      return "arp";
    case 0x8847:
    case 0x8848:
      return "mpls";
    case 0x8863:
      return "pppoed";
    case 0x8864:
      return "pppoes";
    case 0x888e:
      return "eapol";
    case 0x88cc:
      return "lldp";
    case 0x88f7:
      return "ptp";
    case 0x8809:
      return "slow";
    case 0x9000:
      return "loop";
    default:
      return "data";
  }
}

// The name tshark gives an IP protocol we do not decode; "data" for the rest.
absl::string_view IpProtocolName(uint8_t protocol) {
  switch (protocol) {
    case 2:
      return "igmp";
    case 47:
      return "gre";
    case 50:
      return "esp";
    case 51:
      return "ah";
    case 89:
      return "ospf";
    case 103:
      return "pim";
    case 112:
      return "vrrp";
    case 132:
      return "sctp";
    default:
      return "data";
  }
}

// An application protocol tshark's TCP or UDP dissector hands a port to (its "decode as"
// table in the default configuration), for the protocols whose dissector accepts what it gets.
struct PortName {
  uint16_t port;
  const char* name;
};

constexpr PortName kTcpPorts[] = {
    {20, "ftp-data"}, {21, "ftp"},       {22, "ssh"},         {23, "telnet"},  {25, "smtp"},
    {53, "dns"},      {80, "http"},      {88, "kerberos"},    {110, "pop"},    {139, "nbss"},
    {143, "imap"},    {179, "bgp"},      {389, "ldap"},       {443, "tls"},    {445, "nbss"},
    {465, "tls"},     {587, "smtp"},     {631, "http"},       {636, "tls"},    {853, "tls"},
    {993, "tls"},     {995, "tls"},      {1883, "mqtt"},      {3128, "http"},  {3306, "mysql"},
    {5060, "sip"},    {5061, "tls"},     {5353, "dns"},       {5432, "pgsql"}, {5672, "amqp"},
    {6379, "resp"},   {7000, "gryphon"}, {8080, "http"},      {8088, "http"},  {8883, "tls"},
    {9042, "cql"},    {9092, "kafka"},   {11211, "memcache"}, {27017, "tls"},  {29418, "ssh"},
};

constexpr PortName kUdpPorts[] = {
    {53, "dns"},     {67, "dhcp"},        {68, "dhcp"},
    {69, "tftp"},    {88, "kerberos"},    {123, "ntp"},
    {137, "nbns"},   {138, "nbdgm"},      {161, "snmp"},
    {162, "snmp"},   {514, "syslog"},     {546, "dhcpv6"},
    {547, "dhcpv6"}, {1900, "ssdp"},      {3478, "stun"},
    {4011, "dhcp"},  {5060, "sip"},       {5353, "mdns"},
    {5355, "llmnr"}, {11211, "memcache"}, {17500, "db-lsp-disc"},
};

template <size_t N>
const char* LookUpPort(const PortName (&table)[N], uint16_t port) {
  for (const PortName& entry : table) {
    if (entry.port == port) return entry.name;
  }
  return nullptr;
}

absl::string_view AsText(Bytes b, size_t n) {
  return absl::string_view(reinterpret_cast<const char*>(b.data()), b.size() < n ? b.size() : n);
}

// The start of an HTTP request or response line (tshark's HTTP heuristic on TCP).
bool LooksLikeHttp(Bytes payload) {
  const absl::string_view head = AsText(payload, 16);
  if (absl::StartsWith(head, "HTTP/1.")) return true;
  for (absl::string_view method :
       {"GET ", "POST ", "PUT ", "HEAD ", "DELETE ", "OPTIONS ", "PATCH ", "CONNECT ", "TRACE "}) {
    if (absl::StartsWith(head, method)) return true;
  }
  return false;
}

// A SIP request or status line (tshark's SIP heuristic on UDP and TCP).
bool LooksLikeSip(Bytes payload) {
  const absl::string_view head = AsText(payload, 16);
  if (absl::StartsWith(head, "SIP/2.0 ")) return true;
  for (absl::string_view method :
       {"INVITE ", "ACK ", "BYE ", "CANCEL ", "REGISTER ", "OPTIONS ", "INFO ", "NOTIFY ",
        "SUBSCRIBE ", "MESSAGE ", "PRACK ", "UPDATE ", "REFER ", "PUBLISH "}) {
    if (absl::StartsWith(head, method)) return true;
  }
  return false;
}

// A TLS record header: content type 20..23, version 3.0..3.4 (tshark's TLS heuristic on TCP).
bool LooksLikeTls(Bytes payload) {
  if (payload.size() < 5) return false;
  return payload[0] >= 20 && payload[0] <= 23 && payload[1] == 3 && payload[2] <= 4;
}

// tshark's DNS heuristic on UDP: a standard query with one question, or a response with few
// records, long enough for them.
bool LooksLikeDns(Bytes payload) {
  if (payload.size() <= 12) return false;
  const uint16_t flags = Be16(payload, 2);
  const uint16_t questions = Be16(payload, 4), answers = Be16(payload, 6);
  const uint16_t authority = Be16(payload, 8), additional = Be16(payload, 10);
  if ((flags & 0x7800) != 0) return false;  // opcode: standard query
  if ((flags & 0x8000) == 0) {
    if (questions != 1 || answers != 0 || authority != 0) return false;
  } else if (questions > 1 || answers > 10 || authority > 10) {
    return false;
  }
  if (additional > 10 || questions + answers == 0) return false;
  return questions * 6u + (answers + authority + additional) * 11u <= payload.size() - 12;
}

// tshark's Google QUIC heuristic: a public header announcing a "Q0xx" version.
bool LooksLikeGquic(Bytes payload) {
  if (payload.size() >= 13 && (payload[0] & 0x09) == 0x09 && payload[9] == 'Q' &&
      payload[10] == '0') {
    return true;
  }
  return payload.size() >= 5 && (payload[0] & 0x80) && payload[1] == 'Q' && payload[2] == '0';
}

// The application protocol tshark names for the payload of `p` (TCP or UDP): the lower port
// first, then the higher (so both directions agree), then content heuristics; "data" when
// nothing claims a payload; null when there is no payload.
const char* ApplicationName(const DecodedPacket& p) {
  if (p.payload.empty()) return nullptr;
  const bool tcp = p.l4_kind == L4Kind::kTcp;
  const uint16_t low = p.src_port < p.dst_port ? p.src_port : p.dst_port;
  const uint16_t high = p.src_port < p.dst_port ? p.dst_port : p.src_port;
  for (uint16_t port : {low, high}) {
    const char* name = tcp ? LookUpPort(kTcpPorts, port) : LookUpPort(kUdpPorts, port);
    if (name != nullptr) return name;
  }
  if (LooksLikeSip(p.payload)) return "sip";
  if (!tcp && LooksLikeDns(p.payload)) return "dns";
  if (!tcp && LooksLikeGquic(p.payload)) return "gquic";
  if (tcp && LooksLikeHttp(p.payload)) return "http";
  if (tcp && LooksLikeTls(p.payload)) return "tls";
  return "data";
}

// The link layer of the frame as the capture carries it.
void PushLink(const DecodedPacket& p, size_t captured, ProtocolStack* s) {
  switch (p.link_kind) {
    case LinkKind::kEthernet:
      s->Push("eth");
      if (captured < 14) return;
      if (p.vlan_count == 0 && p.ethertype < 0x0600) {
        s->Push("llc");
        return;
      }
      s->Push("ethertype");
      break;
    case LinkKind::kNull:
      s->Push("null");
      break;
    case LinkKind::kRawIp:
      s->Push("raw");
      break;
    case LinkKind::kLinuxSll:
    case LinkKind::kLinuxSll2:
      s->Push("sll");
      s->Push("ethertype");
      break;
    case LinkKind::kNflog:
      s->Push("nflog");
      break;
    case LinkKind::kPpp:
      s->Push("ppp");
      break;
    case LinkKind::kFddi:
      s->Push("fddi");
      break;
    case LinkKind::kIpoib:
      s->Push("ipoib");
      break;
    default:
      break;
  }
}

// The VLAN tags; false at a tag type tshark does not dissect by default (0x9200), which it
// shows as "data".
bool PushVlans(const DecodedPacket& p, ProtocolStack* s) {
  for (uint8_t i = 0; i < p.vlan_count && i < kMaxVlanTags; ++i) {
    if (p.vlans[i].tpid == 0x9200) {
      s->Push("data");
      return false;
    }
    s->Push(p.vlans[i].tpid == 0x88a8 ? "ieee8021ad" : "vlan");
    s->Push("ethertype");
  }
  return true;
}

// The IPv6 extension headers tshark lists (ipv6.hopopts, ...), walked again from the header
// bytes `frame` holds (the decoder keeps only their count).
void PushIpv6Extensions(const DecodedPacket& p, Bytes frame, ProtocolStack* s) {
  if (p.ip.extension_header_count == 0 || p.ip.header_length <= 40) return;
  const uint8_t* payload = p.ip.payload.data();
  if (payload == nullptr || payload < frame.data() + p.ip.header_length ||
      payload > frame.data() + frame.size()) {
    return;
  }
  const Bytes header(payload - p.ip.header_length, p.ip.header_length);
  uint8_t next = header[6];
  size_t at = 40;
  for (size_t i = 0; i < kMaxProtocolLayers && at + 2 <= header.size(); ++i) {
    size_t length = 0;
    switch (next) {
      case 0:
        s->Push("ipv6.hopopts");
        length = (header[at + 1] + 1u) * 8;
        break;
      case 43:
        s->Push("ipv6.routing");
        length = (header[at + 1] + 1u) * 8;
        break;
      case 44:
        s->Push("ipv6.fraghdr");
        length = 8;
        break;
      case 60:
        s->Push("ipv6.dstopts");
        length = (header[at + 1] + 1u) * 8;
        break;
      case 135:
        s->Push("mipv6");
        length = (header[at + 1] + 1u) * 8;
        break;
      default:
        return;
    }
    next = header[at];
    at += length;
  }
}

// The TCP stream state a packet is named with: only for the packet carrying frame's stream.
struct StreamContext {
  ProtocolContext* context;
  uint64_t stream;
  int64_t time;  // capture time of the frame, ns
};

// What tshark adds inside an application message we name: SDP in SIP, JSON in Dropbox LAN sync.
void PushEmbedded(absl::string_view app, Bytes payload, ProtocolStack* s) {
  if (app == "db-lsp-disc") s->Push("json");
  if (app == "sip") {
    const absl::string_view text = AsText(payload, payload.size());
    const size_t end = text.find("\r\n\r\n");
    if (end != absl::string_view::npos && end + 4 < text.size() &&
        absl::AsciiStrToLower(text.substr(0, end)).find("application/sdp") != std::string::npos) {
      s->Push("sdp");
    }
  }
}

void PushTransportAndAbove(const DecodedPacket& p, ProtocolStack* s,
                           const StreamContext* stream = nullptr) {
  switch (p.l4_kind) {
    case L4Kind::kTcp:
      s->Push("tcp");
      break;
    case L4Kind::kUdp:
      s->Push("udp");
      break;
    case L4Kind::kIcmp:
      s->Push("icmp");
      break;
    case L4Kind::kIcmpv6:
      s->Push("icmpv6");
      break;
    case L4Kind::kOther:
      s->Push(IpProtocolName(p.ip.protocol));
      return;
    default:
      return;
  }
  if (p.l4_kind != L4Kind::kTcp && p.l4_kind != L4Kind::kUdp) return;
  const char* app = ApplicationName(p);
  if (p.l4_kind == L4Kind::kTcp && stream != nullptr) {
    TcpPduTracker& tcp = stream->context->tcp();
    const absl::string_view name = app == nullptr ? "" : tcp.StreamProtocol(stream->stream, app);
    // Every segment feeds the stream state; only payload captured gets a name.
    if (!tcp.Dissected(stream->stream, p, stream->time, name) || app == nullptr) return;
    s->Push(name);
    PushEmbedded(name, p.payload, s);
    return;
  }
  if (app == nullptr) return;
  s->Push(app);
  PushEmbedded(app, p.payload, s);
}

// The transport named by an IP header whose transport header was not decoded (cut by the snap
// length or malformed): tshark still lists it.
void PushUndecodedTransport(const DecodedPacket& p, ProtocolStack* s) {
  switch (p.ip.protocol) {
    case 6:
      return s->Push("tcp");
    case 17:
      return s->Push("udp");
    case 1:
      return s->Push("icmp");
    case 58:
      return s->Push("icmpv6");
    default:
      return s->Push(IpProtocolName(p.ip.protocol));
  }
}

// What a tunnel header adds between the outer transport and the frame it carries.
void PushTunnelHeader(const DecodedPacket& outer, const TunnelPayload& tunnel, ProtocolStack* s) {
  Bytes gre;
  if (outer.l4_kind == L4Kind::kUdp) {
    // The UDP application name was pushed already ("vxlan", "geneve", ...) unless the port
    // table lacks it: name the tunnel by its port.
    const uint16_t ports[] = {outer.src_port, outer.dst_port};
    for (uint16_t port : ports) {
      if (port == 4789) return s->Push("vxlan");
      if (port == 6081) return s->Push("geneve");
      if (port == 3544) return s->Push("teredo");
      if (port == 2152) return s->Push("gtp");
      if (port == 4754) {
        s->Push("gre");
        gre = outer.payload;
      }
    }
  } else if (outer.l4_kind == L4Kind::kOther && outer.ip.protocol == 47) {
    gre = outer.ip.payload;  // "gre" was pushed as the IP protocol
  }
  if (gre.size() >= 4) {
    const uint16_t type = Be16(gre, 2);
    if (type == 0x88be || type == 0x22eb) s->Push("erspan");
    if (type == 0x883e) s->Push("wccp");
  }
  (void)tunnel;
}

// The link layer of a frame a tunnel carries: raw IP adds nothing.
void PushInnerLink(const DecodedPacket& p, ProtocolStack* s) {
  if (p.link_kind == LinkKind::kEthernet) {
    s->Push("eth");
    s->Push("ethertype");
  } else if (p.link_kind == LinkKind::kPpp) {
    s->Push("ppp");
  }
}

// Network layer and up for `p`, whose frame bytes are `frame`; `whole` completes an IP fragment.
// `quoted_depth` counts the ICMP errors this packet is quoted in (tshark opens nested quotes;
// we stop at two, deeper is hostile).
void PushNetworkAndUp(const DecodedPacket& p, Bytes frame, const DecodedPacket* whole,
                      ProtocolStack* s, const StreamContext* stream = nullptr,
                      int quoted_depth = 0) {
  switch (p.l3_kind) {
    case L3Kind::kArp:
      s->Push("arp");
      return;
    case L3Kind::kOther:
      s->Push(EthertypeName(p.ethertype));
      return;
    case L3Kind::kIpv4:
      s->Push("ip");
      break;
    case L3Kind::kIpv6:
      s->Push("ipv6");
      PushIpv6Extensions(p, frame, s);
      break;
    default:
      // The network header was not decoded (malformed or cut): tshark names it all the same.
      if (p.ethertype == 0x0800) s->Push("ip");
      if (p.ethertype == 0x86dd) s->Push("ipv6");
      return;
  }
  if (p.ip.is_fragment) {
    // tshark reassembles: the fragment completing a datagram carries the datagram's stack,
    // the others are "data". Our reassembly completes TCP and UDP; a last fragment of
    // another protocol is taken as completing.
    if (whole != nullptr) return PushTransportAndAbove(*whole, s, stream);
    const bool last = !p.ip.more_fragments && p.ip.fragment_offset > 0;
    const uint8_t proto = p.ip.protocol;
    if (last && proto != 6 && proto != 17) {
      if (proto == 1) s->Push("icmp");
      if (proto == 58) s->Push("icmpv6");
      if (proto != 1 && proto != 58) s->Push(IpProtocolName(proto));
      s->Push("data");
      return;
    }
    s->Push("data");
    return;
  }
  if (p.l4_kind == L4Kind::kNone) {
    if (!p.ip.payload.empty()) PushUndecodedTransport(p, s);
    return;
  }
  PushTransportAndAbove(p, s, stream);
  if ((p.l4_kind == L4Kind::kIcmp || p.l4_kind == L4Kind::kIcmpv6)) {
    if (p.icmp.is_error && !p.icmp.quoted.empty() && quoted_depth < 2) {
      DecodedPacket quoted;
      DecodePacket(kLinkTypeRaw, p.icmp.quoted, &quoted);
      if (quoted.l3_kind == L3Kind::kIpv4 || quoted.l3_kind == L3Kind::kIpv6) {
        return PushNetworkAndUp(quoted, p.icmp.quoted, nullptr, s, nullptr, quoted_depth + 1);
      }
    }
    if (!p.payload.empty()) s->Push("data");
  }
}

}  // namespace

std::string ProtocolStack::Joined() const {
  return absl::StrJoin(names.begin(), names.begin() + static_cast<std::ptrdiff_t>(size), ":");
}

ProtocolStack DescribeProtocols(const Frame& frame) { return DescribeProtocols(frame, nullptr); }

ProtocolStack DescribeProtocols(const Frame& frame, ProtocolContext* context) {
  ProtocolStack stack;
  StreamContext stream_context{context, frame.stream_index.value_or(0), frame.time};
  const StreamContext* stream =
      context != nullptr && frame.stream_index ? &stream_context : nullptr;
  const Bytes bytes = frame.record.data;
  const DecodedPacket& outer = frame.outer;
  PushLink(outer, bytes.size(), &stack);
  if (outer.link_kind == LinkKind::kEthernet && outer.vlan_count == 0 && outer.ethertype < 0x0600) {
    if (bytes.size() >= 17 && bytes[14] == 0x42 && bytes[15] == 0x42) stack.Push("stp");
    return stack;
  }
  if (!PushVlans(outer, &stack)) return stack;
  const bool tunnelled = &frame.packet != &frame.outer;
  PushNetworkAndUp(outer, bytes, tunnelled ? nullptr : frame.whole, &stack,
                   tunnelled ? nullptr : stream);

  // Tunnels: the frame carried follows its tunnel header, as tshark lists it.
  const DecodedPacket* current = &outer;
  DecodedPacket inner[kMaxTunnelDepth];
  for (int depth = 0; depth < kMaxTunnelDepth; ++depth) {
    TunnelPayload tunnel;
    if (!FindTunnelPayload(*current, &tunnel)) break;
    DecodedPacket& next = inner[depth];
    DecodePacket(tunnel.link_type, tunnel.frame, &next);
    // tshark names the UDP tunnel by its port; drop our "data" guess for the tunnel payload.
    if (stack.size > 0 && stack.top() == "data") --stack.size;
    PushTunnelHeader(*current, tunnel, &stack);
    PushInnerLink(next, &stack);
    if (!PushVlans(next, &stack)) break;
    // The scan's innermost packet is decoded from the same bytes as this one.
    const bool innermost = tunnelled && next.l3_kind == frame.packet.l3_kind &&
                           next.ip.payload.data() == frame.packet.ip.payload.data();
    PushNetworkAndUp(next, tunnel.frame, innermost ? frame.whole : nullptr, &stack,
                     innermost ? stream : nullptr);
    current = &next;
  }
  return stack;
}

namespace {

// tshark's Protocol column for a name of frame.protocols; empty for names that leave the
// column as the layer below set it ("data", "ethertype", ...).
absl::string_view ColumnName(absl::string_view name) {
  struct Column {
    const char* name;
    const char* column;
  };
  static constexpr Column kColumns[] = {
      {"eth", "Ethernet"},      {"ip", "IPv4"},         {"ipv6", "IPv6"},
      {"arp", "ARP"},           {"tcp", "TCP"},         {"udp", "UDP"},
      {"icmp", "ICMP"},         {"icmpv6", "ICMPv6"},   {"dns", "DNS"},
      {"mdns", "MDNS"},         {"llmnr", "LLMNR"},     {"dhcp", "DHCP"},
      {"dhcpv6", "DHCPv6"},     {"sip", "SIP"},         {"http", "HTTP"},
      {"ntp", "NTP"},           {"nbns", "NBNS"},       {"mysql", "MySQL"},
      {"pgsql", "PGSQL"},       {"resp", "RESP"},       {"ssh", "SSH"},
      {"stp", "STP"},           {"gryphon", "Gryphon"}, {"ftp", "FTP"},
      {"smtp", "SMTP"},         {"pop", "POP"},         {"imap", "IMAP"},
      {"tls", "TLS"},           {"igmp", "IGMPv2"},     {"esp", "ESP"},
      {"ospf", "OSPF"},         {"sctp", "SCTP"},       {"vrrp", "VRRP"},
      {"ssdp", "SSDP"},         {"snmp", "SNMP"},       {"syslog", "Syslog"},
      {"tftp", "TFTP"},         {"lldp", "LLDP"},       {"nbdgm", "BROWSER"},
      {"gquic", "GQUIC"},       {"quic", "QUIC"},       {"kerberos", "KRB5"},
      {"ldap", "LDAP"},         {"telnet", "TELNET"},   {"db-lsp-disc", "DB-LSP-DISC"},
      {"ftp-data", "FTP-DATA"}, {"stun", "STUN"},       {"mqtt", "MQTT"},
      {"bgp", "BGP"},           {"amqp", "AMQP"},       {"memcache", "MEMCACHE"},
  };
  for (const Column& c : kColumns) {
    if (name == c.name) return c.column;
  }
  return {};
}

// TLS's column names the record version ("TLSv1.2"); TLS 1.3 records say 1.2 on the wire.
std::string TlsColumn(const DecodedPacket* p) {
  if (p == nullptr || p->payload.size() < 3 || !LooksLikeTls(p->payload)) return "TLS";
  switch (p->payload[2]) {
    case 0:
      return "SSLv3";
    case 1:
      return "TLSv1";
    case 2:
      return "TLSv1.1";
    default:
      return "TLSv1.2";
  }
}

// A BOOTP message without a DHCP message type (option 53): tshark's column says "BOOTP".
bool IsPlainBootp(Bytes payload) {
  constexpr size_t kOptions = 240;  // fixed header and magic cookie
  if (payload.size() < kOptions || Be16(payload, 236) != 0x6382 || Be16(payload, 238) != 0x5363) {
    return true;
  }
  for (size_t at = kOptions; at < payload.size();) {
    const uint8_t code = payload[at];
    if (code == 255) break;
    if (code == 0) {
      ++at;
      continue;
    }
    if (code == 53) return false;
    if (at + 1 >= payload.size()) break;
    at += 2 + payload[at + 1];
  }
  return true;
}

}  // namespace

std::string ProtocolColumn(const Frame& frame, const ProtocolStack& stack) {
  // What an ICMP error quotes does not set the column.
  size_t top = stack.size;
  for (size_t i = 0; i + 1 < stack.size; ++i) {
    const absl::string_view name = stack.names[i], next = stack.names[i + 1];
    if ((name == "icmp" || name == "icmpv6") && (next == "ip" || next == "ipv6")) {
      top = i + 1;
      break;
    }
  }
  const DecodedPacket& packet = frame.whole != nullptr ? *frame.whole : frame.packet;
  for (size_t i = top; i > 0; --i) {
    const absl::string_view name = stack.names[i - 1];
    if (name == "arp" && frame.packet.ethertype == 0x8035) return "RARP";
    if (name == "dhcp" && IsPlainBootp(packet.payload)) return "BOOTP";
    if (name == "db-lsp-disc" && i < top && stack.names[i] == "json") return "DB-LSP-DISC/JSON";
    if (name == "tls") return TlsColumn(&packet);
    if (name == "sip" && i < stack.size && stack.names[i] == "sdp") return "SIP/SDP";
    const absl::string_view column = ColumnName(name);
    if (!column.empty()) return std::string(column);
    if (name == "data" && i >= 2 && stack.names[i - 2] == "ethertype") {
      // An ethertype tshark does not dissect: the column shows it in hex.
      uint16_t type = frame.outer.ethertype;
      for (uint8_t v = 0; v < frame.outer.vlan_count && v < kMaxVlanTags; ++v) {
        if (frame.outer.vlans[v].tpid == 0x9200) type = 0x9200;
      }
      return absl::StrFormat("0x%04x", type);
    }
  }
  return std::string(stack.top());
}

}  // namespace mcpcap
