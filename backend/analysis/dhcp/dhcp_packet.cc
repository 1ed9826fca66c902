#include "backend/analysis/dhcp/dhcp_packet.h"

#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "backend/dissect/dhcp_options.h"

namespace mcpcap {
namespace {

// A time option in seconds (lease, T1, T2).
void SetSeconds(const std::vector<std::string>& values,
                google::protobuf::Duration* (v1::DhcpPacket::*field)(), v1::DhcpPacket* out) {
  if (values.size() == 1) {
    (out->*field)()->set_seconds(
        static_cast<uint32_t>(std::strtoul(values[0].c_str(), nullptr, 10)));
  }
}

// Lifts the commonly asked-for options to top-level fields.
void Lift(uint8_t code, const std::vector<std::string>& values, v1::DhcpPacket* out) {
  const std::string first = values.empty() ? std::string() : values.front();
  switch (code) {
    case 1:
      out->set_subnet_mask(first);
      break;
    case 3:
      for (const auto& v : values) out->add_routers(v);
      break;
    case 6:
      for (const auto& v : values) out->add_dns_servers(v);
      break;
    case 12:
      out->set_hostname(first);
      break;
    case 15:
      out->set_domain_name(first);
      break;
    case 42:
      for (const auto& v : values) out->add_ntp_servers(v);
      break;
    case 33:
    case 121:
    case 249:
      for (const auto& v : values) out->add_static_routes(v);
      break;
    case 50:
      out->set_requested_ip(first);
      break;
    case 51:
      SetSeconds(values, &v1::DhcpPacket::mutable_lease_time, out);
      break;
    case 54:
      out->set_server_id(first);
      break;
    case 55:
      for (const auto& v : values) out->add_parameter_request_list(v);
      break;
    case 56:
      out->set_message(first);
      break;
    case 58:
      SetSeconds(values, &v1::DhcpPacket::mutable_renewal_time, out);
      break;
    case 59:
      SetSeconds(values, &v1::DhcpPacket::mutable_rebinding_time, out);
      break;
    case 60:
      out->set_vendor_class(first);
      break;
    case 61:
      out->set_client_id(first);
      break;
    case 119:
      for (const auto& v : values) out->add_domain_search(v);
      break;
    case 82:
      for (const auto& v : values) {
        if (v.rfind("circuit_id=", 0) == 0) out->set_relay_circuit_id(v.substr(11));
        if (v.rfind("remote_id=", 0) == 0) out->set_relay_remote_id(v.substr(10));
      }
      break;
    default:
      break;
  }
}

// A group or broadcast address: never a client or a server.
bool IsGroupAddress(const std::string& ip) {
  if (ip.empty() || ip == "0.0.0.0" || ip == "::" || ip == "255.255.255.255") return true;
  if (ip.find(':') != std::string::npos) return absl::StartsWithIgnoreCase(ip, "ff");
  const int first = std::atoi(ip.c_str());
  return first >= 224 && first <= 239;
}

// Sets `field` (mutable_client or mutable_server) to `e` unless it is a group address; the field
// stays absent then.
void SetIfUnicast(const v1::Endpoint& e, v1::Endpoint* (v1::DhcpPacket::*field)(),
                  v1::DhcpPacket* out) {
  if (!IsGroupAddress(e.ip())) *(out->*field)() = e;
}

// DHCPv6 message types by sender (RFC 8415 7.3, RFC 5007).
bool IsV6ClientType(uint8_t t) {
  return t == 1 || t == 3 || t == 4 || t == 5 || t == 6 || t == 8 || t == 9 || t == 11;
}
bool IsV6ServerType(uint8_t t) { return t == 2 || t == 7 || t == 10 || t == 15; }

// DHCPv4: the client is the port 68 side. A BOOTREQUEST comes from a client, or from a relay
// (port 67); a BOOTREPLY from a server, or from a relay passing it on to the client (giaddr set).
void SetV4Roles(const DhcpMessage& msg, v1::DhcpPacket* out) {
  const bool request = msg.op == 1;
  const bool via_relay = msg.giaddr.ToString() != "0.0.0.0";
  const v1::Endpoint& from = out->source();
  const v1::Endpoint& to = out->destination();
  if (request) {
    out->set_sender_role(from.port() == 67 ? v1::DHCP_ROLE_RELAY : v1::DHCP_ROLE_CLIENT);
    if (from.port() == 68) SetIfUnicast(from, &v1::DhcpPacket::mutable_client, out);
    if (to.port() == 67) SetIfUnicast(to, &v1::DhcpPacket::mutable_server, out);
    return;
  }
  const bool relay_to_client = via_relay && to.port() == 68;
  out->set_sender_role(relay_to_client ? v1::DHCP_ROLE_RELAY : v1::DHCP_ROLE_SERVER);
  if (to.port() == 68) SetIfUnicast(to, &v1::DhcpPacket::mutable_client, out);
  if (!relay_to_client) SetIfUnicast(from, &v1::DhcpPacket::mutable_server, out);
}

// DHCPv6: the client is the port 546 side, by message type; through relays, the innermost relay
// header's peer-address.
void SetV6Roles(const Dhcpv6Message& msg, v1::DhcpPacket* out) {
  const bool relayed = msg.relay_hops > 0;
  const uint8_t wire = relayed ? msg.outer_type : msg.msg_type;
  const bool from_client = IsV6ClientType(msg.msg_type);
  const bool from_server = IsV6ServerType(msg.msg_type);
  if (wire == 12 || wire == 13) {
    out->set_sender_role(v1::DHCP_ROLE_RELAY);
  } else if (from_client) {
    out->set_sender_role(v1::DHCP_ROLE_CLIENT);
  } else if (from_server) {
    out->set_sender_role(v1::DHCP_ROLE_SERVER);
  }
  const v1::Endpoint& from = out->source();
  const v1::Endpoint& to = out->destination();
  if (relayed) {
    if (!msg.peer_address.empty() && !IsGroupAddress(msg.peer_address)) {
      out->mutable_client()->set_ip(msg.peer_address);
      out->mutable_client()->set_port(546);
    }
    // RELAY-FORW goes to the server (or a relay nearer to it); RELAY-REPL comes from it.
    if (wire == 12) SetIfUnicast(to, &v1::DhcpPacket::mutable_server, out);
    if (wire == 13) SetIfUnicast(from, &v1::DhcpPacket::mutable_server, out);
    return;
  }
  if (from_client || (!from_server && from.port() == 546)) {
    SetIfUnicast(from, &v1::DhcpPacket::mutable_client, out);
    SetIfUnicast(to, &v1::DhcpPacket::mutable_server, out);
  } else if (from_server || to.port() == 546) {
    SetIfUnicast(to, &v1::DhcpPacket::mutable_client, out);
    SetIfUnicast(from, &v1::DhcpPacket::mutable_server, out);
  }
}

}  // namespace

void FillDhcpv4Packet(DhcpMessage* msg, v1::DhcpPacket* out) {
  out->set_version(v1::DHCP_VERSION_DHCPV4);
  out->set_op(msg->op == 1 ? v1::DHCP_OP_REQUEST : v1::DHCP_OP_REPLY);
  out->set_transaction_id(absl::StrFormat("0x%08x", msg->xid));
  out->set_client_ip(msg->ciaddr.ToString());
  out->set_your_ip(msg->yiaddr.ToString());
  out->set_server_ip(msg->siaddr.ToString());
  out->set_relay_ip(msg->giaddr.ToString());
  out->set_client_mac(msg->ClientHardwareAddress());
  out->set_htype(msg->htype);
  out->set_hops(msg->hops);
  out->set_secs(msg->secs);
  out->set_broadcast(msg->broadcast());
  out->set_sname(PrintableText(msg->sname));
  out->set_file(PrintableText(msg->file));
  const uint8_t type = msg->message_type();
  // Without option 53 it is plain BOOTP (RFC 951), a request or a reply by its op.
  out->set_message_type(type != 0      ? DhcpMessageTypeName(type)
                        : msg->op == 1 ? "BOOTREQUEST"
                                       : "BOOTREPLY");
  out->set_message_type_code(type);
  for (const DhcpOption& o : msg->options) {
    v1::DhcpOption* opt = out->add_options();
    opt->set_code(o.code);
    opt->set_name(DhcpOptionName(o.code));
    opt->set_hex(HexColons(o.data));
    std::vector<std::string> values;
    const DhcpAnomaly bad = FormatDhcpOption(o.code, o.data, &values);
    if (bad != DhcpAnomaly::kCount) msg->Add(bad);
    for (const std::string& v : values) opt->add_values(v);
    Lift(o.code, values, out);
  }
  SetV4Roles(*msg, out);
  for (int i = 0; i < static_cast<int>(DhcpAnomaly::kCount); ++i) {
    if (msg->Has(static_cast<DhcpAnomaly>(i))) {
      out->add_anomalies(std::string(DhcpAnomalyName(static_cast<DhcpAnomaly>(i))));
    }
  }
}

void FillDhcpv6Packet(const Dhcpv6Message& msg, v1::DhcpPacket* out) {
  out->set_version(v1::DHCP_VERSION_DHCPV6);
  const bool from_client = msg.msg_type != 2 && msg.msg_type != 7 && msg.msg_type != 10 &&
                           msg.msg_type != 13 && msg.msg_type != 15;
  out->set_op(from_client ? v1::DHCP_OP_REQUEST : v1::DHCP_OP_REPLY);
  out->set_transaction_id(absl::StrFormat("0x%06x", msg.transaction_id));
  out->set_message_type(Dhcpv6MessageTypeName(msg.msg_type));
  out->set_message_type_code(msg.msg_type);
  out->set_client_id(msg.client_duid);
  out->set_server_id(msg.server_duid);
  out->set_client_mac(msg.client_mac);
  out->set_hops(msg.relay_hops);
  out->set_message(msg.status);
  for (const auto& a : msg.addresses) out->add_assigned_addresses(a);
  for (const auto& p : msg.prefixes) out->add_assigned_addresses(p);
  for (const auto& d : msg.dns_servers) out->add_dns_servers(d);
  for (const auto& d : msg.domains) out->add_domain_search(d);
  for (const Dhcpv6Option& o : msg.options) {
    v1::DhcpOption* opt = out->add_options();
    opt->set_code(o.code);
    opt->set_name(o.name);
    opt->set_hex(o.hex);
    for (const auto& v : o.values) opt->add_values(v);
    if (o.code == 6) {
      for (const auto& v : o.values) out->add_parameter_request_list(v);
    }
  }
  SetV6Roles(msg, out);
  if (msg.truncated) out->add_anomalies("dhcpv6_option_truncated");
}

}  // namespace mcpcap
