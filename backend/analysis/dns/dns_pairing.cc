#include "backend/analysis/dns/dns_pairing.h"

#include <algorithm>

namespace mcpcap {

bool DnsPairing::OnQuery(const DnsPairKey& key, uint64_t frame, int64_t time_ns, uint8_t variant) {
  auto it = open_.find(key);
  if (it != open_.end()) return true;
  if (open_.size() >= kMaxOpenQueries) GiveUpOldest();
  const uint64_t seq = next_sequence_++;
  it = open_.emplace(key, Open{{frame, time_ns, variant}, seq}).first;
  by_sequence_.emplace(seq, it);
  return false;
}

std::optional<DnsPairedQuery> DnsPairing::OnResponse(DnsPairKey key) {
  auto it = open_.find(key);
  if (it == open_.end()) {
    key.server.clear();  // maybe a query to a multicast group
    it = open_.find(key);
    if (it == open_.end()) return std::nullopt;
  }
  const DnsPairedQuery query = it->second.first;
  by_sequence_.erase(it->second.sequence);
  open_.erase(it);
  return query;
}

void DnsPairing::GiveUpOldest() {
  auto oldest = by_sequence_.begin();
  given_up_.push_back(oldest->second->second.first);
  open_.erase(oldest->second);
  by_sequence_.erase(oldest);
}

std::vector<DnsPairedQuery> DnsPairing::Unanswered() const {
  std::vector<DnsPairedQuery> queries = given_up_;
  for (const auto& [key, open] : open_) queries.push_back(open.first);
  std::sort(queries.begin(), queries.end(),
            [](const DnsPairedQuery& a, const DnsPairedQuery& b) { return a.frame < b.frame; });
  return queries;
}

}  // namespace mcpcap
