#include "backend/dissect/dhcp_options.h"

#include "absl/strings/str_cat.h"
#include "backend/base/byte_reader.h"
#include "backend/dissect/ip_address.h"

namespace mcpcap {
namespace {

enum class Kind : uint8_t {
  kHex,
  kIp,       // exactly one address
  kIpList,   // one or more addresses
  kIpPairs,  // address pairs (policy filter, static routes)
  kU8,
  kU16,
  kU16List,
  kU32,
  kI32,
  kText,
  kMessageType,
  kParameterList,
  kClientId,
  kRelayAgent,
  kDomainSearch,
  kClasslessRoutes,
  kClientFqdn,
  kSipServers,
  kEmpty,  // rapid commit: no data
};

struct OptionInfo {
  const char* name;
  Kind kind;
};

OptionInfo Info(uint8_t code) {
  switch (code) {
    case 1:
      return {"subnet_mask", Kind::kIp};
    case 2:
      return {"time_offset", Kind::kI32};
    case 3:
      return {"router", Kind::kIpList};
    case 4:
      return {"time_server", Kind::kIpList};
    case 5:
      return {"name_server", Kind::kIpList};
    case 6:
      return {"domain_name_server", Kind::kIpList};
    case 7:
      return {"log_server", Kind::kIpList};
    case 8:
      return {"cookie_server", Kind::kIpList};
    case 9:
      return {"lpr_server", Kind::kIpList};
    case 10:
      return {"impress_server", Kind::kIpList};
    case 11:
      return {"resource_location_server", Kind::kIpList};
    case 12:
      return {"hostname", Kind::kText};
    case 13:
      return {"boot_file_size", Kind::kU16};
    case 14:
      return {"merit_dump_file", Kind::kText};
    case 15:
      return {"domain_name", Kind::kText};
    case 16:
      return {"swap_server", Kind::kIp};
    case 17:
      return {"root_path", Kind::kText};
    case 18:
      return {"extensions_path", Kind::kText};
    case 19:
      return {"ip_forwarding", Kind::kU8};
    case 20:
      return {"non_local_source_routing", Kind::kU8};
    case 21:
      return {"policy_filter", Kind::kIpPairs};
    case 22:
      return {"max_datagram_reassembly_size", Kind::kU16};
    case 23:
      return {"default_ip_ttl", Kind::kU8};
    case 24:
      return {"path_mtu_aging_timeout", Kind::kU32};
    case 25:
      return {"path_mtu_plateau_table", Kind::kU16List};
    case 26:
      return {"interface_mtu", Kind::kU16};
    case 27:
      return {"all_subnets_local", Kind::kU8};
    case 28:
      return {"broadcast_address", Kind::kIp};
    case 29:
      return {"perform_mask_discovery", Kind::kU8};
    case 30:
      return {"mask_supplier", Kind::kU8};
    case 31:
      return {"perform_router_discovery", Kind::kU8};
    case 32:
      return {"router_solicitation_address", Kind::kIp};
    case 33:
      return {"static_route", Kind::kIpPairs};
    case 34:
      return {"trailer_encapsulation", Kind::kU8};
    case 35:
      return {"arp_cache_timeout", Kind::kU32};
    case 36:
      return {"ethernet_encapsulation", Kind::kU8};
    case 37:
      return {"tcp_default_ttl", Kind::kU8};
    case 38:
      return {"tcp_keepalive_interval", Kind::kU32};
    case 39:
      return {"tcp_keepalive_garbage", Kind::kU8};
    case 40:
      return {"nis_domain", Kind::kText};
    case 41:
      return {"nis_servers", Kind::kIpList};
    case 42:
      return {"ntp_servers", Kind::kIpList};
    case 43:
      return {"vendor_specific", Kind::kHex};
    case 44:
      return {"netbios_name_servers", Kind::kIpList};
    case 45:
      return {"netbios_dd_servers", Kind::kIpList};
    case 46:
      return {"netbios_node_type", Kind::kU8};
    case 47:
      return {"netbios_scope", Kind::kText};
    case 48:
      return {"x_font_servers", Kind::kIpList};
    case 49:
      return {"x_display_managers", Kind::kIpList};
    case 50:
      return {"requested_ip", Kind::kIp};
    case 51:
      return {"lease_time", Kind::kU32};
    case 52:
      return {"option_overload", Kind::kU8};
    case 53:
      return {"message_type", Kind::kMessageType};
    case 54:
      return {"server_id", Kind::kIp};
    case 55:
      return {"parameter_request_list", Kind::kParameterList};
    case 56:
      return {"message", Kind::kText};
    case 57:
      return {"max_dhcp_message_size", Kind::kU16};
    case 58:
      return {"renewal_time", Kind::kU32};
    case 59:
      return {"rebinding_time", Kind::kU32};
    case 60:
      return {"vendor_class_id", Kind::kText};
    case 61:
      return {"client_id", Kind::kClientId};
    case 64:
      return {"nisplus_domain", Kind::kText};
    case 65:
      return {"nisplus_servers", Kind::kIpList};
    case 66:
      return {"tftp_server_name", Kind::kText};
    case 67:
      return {"bootfile_name", Kind::kText};
    case 68:
      return {"mobile_ip_home_agents", Kind::kIpList};
    case 69:
      return {"smtp_servers", Kind::kIpList};
    case 70:
      return {"pop3_servers", Kind::kIpList};
    case 71:
      return {"nntp_servers", Kind::kIpList};
    case 72:
      return {"www_servers", Kind::kIpList};
    case 73:
      return {"finger_servers", Kind::kIpList};
    case 74:
      return {"irc_servers", Kind::kIpList};
    case 75:
      return {"streettalk_servers", Kind::kIpList};
    case 76:
      return {"stda_servers", Kind::kIpList};
    case 77:
      return {"user_class", Kind::kHex};
    case 80:
      return {"rapid_commit", Kind::kEmpty};
    case 81:
      return {"client_fqdn", Kind::kClientFqdn};
    case 82:
      return {"relay_agent_information", Kind::kRelayAgent};
    case 91:
      return {"client_last_transaction_time", Kind::kU32};
    case 93:
      return {"client_system_architecture", Kind::kU16List};
    case 94:
      return {"client_network_interface_id", Kind::kHex};
    case 97:
      return {"client_machine_id", Kind::kHex};
    case 100:
      return {"posix_timezone", Kind::kText};
    case 101:
      return {"tz_database_timezone", Kind::kText};
    case 108:
      return {"ipv6_only_preferred", Kind::kU32};
    case 114:
      return {"captive_portal", Kind::kText};
    case 116:
      return {"auto_configure", Kind::kU8};
    case 118:
      return {"subnet_selection", Kind::kIp};
    case 119:
      return {"domain_search", Kind::kDomainSearch};
    case 120:
      return {"sip_servers", Kind::kSipServers};
    case 121:
      return {"classless_static_route", Kind::kClasslessRoutes};
    case 124:
      return {"vendor_identifying_vendor_class", Kind::kHex};
    case 125:
      return {"vendor_identifying_vendor_specific", Kind::kHex};
    case 145:
      return {"forcerenew_nonce_capable", Kind::kHex};
    case 150:
      return {"tftp_server_address", Kind::kIpList};
    case 249:
      return {"ms_classless_static_route", Kind::kClasslessRoutes};
    case 252:
      return {"wpad_url", Kind::kText};
    default:
      return {nullptr, Kind::kHex};
  }
}

Bytes AsBytes(absl::string_view s) {
  return Bytes(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

std::string Ip4Text(const uint8_t* p) { return IpAddress::V4(p).ToString(); }

bool Addresses(Bytes d, std::vector<std::string>* out) {
  if (d.empty() || d.size() % 4 != 0) return false;
  for (size_t i = 0; i < d.size(); i += 4) out->push_back(Ip4Text(d.data() + i));
  return true;
}

// RFC 1035 names with compression pointers relative to the start of `d` (RFC 3397 / 3396).
bool DomainNames(Bytes d, std::vector<std::string>* out) {
  size_t pos = 0;
  while (pos < d.size()) {
    std::string name;
    size_t at = pos;
    size_t next = 0;  // where the next name starts, once known
    int jumps = 0;
    while (true) {
      if (at >= d.size()) return false;
      const uint8_t len = d[at];
      if (len == 0) {
        if (next == 0) next = at + 1;
        break;
      }
      if ((len & 0xc0) == 0xc0) {
        if (at + 1 >= d.size() || ++jumps > 32) return false;
        if (next == 0) next = at + 2;
        at = static_cast<size_t>(len & 0x3f) << 8 | d[at + 1];
        continue;
      }
      if ((len & 0xc0) != 0 || at + 1 + len > d.size()) return false;
      if (!name.empty()) name += '.';
      name +=
          PrintableText(absl::string_view(reinterpret_cast<const char*>(d.data() + at + 1), len));
      if (name.size() > 1024) return false;
      at += 1 + len;
    }
    out->push_back(name.empty() ? "." : name);
    pos = next;
  }
  return true;
}

// RFC 3442: width, the significant octets of the destination, then the router.
bool ClasslessRoutes(Bytes d, std::vector<std::string>* out) {
  ByteReader r(d);
  if (r.empty()) return false;
  while (!r.empty()) {
    uint8_t width = 0;
    r.ReadU8(&width);
    if (width > 32) return false;
    Bytes dest, router;
    if (!r.ReadBytes((width + 7) / 8, &dest) || !r.ReadBytes(4, &router)) return false;
    uint8_t net[4] = {};
    for (size_t i = 0; i < dest.size(); ++i) net[i] = dest[i];
    out->push_back(absl::StrCat(Ip4Text(net), "/", width, " via ", Ip4Text(router.data())));
  }
  return true;
}

// RFC 3046 sub-options: circuit id, remote id, and the rest by number.
bool RelayAgent(Bytes d, std::vector<std::string>* out) {
  ByteReader r(d);
  while (!r.empty()) {
    uint8_t code = 0, len = 0;
    Bytes v;
    r.ReadU8(&code);
    if (!r.ReadU8(&len) || !r.ReadBytes(len, &v)) return false;
    const absl::string_view s(reinterpret_cast<const char*>(v.data()), v.size());
    switch (code) {
      case 1:
        out->push_back("circuit_id=" + HexColons(s));
        break;
      case 2:
        out->push_back("remote_id=" + HexColons(s));
        break;
      case 5:
      case 11:
        if (v.size() != 4) return false;
        out->push_back(
            absl::StrCat(code == 5 ? "link_selection=" : "server_id_override=", Ip4Text(v.data())));
        break;
      case 6:
        out->push_back("subscriber_id=" + PrintableText(s));
        break;
      default:
        out->push_back(absl::StrCat("suboption_", code, "=", HexColons(s)));
        break;
    }
  }
  return true;
}

bool ClientFqdn(Bytes d, std::vector<std::string>* out) {
  if (d.size() < 3) return false;
  const uint8_t flags = d[0];
  out->push_back(absl::StrCat("flags=0x", absl::Hex(flags, absl::kZeroPad2)));
  const Bytes name = d.subspan(3);
  if (name.empty()) return true;
  if (flags & 0x04) {  // E: canonical wire format
    std::vector<std::string> names;
    if (!DomainNames(name, &names)) return false;
    for (std::string& n : names) out->push_back("name=" + n);
    return true;
  }
  out->push_back("name=" + PrintableText(absl::string_view(
                               reinterpret_cast<const char*>(name.data()), name.size())));
  return true;
}

template <typename T>
bool Fixed(Bytes d, size_t size, T* v) {
  if (d.size() != size) return false;
  ByteReader r(d);
  if constexpr (sizeof(T) == 1) return r.ReadU8(v);
  if constexpr (sizeof(T) == 2) return r.ReadU16Be(v);
  if constexpr (sizeof(T) == 4) return r.ReadU32Be(v);
  return false;
}

}  // namespace

std::string HexColons(absl::string_view data) {
  std::string out;
  out.reserve(data.size() * 3);
  for (size_t i = 0; i < data.size(); ++i) {
    if (i > 0) out += ':';
    absl::StrAppend(&out, absl::Hex(static_cast<uint8_t>(data[i]), absl::kZeroPad2));
  }
  return out;
}

std::string PrintableText(absl::string_view data) {
  while (!data.empty() && data.back() == '\0') data.remove_suffix(1);
  std::string out;
  out.reserve(data.size());
  for (char c : data) {
    const uint8_t u = static_cast<uint8_t>(c);
    if (u >= 0x20 && u < 0x7f && c != '\\') {
      out += c;
    } else {
      absl::StrAppend(&out, "\\x", absl::Hex(u, absl::kZeroPad2));
    }
  }
  return out;
}

std::string DhcpOptionName(uint8_t code) {
  const OptionInfo info = Info(code);
  return info.name != nullptr ? info.name : absl::StrCat("option_", code);
}

DhcpAnomaly FormatDhcpOption(uint8_t code, absl::string_view data,
                             std::vector<std::string>* values) {
  const Bytes d = AsBytes(data);
  const size_t before = values->size();
  bool ok = true;
  bool bad_value = false;
  switch (Info(code).kind) {
    case Kind::kHex:
      if (!d.empty()) values->push_back(HexColons(data));
      break;
    case Kind::kIp:
      ok = d.size() == 4 && Addresses(d, values);
      break;
    case Kind::kIpList:
      ok = Addresses(d, values);
      break;
    case Kind::kIpPairs:
      ok = !d.empty() && d.size() % 8 == 0;
      for (size_t i = 0; ok && i < d.size(); i += 8) {
        values->push_back(absl::StrCat(Ip4Text(d.data() + i), code == 33 ? " via " : " mask ",
                                       Ip4Text(d.data() + i + 4)));
      }
      break;
    case Kind::kU8: {
      uint8_t v = 0;
      ok = Fixed(d, 1, &v);
      if (ok) values->push_back(absl::StrCat(v));
      break;
    }
    case Kind::kMessageType: {
      uint8_t v = 0;
      ok = Fixed(d, 1, &v);
      if (ok) values->push_back(DhcpMessageTypeName(v));
      break;
    }
    case Kind::kU16: {
      uint16_t v = 0;
      ok = Fixed(d, 2, &v);
      if (ok) values->push_back(absl::StrCat(v));
      break;
    }
    case Kind::kU16List:
      ok = !d.empty() && d.size() % 2 == 0;
      for (size_t i = 0; ok && i < d.size(); i += 2) {
        values->push_back(absl::StrCat(LoadU16Be(d.data() + i)));
      }
      break;
    case Kind::kU32: {
      uint32_t v = 0;
      ok = Fixed(d, 4, &v);
      if (ok) values->push_back(absl::StrCat(v));
      break;
    }
    case Kind::kI32: {
      uint32_t v = 0;
      ok = Fixed(d, 4, &v);
      if (ok) values->push_back(absl::StrCat(static_cast<int32_t>(v)));
      break;
    }
    case Kind::kText:
      values->push_back(PrintableText(data));
      break;
    case Kind::kParameterList:
      for (uint8_t c : d) values->push_back(absl::StrCat(c, " (", DhcpOptionName(c), ")"));
      break;
    case Kind::kClientId:
      ok = !d.empty();
      if (ok) values->push_back(HexColons(data));
      break;
    case Kind::kRelayAgent:
      bad_value = !RelayAgent(d, values);
      break;
    case Kind::kDomainSearch:
      bad_value = !DomainNames(d, values);
      break;
    case Kind::kClasslessRoutes:
      bad_value = !ClasslessRoutes(d, values);
      break;
    case Kind::kClientFqdn:
      ok = d.size() >= 3;
      bad_value = ok && !ClientFqdn(d, values);
      break;
    case Kind::kSipServers:
      ok = !d.empty();
      if (ok && d[0] == 0) bad_value = !DomainNames(d.subspan(1), values);
      if (ok && d[0] == 1) ok = Addresses(d.subspan(1), values);
      if (ok && d[0] > 1) bad_value = true;
      break;
    case Kind::kEmpty:
      ok = d.empty();
      break;
  }
  if (ok && !bad_value) return DhcpAnomaly::kCount;
  values->resize(before);
  return ok ? DhcpAnomaly::kOptionBadValue : DhcpAnomaly::kOptionBadLength;
}

}  // namespace mcpcap
