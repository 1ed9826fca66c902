#include "backend/analysis/dhcp/dhcp_state.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "backend/analysis/common/result_parts.h"

namespace mcpcap {
namespace {

// DHCPv6 and BOOTP messages in DHCPv4 terms, so one outcome logic serves all: a BOOTP reply
// assigns its yiaddr as an ACK does.
std::string Normalised(const std::string& type) {
  if (type == "BOOTREQUEST") return "REQUEST";
  if (type == "BOOTREPLY") return "ACK";
  if (type == "SOLICIT") return "DISCOVER";
  if (type == "ADVERTISE") return "OFFER";
  if (type == "REPLY") return "ACK";
  if (type == "RENEW" || type == "REBIND" || type == "CONFIRM") return "REQUEST";
  if (type == "INFORMATION-REQUEST") return "INFORM";
  return type;
}

bool IsServerMessage(const std::string& t) { return t == "OFFER" || t == "ACK" || t == "NAK"; }

// The outcome after one more message of a transaction (types normalised to DHCPv4 terms). The
// last decisive message (ACK, NAK, DECLINE, RELEASE) wins: ACK then DECLINE is declined, REQUEST
// then NAK is nak. A server's answer to a RELEASE or DECLINE (DHCPv6 REPLY) confirms it; a
// retransmitted DISCOVER or REQUEST crossing the answer, or a late OFFER from a second server,
// undoes nothing.
v1::DhcpOutcome NextOutcome(v1::DhcpOutcome now, const std::string& norm, bool v6_refusal) {
  const bool closed = now == v1::DHCP_OUTCOME_RELEASED || now == v1::DHCP_OUTCOME_DECLINED;
  const bool open = now == v1::DHCP_OUTCOME_OTHER || now == v1::DHCP_OUTCOME_NO_OFFER ||
                    now == v1::DHCP_OUTCOME_OFFERED_NOT_REQUESTED;
  if (norm == "DISCOVER") return now == v1::DHCP_OUTCOME_OTHER ? v1::DHCP_OUTCOME_NO_OFFER : now;
  if (norm == "REQUEST" || norm == "INFORM") return open ? v1::DHCP_OUTCOME_NO_REPLY : now;
  if (norm == "DECLINE") return v1::DHCP_OUTCOME_DECLINED;
  if (norm == "RELEASE") return v1::DHCP_OUTCOME_RELEASED;
  if (norm == "NAK") return v1::DHCP_OUTCOME_NAK;
  if (norm == "ACK") {
    if (closed) return now;
    return v6_refusal ? v1::DHCP_OUTCOME_NAK : v1::DHCP_OUTCOME_ACKNOWLEDGED;
  }
  if (norm == "OFFER") {
    // A DHCPv6 ADVERTISE with an error status and no address (NoAddrsAvail) offers nothing.
    if (v6_refusal) return now == v1::DHCP_OUTCOME_OTHER ? v1::DHCP_OUTCOME_NO_OFFER : now;
    return now == v1::DHCP_OUTCOME_NO_OFFER || now == v1::DHCP_OUTCOME_OTHER
               ? v1::DHCP_OUTCOME_OFFERED_NOT_REQUESTED
               : now;
  }
  return now;  // FORCERENEW, RECONFIGURE, lease queries: no bearing on this exchange's end
}

void AddFrame(std::vector<DhcpFrame>* frames, uint64_t f, CaptureNanos time) {
  if (frames->size() < 10) frames->push_back({f, time});
}

}  // namespace

void AccumulateDhcp(const v1::DhcpPacket& pkt, const std::string& src_mac, CaptureNanos time,
                    DhcpState* state) {
  const std::string& type = pkt.message_type();
  const bool v6 = pkt.version() == v1::DHCP_VERSION_DHCPV6;
  ++state->message_type_counts[v6 ? "DHCPv6 " + type : type];
  const std::string norm = Normalised(type);
  const std::string client = !pkt.client_mac().empty() ? pkt.client_mac() : pkt.client_id();

  // Clients: what they call themselves and what they were given.
  if (!client.empty() &&
      (state->clients.size() < DhcpState::kMaxTransactions || state->clients.count(client))) {
    DhcpClientState& c = state->clients[client];
    ++c.packets;
    if (!pkt.hostname().empty()) c.hostname = pkt.hostname();
    if (!pkt.vendor_class().empty()) c.vendor_class = pkt.vendor_class();
    if (!pkt.client_id().empty() && pkt.op() == v1::DHCP_OP_REQUEST) {
      c.client_id = pkt.client_id();
    }
    auto add = [&c](const std::string& a) {
      if (!a.empty() && a != "0.0.0.0" && c.addresses.size() < 16) c.addresses.insert(a);
    };
    if (norm == "ACK") {
      add(pkt.your_ip());
      for (const auto& a : pkt.assigned_addresses()) add(a);
    }
    if (pkt.op() == v1::DHCP_OP_REQUEST) add(pkt.client_ip());
  }

  // Servers, by the identifier they announce (or their address when they announce none).
  if (IsServerMessage(norm)) {
    const std::string id = !pkt.server_id().empty() ? pkt.server_id() : pkt.source().ip();
    DhcpServerState& s = state->servers[id];
    if (s.mac.empty()) s.mac = src_mac;
    if (s.ip.empty()) s.ip = pkt.source().ip();
    if (norm == "OFFER") ++s.offers;
    if (norm == "ACK") ++s.acks;
    if (norm == "NAK") ++s.naks;
    AddFrame(&s.frames, pkt.packet_number(), time);
  }

  if (norm == "DISCOVER") {
    ++state->discover_total;
    if (state->discover_macs.size() < 100000) state->discover_macs.insert(client);
  }
  if (norm == "NAK") {
    ++state->nak_total;
    if (state->naks.size() < DhcpState::kMaxEvents) {
      state->naks.push_back(
          {pkt.packet_number(), time, client, pkt.server_id(), pkt.requested_ip(), pkt.message()});
    }
  }
  if (norm == "DECLINE") {
    ++state->decline_total;
    if (state->declines.size() < DhcpState::kMaxEvents) {
      state->declines.push_back(
          {pkt.packet_number(), time, client, pkt.server_id(), pkt.requested_ip(), pkt.message()});
    }
  }

  // Transactions by (version, xid, client).
  auto key = std::make_tuple(pkt.version(), pkt.transaction_id(), client);
  auto it = state->transactions.find(key);
  if (it == state->transactions.end()) {
    if (state->transactions.size() >= DhcpState::kMaxTransactions) return;
    it = state->transactions.emplace(key, DhcpTransactionState{}).first;
    it->second.first_packet = pkt.packet_number();
    it->second.first_time = time;
    it->second.client_mac = client;
    it->second.version = pkt.version();
  }
  DhcpTransactionState& t = it->second;
  t.last_time = std::max(t.last_time, time);
  t.types.insert(norm);
  // A DHCPv6 REPLY or ADVERTISE with an error status and no address refuses (NoBinding,
  // NotOnLink, NoAddrsAvail, ...).
  const bool v6_refusal = v6 && (norm == "ACK" || norm == "OFFER") && !pkt.message().empty() &&
                          pkt.message().rfind("Success", 0) != 0 &&
                          pkt.assigned_addresses().empty();
  t.outcome = NextOutcome(t.outcome, norm, v6_refusal);
  if (t.client.ip().empty() && pkt.has_client()) t.client = pkt.client();
  if (!pkt.hostname().empty()) t.hostname = pkt.hostname();
  if (t.steps.size() < DhcpState::kMaxSteps) {
    v1::DhcpTransactionStep step;
    step.set_packet_number(pkt.packet_number());
    step.set_message_type(type);
    *step.mutable_timestamp() = pkt.timestamp();
    t.steps.push_back(std::move(step));
  }
  const std::string yours =
      v6 ? (pkt.assigned_addresses().empty() ? "" : pkt.assigned_addresses(0)) : pkt.your_ip();
  if (norm == "OFFER" && t.offered_ip.empty()) t.offered_ip = yours;
  if (norm == "ACK") {
    t.acknowledged_ip = yours;
    if (pkt.has_lease_time()) t.lease_seconds = pkt.lease_time().seconds();
  }
  if (norm == "OFFER" && !t.lease_seconds && pkt.has_lease_time()) {
    t.lease_seconds = pkt.lease_time().seconds();
  }
  if (IsServerMessage(norm) && !pkt.server_id().empty()) t.server_id = pkt.server_id();
}

v1::DhcpOutcome TransactionOutcome(const DhcpTransactionState& t) { return t.outcome; }

void AddDhcpFindings(const DhcpState& state, google::protobuf::RepeatedPtrField<v1::Finding>* out) {
  // More than one server answering clients: a rogue server, or an unannounced second one.
  std::vector<std::string> offering;
  std::vector<DhcpFrame> frames;
  for (const auto& [id, s] : state.servers) {
    if (s.offers + s.acks == 0) continue;
    offering.push_back(absl::StrCat(id, " (mac ", s.mac.empty() ? "?" : s.mac, ", ", s.offers,
                                    " offers, ", s.acks, " acks)"));
    for (const DhcpFrame& f : s.frames) {
      if (frames.size() < 10) frames.push_back(f);
    }
  }
  if (offering.size() > 1) {
    v1::Finding* f = out->Add();
    f->set_indicator("dhcp_rogue_server_suspected");
    f->set_severity(v1::SEVERITY_HIGH);
    f->set_confidence(offering.size() > 2 ? 0.8 : 0.6);
    f->set_description(
        absl::StrCat(offering.size(), " different DHCP servers offered or acknowledged leases."));
    for (const std::string& o : offering) f->add_evidence("server " + o);
    std::sort(frames.begin(), frames.end());
    for (const DhcpFrame& fr : frames) FillPacketRef(fr.frame, fr.time, f->add_examples());
    f->set_recommendation(
        "Confirm which server is authorised; locate the other by its MAC (switch CAM table) and "
        "enable DHCP snooping on the access switches. Redundant servers (failover) are legitimate "
        "only when documented.");
  }
  auto events = [&out](const char* id, v1::Severity severity, const char* what, uint64_t total,
                       const std::vector<DhcpEvent>& list, const char* next) {
    if (total == 0) return;
    v1::Finding* f = out->Add();
    f->set_indicator(id);
    f->set_severity(severity);
    f->set_confidence(0.9);
    f->set_description(absl::StrCat(total, " ", what, "."));
    std::set<std::string> clients, addresses, messages;
    for (const DhcpEvent& e : list) {
      if (!e.client_mac.empty()) clients.insert(e.client_mac);
      if (!e.address.empty()) addresses.insert(e.address);
      if (!e.message.empty()) messages.insert(e.message);
      if (f->examples_size() < 10) FillPacketRef(e.frame, e.time, f->add_examples());
    }
    f->add_evidence(absl::StrCat("count: ", total));
    f->add_evidence("clients: " + absl::StrJoin(clients, ", "));
    if (!addresses.empty()) f->add_evidence("addresses: " + absl::StrJoin(addresses, ", "));
    if (!messages.empty()) f->add_evidence("server messages: " + absl::StrJoin(messages, " | "));
    f->set_recommendation(next);
  };
  events("dhcp_nak", v1::SEVERITY_MEDIUM,
         "DHCP NAK(s): a server refused a client's requested lease", state.nak_total, state.naks,
         "Check whether the client moved subnets or requested a stale address; repeated NAKs from "
         "an unexpected server also point to a rogue or misconfigured server.");
  events("dhcp_decline", v1::SEVERITY_MEDIUM,
         "DHCP DECLINE(s): a client found its offered address already in use", state.decline_total,
         state.declines,
         "Look for hosts with static addresses inside the pool (ARP for the declined address) or "
         "for two servers handing out overlapping pools.");
  if (state.discover_macs.size() >= 50) {
    v1::Finding* f = out->Add();
    f->set_indicator("dhcp_starvation_suspected");
    f->set_severity(v1::SEVERITY_HIGH);
    f->set_confidence(std::min(0.95, 0.5 + static_cast<double>(state.discover_macs.size()) / 1000));
    f->set_description("Many different client MACs asked for leases: possible pool exhaustion.");
    f->add_evidence(
        absl::StrCat("distinct clients sending DISCOVER: ", state.discover_macs.size()));
    f->add_evidence(absl::StrCat("DISCOVER messages: ", state.discover_total));
    f->set_recommendation(
        "Check whether the MACs are random (DHCP starvation tools); enable port security and "
        "DHCP snooping rate limits, and check the pool's utilisation.");
  }
}

}  // namespace mcpcap
