#include "backend/dissect/dhcpv6.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "backend/dissect/dhcp_options.h"
#include "backend/dissect/ip_address.h"

namespace mcpcap {
namespace {

constexpr int kMaxRelayDepth = 8;
constexpr size_t kMaxOptions = 128;
constexpr size_t kMaxHexBytes = 256;

absl::string_view Str(Bytes b) {
  return absl::string_view(reinterpret_cast<const char*>(b.data()), b.size());
}

std::string DuidText(Bytes d, std::string* mac) {
  if (d.size() < 2) return HexColons(Str(d));
  const uint16_t type = LoadU16Be(d.data());
  const char* name = type == 1   ? "DUID-LLT"
                     : type == 2 ? "DUID-EN"
                     : type == 3 ? "DUID-LL"
                     : type == 4 ? "DUID-UUID"
                                 : "DUID";
  // The link-layer address ends the DUID-LL (after type and hardware type) and DUID-LLT (and time).
  const size_t lla = type == 1 ? 8 : type == 3 ? 4 : 0;
  if (lla != 0 && d.size() == lla + 6 && LoadU16Be(d.data() + 2) == 1) {
    *mac = HexColons(Str(d.subspan(lla)));
  }
  return absl::StrCat(name, " ", HexColons(Str(d)));
}

void Addresses(Bytes d, std::vector<std::string>* out) {
  for (size_t i = 0; i + 16 <= d.size(); i += 16)
    out->push_back(IpAddress::V6(d.data() + i).ToString());
}

const char* OptionName(uint16_t code) {
  switch (code) {
    case 1:
      return "client_id";
    case 2:
      return "server_id";
    case 3:
      return "ia_na";
    case 4:
      return "ia_ta";
    case 5:
      return "ia_addr";
    case 6:
      return "option_request";
    case 7:
      return "preference";
    case 8:
      return "elapsed_time";
    case 9:
      return "relay_message";
    case 11:
      return "authentication";
    case 12:
      return "server_unicast";
    case 13:
      return "status_code";
    case 14:
      return "rapid_commit";
    case 15:
      return "user_class";
    case 16:
      return "vendor_class";
    case 17:
      return "vendor_opts";
    case 18:
      return "interface_id";
    case 19:
      return "reconfigure_message";
    case 20:
      return "reconfigure_accept";
    case 23:
      return "dns_servers";
    case 24:
      return "domain_list";
    case 25:
      return "ia_pd";
    case 26:
      return "ia_prefix";
    case 31:
      return "sntp_servers";
    case 32:
      return "information_refresh_time";
    case 37:
      return "remote_id";
    case 38:
      return "subscriber_id";
    case 39:
      return "client_fqdn";
    case 56:
      return "ntp_server";
    case 82:
      return "sol_max_rt";
    default:
      return nullptr;
  }
}

const char* StatusName(uint16_t code) {
  switch (code) {
    case 0:
      return "Success";
    case 1:
      return "UnspecFail";
    case 2:
      return "NoAddrsAvail";
    case 3:
      return "NoBinding";
    case 4:
      return "NotOnLink";
    case 5:
      return "UseMulticast";
    case 6:
      return "NoPrefixAvail";
    default:
      return "Status";
  }
}

constexpr size_t kMaxLeases = 64;

// The identity association an IAADDR or IAPREFIX sits in.
struct IaContext {
  const char* name = "";
  uint32_t iaid = 0;
};

void AddLease(const std::string& address, const IaContext& ia, uint32_t preferred, uint32_t valid,
              Dhcpv6Message* m) {
  if (m->leases.size() < kMaxLeases)
    m->leases.push_back({address, ia.name, ia.iaid, preferred, valid});
}

// Walks options in `data`; IA options recurse into their sub-options. Returns false when an
// option ran past the end.
bool WalkOptions(Bytes data, int depth, bool top, const IaContext& ia, Dhcpv6Message* m) {
  ByteReader r(data);
  while (!r.empty()) {
    uint16_t code = 0, len = 0;
    Bytes v;
    if (!r.ReadU16Be(&code) || !r.ReadU16Be(&len) || !r.ReadBytes(len, &v)) return false;
    Dhcpv6Option opt;
    opt.code = code;
    const char* name = OptionName(code);
    opt.name = name != nullptr ? name : absl::StrCat("option_", code);
    opt.hex = HexColons(Str(v.first(std::min(v.size(), kMaxHexBytes))));
    switch (code) {
      case 1:
        m->client_duid = DuidText(v, &m->client_mac);
        opt.values.push_back(m->client_duid);
        break;
      case 2: {
        std::string unused;
        m->server_duid = DuidText(v, &unused);
        opt.values.push_back(m->server_duid);
        break;
      }
      case 3:  // IA_NA: iaid, t1, t2, options
      case 25:
        if (v.size() >= 12) {
          opt.values.push_back(absl::StrCat("iaid=", LoadU32Be(v.data()),
                                            " t1=", LoadU32Be(v.data() + 4),
                                            " t2=", LoadU32Be(v.data() + 8)));
          const IaContext inner{code == 3 ? "ia_na" : "ia_pd", LoadU32Be(v.data())};
          if (depth < 4 && !WalkOptions(v.subspan(12), depth + 1, false, inner, m)) return false;
        }
        break;
      case 4:  // IA_TA: iaid, options
        if (v.size() >= 4 && depth < 4 &&
            !WalkOptions(v.subspan(4), depth + 1, false, IaContext{"ia_ta", LoadU32Be(v.data())},
                         m)) {
          return false;
        }
        break;
      case 5:  // IAADDR: address, preferred, valid, options
        if (v.size() >= 24) {
          const std::string a = IpAddress::V6(v.data()).ToString();
          m->addresses.push_back(a);
          AddLease(a, ia, LoadU32Be(v.data() + 16), LoadU32Be(v.data() + 20), m);
          opt.values.push_back(absl::StrCat(a, " preferred=", LoadU32Be(v.data() + 16),
                                            " valid=", LoadU32Be(v.data() + 20)));
        }
        break;
      case 26:  // IAPREFIX: preferred, valid, length, prefix
        if (v.size() >= 25) {
          const std::string p = absl::StrCat(IpAddress::V6(v.data() + 9).ToString(), "/", v[8]);
          m->prefixes.push_back(p);
          AddLease(p, ia, LoadU32Be(v.data()), LoadU32Be(v.data() + 4), m);
          opt.values.push_back(p);
        }
        break;
      case 13:
        if (v.size() >= 2) {
          m->status =
              absl::StrCat(StatusName(LoadU16Be(v.data())), ": ", PrintableText(Str(v.subspan(2))));
          opt.values.push_back(m->status);
        }
        break;
      case 23:
        Addresses(v, &m->dns_servers);
        opt.values = m->dns_servers;
        break;
      case 31:
        Addresses(v, &opt.values);
        break;
      case 24: {
        std::vector<std::string> names;
        // The same wire format as DHCPv4 option 119 (without compression).
        if (FormatDhcpOption(119, Str(v), &names) == DhcpAnomaly::kCount) {
          m->domains.insert(m->domains.end(), names.begin(), names.end());
          opt.values = names;
        }
        break;
      }
      case 6:
        for (size_t i = 0; i + 2 <= v.size(); i += 2) {
          const uint16_t c = LoadU16Be(v.data() + i);
          const char* n = OptionName(c);
          opt.values.push_back(absl::StrCat(c, " (", n != nullptr ? n : "unknown", ")"));
        }
        break;
      case 8:
        if (v.size() == 2) opt.values.push_back(absl::StrCat(LoadU16Be(v.data()) * 10, " ms"));
        break;
      default:
        break;
    }
    if (top && m->options.size() < kMaxOptions) m->options.push_back(std::move(opt));
  }
  return true;
}

}  // namespace

std::optional<Dhcpv6Message> ParseDhcpv6(Bytes payload) {
  Dhcpv6Message m;
  Bytes msg = payload;
  if (!payload.empty()) m.outer_type = payload[0];
  // Relay-forward (12) and relay-reply (13) wrap the client's message in option 9.
  for (int depth = 0; depth <= kMaxRelayDepth; ++depth) {
    if (msg.size() < 4) return depth == 0 ? std::nullopt : std::optional<Dhcpv6Message>(m);
    const uint8_t type = msg[0];
    if (type != 12 && type != 13) break;
    if (msg.size() < 34) {
      m.truncated = true;
      m.msg_type = type;
      return m;
    }
    m.relay_hops = static_cast<uint8_t>(depth + 1);
    if (depth == 0) m.outer_type = type;
    // The innermost relay header names the client: its peer-address (RFC 8415 9).
    m.link_address = IpAddress::V6(msg.data() + 2).ToString();
    m.peer_address = IpAddress::V6(msg.data() + 18).ToString();
    ByteReader r(msg.subspan(34));
    Bytes inner;
    while (!r.empty()) {
      uint16_t code = 0, len = 0;
      Bytes v;
      if (!r.ReadU16Be(&code) || !r.ReadU16Be(&len) || !r.ReadBytes(len, &v)) {
        m.truncated = true;
        break;
      }
      if (code == 9) inner = v;
    }
    if (inner.empty()) {
      m.msg_type = type;
      return m;
    }
    msg = inner;
  }
  m.msg_type = msg[0];
  if (m.msg_type == 12 || m.msg_type == 13) return m;  // nested deeper than we follow
  m.transaction_id = uint32_t{msg[1]} << 16 | uint32_t{msg[2]} << 8 | msg[3];
  if (!WalkOptions(msg.subspan(4), 0, true, IaContext{}, &m)) m.truncated = true;
  return m;
}

std::string Dhcpv6MessageTypeName(uint8_t type) {
  static constexpr const char* kNames[] = {
      nullptr,      "SOLICIT",    "ADVERTISE",   "REQUEST",
      "CONFIRM",    "RENEW",      "REBIND",      "REPLY",
      "RELEASE",    "DECLINE",    "RECONFIGURE", "INFORMATION-REQUEST",
      "RELAY-FORW", "RELAY-REPL", "LEASEQUERY",  "LEASEQUERY-REPLY",
  };
  if (type >= 1 && type <= 15) return kNames[type];
  return absl::StrCat("Unknown(", type, ")");
}

}  // namespace mcpcap
