// Counters for the statistics block of analyze_dns_packets. Maps keyed by names from the
// capture are capped (kMaxNames) so that a tunnel of millions of unique names cannot exhaust
// memory; `names_capped()` says when the cap was reached.
#ifndef MCPCAP_BACKEND_ANALYSIS_DNS_DNS_STATS_H_
#define MCPCAP_BACKEND_ANALYSIS_DNS_DNS_STATS_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "backend/analysis/common/listing.h"
#include "backend/dissect/dns.h"
#include "mcpcap/v1/capture.pb.h"
#include "mcpcap/v1/dns.pb.h"

namespace mcpcap {

class DnsStatsTally {
 public:
  static constexpr size_t kMaxNames = 200000;
  static constexpr size_t kTopN = 10;

  uint64_t queries = 0;
  uint64_t responses = 0;
  uint64_t answered = 0;
  uint64_t unanswered = 0;
  uint64_t responses_without_query = 0;
  uint64_t malformed = 0;
  uint64_t truncated_responses = 0;
  uint64_t retransmitted = 0;
  std::map<std::string, uint64_t> query_types, response_codes, transports, opcodes, variants;

  void AddDomain(const std::string& name);       // any question name (lower case)
  void AddQueriedName(const std::string& name);  // a query's question name
  void AddNxdomainName(const std::string& name);
  // The sender of a query (never a multicast group: a destination is never counted here).
  void AddClient(const std::string& ip, DnsVariant v);
  void AddServer(const std::string& ip) { Bump(&servers_, ip); }
  void AddLatency(double ms, DnsVariant v) {
    latencies_ms_.push_back(ms);
    Variant(v).latencies_ms.push_back(ms);
  }

  // Per-variant totals, kept beside the overall ones.
  struct VariantTally {
    uint64_t queries = 0, responses = 0, answered = 0, unanswered = 0, without_query = 0;
    std::map<std::string, uint64_t> query_types;
    std::vector<double> latencies_ms;
    std::set<std::string> clients;  // capped at kMaxNames
  };
  VariantTally& Variant(DnsVariant v) { return by_variant_[static_cast<int>(v)]; }
  bool names_capped() const { return names_capped_; }

  // Fills *out; unique_domains is a listing bounded by `listings`.
  void Fill(const ListingBounds& listings, v1::DnsStatistics* out, v1::CaptureSummary* summary);

 private:
  void Bump(std::map<std::string, uint64_t>* m, const std::string& key);

  std::set<std::string> domains_;
  std::map<std::string, uint64_t> queried_, nxdomain_, clients_, servers_;
  std::vector<double> latencies_ms_;
  std::map<int, VariantTally> by_variant_;  // by DnsVariant
  bool names_capped_ = false;
};

// The n largest counts, count descending then name ascending.
void FillTop(const std::map<std::string, uint64_t>& counts, size_t n,
             google::protobuf::RepeatedPtrField<v1::NameCount>* out);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_DNS_DNS_STATS_H_
