#include "backend/analysis/dhcp/dhcpv6_tally.h"

namespace mcpcap {
namespace {

constexpr uint8_t kAdvertise = 2;
constexpr uint8_t kReply = 7;

// Messages only servers send (ADVERTISE, REPLY, RECONFIGURE, RELAY-REPL, LEASEQUERY-REPLY).
bool FromServer(uint8_t type) {
  return type == kAdvertise || type == kReply || type == 10 || type == 13 || type == 15;
}

template <typename Map>
typename Map::mapped_type* Bounded(Map& map, const std::string& key, size_t max) {
  auto it = map.find(key);
  if (it != map.end()) return &it->second;
  if (map.size() >= max) return nullptr;
  return &map[key];
}

void AddBounded(std::set<std::string>* set, const std::string& value) {
  if (set->size() < 16) set->insert(value);
}

v1::Dhcpv6IaType IaType(const std::string& ia) {
  if (ia == "ia_na") return v1::DHCPV6_IA_TYPE_IA_NA;
  if (ia == "ia_ta") return v1::DHCPV6_IA_TYPE_IA_TA;
  if (ia == "ia_pd") return v1::DHCPV6_IA_TYPE_IA_PD;
  return v1::DHCPV6_IA_TYPE_UNSPECIFIED;
}

}  // namespace

void Dhcpv6Tally::Add(const Dhcpv6Message& msg, const v1::DhcpPacket& listed) {
  const std::string type = Dhcpv6MessageTypeName(msg.msg_type);
  ++types_[type];
  if (msg.relay_hops > 0) ++relayed_;
  const bool from_server = FromServer(msg.msg_type);
  if (!msg.status.empty() && from_server) {
    ++status_codes_[msg.status.substr(0, msg.status.find(':'))];
  }
  if (!msg.client_duid.empty()) {
    if (Client* c = Bounded(clients_, msg.client_duid, kMaxEntries)) {
      ++c->packets;
      if (c->mac.empty()) c->mac = msg.client_mac;
      if (c->ip.empty()) c->ip = listed.client().ip();
      if (!from_server) ++c->sent[type];
      if (msg.msg_type == kReply) {
        for (const Dhcpv6Lease& l : msg.leases) {
          AddBounded(l.ia == std::string("ia_pd") ? &c->prefixes : &c->addresses, l.address);
        }
      }
    }
    if (transactions_.size() < kMaxEntries) {
      transactions_.emplace(listed.transaction_id(), msg.client_duid);
    }
  }
  if (!msg.server_duid.empty() && from_server) {
    if (Server* s = Bounded(servers_, msg.server_duid, kMaxEntries)) {
      if (s->ip.empty()) s->ip = listed.source().ip();
      if (msg.msg_type == kAdvertise) ++s->advertises;
      if (msg.msg_type == kReply) ++s->replies;
    }
  }
  for (const Dhcpv6Lease& l : msg.leases) {
    ++lease_total_;
    if (leases_.size() >= kMaxEntries) continue;
    v1::Dhcpv6Lease& o = leases_.emplace_back();
    o.set_packet_number(listed.packet_number());
    *o.mutable_timestamp() = listed.timestamp();
    o.set_message_type(type);
    o.set_kind(msg.msg_type == kAdvertise ? v1::DHCPV6_LEASE_KIND_OFFERED
               : msg.msg_type == kReply   ? v1::DHCPV6_LEASE_KIND_ASSIGNED
                                          : v1::DHCPV6_LEASE_KIND_REQUESTED);
    o.set_transaction_id(listed.transaction_id());
    o.set_client_duid(msg.client_duid);
    o.set_server_duid(msg.server_duid);
    o.set_address(l.address);
    o.set_ia(IaType(l.ia));
    o.set_iaid(l.iaid);
    o.mutable_preferred_lifetime()->set_seconds(l.preferred_lifetime);
    o.mutable_valid_lifetime()->set_seconds(l.valid_lifetime);
  }
}

void Dhcpv6Tally::Fill(const ListingBounds& listings, v1::Dhcpv6Statistics* out,
                       v1::CaptureSummary* summary) const {
  for (const auto& [type, n] : types_) (*out->mutable_message_type_counts())[type] = n;
  for (const auto& [code, n] : status_codes_) (*out->mutable_status_codes())[code] = n;
  out->set_transaction_count(transactions_.size());
  out->set_relayed_messages(relayed_);
  Listing clients("statistics.dhcpv6.clients", listings),
      servers("statistics.dhcpv6.servers", listings), leases("statistics.dhcpv6.leases", listings);
  out->set_clients_count(clients_.size());
  for (const auto& [duid, c] : clients_) {
    if (!clients.Admit()) continue;
    v1::Dhcpv6Client* o = out->add_clients();
    o->set_duid(duid);
    o->set_mac(c.mac);
    o->set_ip(c.ip);
    o->set_packets(c.packets);
    for (const std::string& a : c.addresses) o->add_addresses(a);
    for (const std::string& p : c.prefixes) o->add_prefixes(p);
    for (const auto& [type, n] : c.sent) (*o->mutable_message_type_counts())[type] = n;
  }
  out->set_servers_count(servers_.size());
  for (const auto& [duid, s] : servers_) {
    if (!servers.Admit()) continue;
    v1::Dhcpv6Server* o = out->add_servers();
    o->set_duid(duid);
    o->set_ip(s.ip);
    o->set_advertises(s.advertises);
    o->set_replies(s.replies);
  }
  out->set_leases_count(lease_total_);
  for (const v1::Dhcpv6Lease& l : leases_) {
    if (leases.Admit()) *out->add_leases() = l;
  }
  // Leases beyond the stored ones still count towards the cut.
  for (uint64_t i = leases_.size(); i < lease_total_ && !leases.truncated(); ++i) leases.Admit();
  for (const Listing* l : {&clients, &servers, &leases}) l->Report(summary);
}

}  // namespace mcpcap
