#include "backend/analysis/dhcp/dhcp.h"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "backend/analysis/common/decoded_scan.h"
#include "backend/analysis/common/listing.h"
#include "backend/analysis/common/result_parts.h"
#include "backend/analysis/dhcp/dhcp_packet.h"
#include "backend/analysis/dhcp/dhcp_state.h"
#include "backend/analysis/dhcp/dhcpv6_tally.h"
#include "backend/base/proto_time.h"
#include "backend/base/status_macros.h"
#include "backend/dissect/dhcp.h"
#include "backend/dissect/dhcpv6.h"
#include "backend/flow/capture_time.h"
#include "backend/flow/ip_reassembler.h"

namespace mcpcap {
namespace {

std::string MacText(const MacAddress& m) {
  return absl::StrFormat("%02x:%02x:%02x:%02x:%02x:%02x", m.bytes[0], m.bytes[1], m.bytes[2],
                         m.bytes[3], m.bytes[4], m.bytes[5]);
}

bool IsDhcpv4Port(uint16_t p) { return p == 67 || p == 68; }
// PXE proxyDHCP: a boot server's own port, carrying whole DHCP messages. Also an ephemeral port
// of some systems, so only messages with the magic cookie count there.
bool IsProxyDhcpPort(uint16_t p) { return p == 4011; }
bool IsDhcpv6Port(uint16_t p) { return p == 546 || p == 547; }

class DhcpAnalysis {
 public:
  DhcpAnalysis(const DecodedScan& scan, const ListingBounds& listings,
               v1::AnalyzeDhcpPacketsResponse* out)
      : scan_(scan),
        listings_(listings),
        out_(out),
        packets_("packets", listings),
        transactions_("statistics.transactions", listings),
        clients_("statistics.clients", listings),
        servers_("statistics.servers", listings),
        unique_clients_("statistics.unique_clients", listings),
        unique_servers_("statistics.unique_servers", listings) {}

  void OnRecord(const PacketRecord& rec, const DecodedPacket& pkt) {
    if (pkt.l3_kind != L3Kind::kIpv4 && pkt.l3_kind != L3Kind::kIpv6) return;
    if (pkt.ip.is_fragment && pkt.ip.protocol == 17) {
      const CaptureNanos time = ToCaptureNanos(rec.ts_sec, rec.ts_nsec);
      if (ReassembleFragment(defrag_, pkt, rec.frame_number, time, &whole_) == nullptr) return;
      OnUdp(rec, whole_);
      return;
    }
    OnUdp(rec, pkt);
  }

  void Finish();
  IpReassembler& defrag() { return defrag_; }

 private:
  void OnUdp(const PacketRecord& rec, const DecodedPacket& pkt);
  void Fill(const PacketRecord& rec, const DecodedPacket& pkt, v1::DhcpPacket* p) const {
    p->set_packet_number(rec.frame_number);
    SetTimestampNanos(ToCaptureNanos(rec.ts_sec, rec.ts_nsec), p->mutable_timestamp());
    FillEndpoint(pkt.ip.src, pkt.src_port, p->mutable_source());
    FillEndpoint(pkt.ip.dst, pkt.dst_port, p->mutable_destination());
  }

  const DecodedScan& scan_;
  const ListingBounds& listings_;
  v1::AnalyzeDhcpPacketsResponse* out_;
  Listing packets_, transactions_, clients_, servers_, unique_clients_, unique_servers_;
  IpReassembler defrag_;
  DecodedPacket whole_;
  DhcpState state_;
  Dhcpv6Tally v6_tally_;
  std::map<std::string, uint64_t> anomalies_;
  uint64_t found_ = 0, v4_ = 0, v6_ = 0, bootp_ = 0;
};

void DhcpAnalysis::OnUdp(const PacketRecord& rec, const DecodedPacket& pkt) {
  if (pkt.l4_kind != L4Kind::kUdp) return;
  const bool v4 = IsDhcpv4Port(pkt.src_port) || IsDhcpv4Port(pkt.dst_port);
  const bool proxy = IsProxyDhcpPort(pkt.src_port) || IsProxyDhcpPort(pkt.dst_port);
  const bool v6 = IsDhcpv6Port(pkt.src_port) || IsDhcpv6Port(pkt.dst_port);
  if (!v4 && !proxy && !v6) return;
  v1::DhcpPacket p;
  if (v4 || proxy) {
    bool truncated = false;
    std::optional<DhcpMessage> m = ParseDhcp(pkt.payload, &truncated);
    if (!v4 && (!m || !m->has_magic)) return;
    if (!m) {
      if (truncated) ++anomalies_[std::string(DhcpAnomalyName(DhcpAnomaly::kTruncated))];
      return;
    }
    Fill(rec, pkt, &p);
    FillDhcpv4Packet(&*m, &p);
    ++(m->has_magic && m->message_type() != 0 ? v4_ : bootp_);
  } else {
    std::optional<Dhcpv6Message> m = ParseDhcpv6(pkt.payload);
    if (!m) {
      ++anomalies_["dhcpv6_truncated"];
      return;
    }
    Fill(rec, pkt, &p);
    FillDhcpv6Packet(*m, &p);
    v6_tally_.Add(*m, p);
    ++v6_;
  }
  for (const std::string& a : p.anomalies()) ++anomalies_[a];
  ++found_;
  AccumulateDhcp(p, pkt.has_src_mac ? MacText(pkt.src_mac) : std::string(),
                 ToCaptureNanos(rec.ts_sec, rec.ts_nsec), &state_);
  if (packets_.Admit()) *out_->add_packets() = std::move(p);
}

void DhcpAnalysis::Finish() {
  v1::DhcpStatistics* st = out_->mutable_statistics();
  st->set_unique_clients_count(state_.clients.size());
  st->set_unique_servers_count(state_.servers.size());
  for (const auto& [mac, c] : state_.clients) {
    if (unique_clients_.Admit()) st->add_unique_clients(mac);
    if (!clients_.Admit()) continue;
    v1::DhcpClient* o = st->add_clients();
    o->set_mac(mac);
    o->set_hostname(c.hostname);
    o->set_vendor_class(c.vendor_class);
    o->set_client_id(c.client_id);
    o->set_packets(c.packets);
    for (const auto& a : c.addresses) o->add_addresses(a);
  }
  for (const auto& [id, s] : state_.servers) {
    if (unique_servers_.Admit()) st->add_unique_servers(id);
    if (!servers_.Admit()) continue;
    v1::DhcpServer* o = st->add_servers();
    o->set_server_id(id);
    o->set_mac(s.mac);
    o->set_ip(s.ip);
    o->set_offers(s.offers);
    o->set_acks(s.acks);
    o->set_naks(s.naks);
  }
  for (const auto& [type, n] : state_.message_type_counts) {
    (*st->mutable_message_type_counts())[type] = n;
  }
  st->set_transaction_count(state_.transactions.size());
  // Chronological: by the first frame of each transaction.
  std::vector<const DhcpTransactionState*> order;
  for (const auto& [key, t] : state_.transactions) order.push_back(&t);
  std::sort(order.begin(), order.end(),
            [](const auto* a, const auto* b) { return a->first_packet < b->first_packet; });
  std::map<const DhcpTransactionState*, std::string> id_of;
  for (const auto& [key, t] : state_.transactions) id_of[&t] = std::get<1>(key);
  for (const DhcpTransactionState* t : order) {
    if (!transactions_.Admit()) continue;
    v1::DhcpTransaction* o = st->add_transactions();
    o->set_transaction_id(id_of[t]);
    o->set_client_mac(t->client_mac);
    for (const auto& step : t->steps) *o->add_steps() = step;
    o->set_outcome(TransactionOutcome(*t));
    o->set_offered_ip(t->offered_ip);
    o->set_acknowledged_ip(t->acknowledged_ip);
    o->set_server_id(t->server_id);
    if (t->lease_seconds) o->mutable_lease_time()->set_seconds(*t->lease_seconds);
    SetDurationNanos(t->last_time - t->first_time, o->mutable_duration());
    o->set_version(t->version);
    o->set_hostname(t->hostname);
    if (!t->client.ip().empty()) *o->mutable_client() = t->client;
  }
  st->set_dhcpv4_packets(v4_);
  st->set_dhcpv6_packets(v6_);
  st->set_bootp_packets(bootp_);
  AddDhcpFindings(state_, out_->mutable_findings());

  v1::CaptureSummary* summary = out_->mutable_capture();
  scan_.FillSummary(summary);
  if (v6_ > 0) v6_tally_.Fill(listings_, st->mutable_dhcpv6(), summary);
  for (const auto& [name, n] : anomalies_) (*summary->mutable_anomalies())[name] += n;
  for (const Listing* l :
       {&packets_, &transactions_, &clients_, &servers_, &unique_clients_, &unique_servers_}) {
    l->Report(summary);
  }
  out_->set_dhcp_packets_found(found_);
  out_->set_dhcp_packets_analyzed(found_);
  if (found_ == 0) {
    out_->set_note("No DHCP, BOOTP or DHCPv6 packets were found.");
  }
}

}  // namespace

absl::StatusOr<v1::AnalyzeDhcpPacketsResponse> AnalyzeDhcpPackets(
    const AnalysisInput& input, const v1::AnalyzeDhcpPacketsRequest& /*request*/) {
  ASSIGN_OR_RETURN(std::unique_ptr<DecodedScan> scan, DecodedScan::Open(input));
  v1::AnalyzeDhcpPacketsResponse out;
  SetNow(out.mutable_analysis_timestamp());
  DhcpAnalysis analysis(*scan, input.listings, &out);
  RETURN_IF_ERROR(scan->Run([&analysis](const PacketRecord& rec, const DecodedPacket& pkt) {
    analysis.OnRecord(rec, pkt);
  }));
  analysis.defrag().Flush();
  analysis.Finish();
  return out;
}

}  // namespace mcpcap
