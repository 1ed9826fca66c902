#include "backend/analysis/dns/dns_stats.h"

#include <algorithm>

#include "backend/analysis/common/latency_stats.h"

namespace mcpcap {

void DnsStatsTally::Bump(std::map<std::string, uint64_t>* m, const std::string& key) {
  auto it = m->find(key);
  if (it != m->end()) {
    ++it->second;
  } else if (m->size() < kMaxNames) {
    m->emplace(key, 1);
  } else {
    names_capped_ = true;
  }
}

void DnsStatsTally::AddDomain(const std::string& name) {
  if (domains_.size() < kMaxNames) {
    domains_.insert(name);
  } else if (domains_.count(name) == 0) {
    names_capped_ = true;
  }
}

void DnsStatsTally::AddClient(const std::string& ip, DnsVariant v) {
  Bump(&clients_, ip);
  std::set<std::string>& clients = Variant(v).clients;
  if (clients.size() < kMaxNames) {
    clients.insert(ip);
  } else if (clients.count(ip) == 0) {
    names_capped_ = true;
  }
}

void DnsStatsTally::AddQueriedName(const std::string& name) { Bump(&queried_, name); }
void DnsStatsTally::AddNxdomainName(const std::string& name) { Bump(&nxdomain_, name); }

void FillTop(const std::map<std::string, uint64_t>& counts, size_t n,
             google::protobuf::RepeatedPtrField<v1::NameCount>* out) {
  std::vector<std::pair<std::string, uint64_t>> v(counts.begin(), counts.end());
  const size_t keep = std::min(n, v.size());
  std::partial_sort(v.begin(), v.begin() + keep, v.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  for (size_t i = 0; i < keep; ++i) {
    v1::NameCount* nc = out->Add();
    nc->set_name(v[i].first);
    nc->set_count(v[i].second);
  }
}

void DnsStatsTally::Fill(const ListingBounds& listings, v1::DnsStatistics* out,
                         v1::CaptureSummary* summary) {
  out->set_queries(queries);
  out->set_responses(responses);
  out->set_unique_domains_queried(domains_.size());
  Listing listing("statistics.unique_domains", listings);
  for (const std::string& d : domains_) {
    if (listing.Admit()) out->add_unique_domains(d);
  }
  listing.Report(summary);
  for (const auto& [k, v] : query_types) (*out->mutable_query_types())[k] = v;
  for (const auto& [k, v] : response_codes) (*out->mutable_response_codes())[k] = v;
  for (const auto& [k, v] : transports) (*out->mutable_transports())[k] = v;
  for (const auto& [k, v] : opcodes) (*out->mutable_opcodes())[k] = v;
  for (const auto& [k, v] : variants) (*out->mutable_variants())[k] = v;
  FillTop(queried_, kTopN, out->mutable_top_queried_names());
  FillTop(clients_, kTopN, out->mutable_top_clients());
  FillTop(servers_, kTopN, out->mutable_top_servers());
  FillTop(nxdomain_, kTopN, out->mutable_top_nxdomain_names());
  out->set_answered_queries(answered);
  out->set_unanswered_queries(unanswered);
  out->set_responses_without_query(responses_without_query);
  out->set_malformed_messages(malformed);
  out->set_truncated_responses(truncated_responses);
  out->set_retransmitted_queries(retransmitted);
  FillLatency(latencies_ms_, out->mutable_latency());
  for (const auto& [variant, t] : by_variant_) {
    const DnsVariant dv = static_cast<DnsVariant>(variant);
    v1::DnsVariantStatistics* o = out->add_by_variant();
    o->set_variant(dv == DnsVariant::kMdns    ? v1::DNS_VARIANT_MDNS
                   : dv == DnsVariant::kLlmnr ? v1::DNS_VARIANT_LLMNR
                                              : v1::DNS_VARIANT_DNS);
    o->set_queries(t.queries);
    o->set_responses(t.responses);
    for (const auto& [k, n] : t.query_types) (*o->mutable_query_types())[k] = n;
    // mDNS answers go to the group, often unasked: they are not paired, so these stay unknown.
    if (dv != DnsVariant::kMdns) {
      o->set_answered_queries(t.answered);
      o->set_unanswered_queries(t.unanswered);
      o->set_responses_without_query(t.without_query);
    }
    FillLatency(t.latencies_ms, o->mutable_latency());
    o->set_clients(t.clients.size());
  }
}

}  // namespace mcpcap
