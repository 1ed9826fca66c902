#include "gateway/mcp/session.h"

namespace mcpcap::gateway {

std::shared_ptr<CancelToken> Session::Begin(const Json& id) {
  auto token = std::make_shared<CancelToken>();
  std::lock_guard<std::mutex> lock(mu_);
  in_flight_[DumpJson(id)] = token;
  return token;
}

void Session::End(const Json& id, const std::shared_ptr<CancelToken>& token) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = in_flight_.find(DumpJson(id));
  if (it != in_flight_.end() && it->second == token) in_flight_.erase(it);
}

bool Session::Cancel(const Json& id) {
  std::shared_ptr<CancelToken> token;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = in_flight_.find(DumpJson(id));
    if (it == in_flight_.end()) return false;
    token = it->second;
  }
  token->Cancel();  // outside the lock: the hook may take a while
  return true;
}

void Session::CancelAll() {
  std::map<std::string, std::shared_ptr<CancelToken>> tokens;
  {
    std::lock_guard<std::mutex> lock(mu_);
    tokens = in_flight_;
  }
  for (auto& [id, token] : tokens) token->Cancel();
}

size_t Session::InFlight() const {
  std::lock_guard<std::mutex> lock(mu_);
  return in_flight_.size();
}

bool Session::Subscribe(const std::string& uri) {
  std::lock_guard<std::mutex> lock(mu_);
  if (subscriptions_.size() >= kMaxSubscriptions && subscriptions_.count(uri) == 0) return false;
  subscriptions_.insert(uri);
  return true;
}

void Session::Unsubscribe(const std::string& uri) {
  std::lock_guard<std::mutex> lock(mu_);
  subscriptions_.erase(uri);
}

bool Session::IsSubscribed(const std::string& uri) const {
  std::lock_guard<std::mutex> lock(mu_);
  return subscriptions_.count(uri) > 0;
}

}  // namespace mcpcap::gateway
