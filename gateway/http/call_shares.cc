#include "gateway/http/call_shares.h"

namespace mcpcap::gateway {
namespace {

void Decrement(std::map<std::string, int>& counts, const std::string& key) {
  auto it = counts.find(key);
  if (it != counts.end() && --it->second <= 0) counts.erase(it);
}

int Count(const std::map<std::string, int>& counts, const std::string& key) {
  auto it = counts.find(key);
  return it == counts.end() ? 0 : it->second;
}

}  // namespace

CallShares::Verdict CallShares::Acquire(const std::string& session, const std::string& client) {
  std::lock_guard<std::mutex> lock(mu_);
  if (Count(by_session_, session) >= limits_.per_session) return Verdict::kSessionBusy;
  if (Count(by_client_, client) >= limits_.per_client) return Verdict::kClientBusy;
  if (total_ >= limits_.total) return Verdict::kServerBusy;
  ++by_session_[session];
  ++by_client_[client];
  ++total_;
  return Verdict::kAdmitted;
}

void CallShares::Release(const std::string& session, const std::string& client) {
  std::lock_guard<std::mutex> lock(mu_);
  Decrement(by_session_, session);
  Decrement(by_client_, client);
  --total_;
}

}  // namespace mcpcap::gateway
