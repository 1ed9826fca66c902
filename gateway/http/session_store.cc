#include "gateway/http/session_store.h"

#include <random>

namespace mcpcap::gateway {

std::string NewSessionId() {
  static std::mutex mu;
  static std::random_device device;  // /dev/urandom on Linux
  static const char kHex[] = "0123456789abcdef";
  std::string id;
  std::lock_guard<std::mutex> lock(mu);
  for (int i = 0; i < 4; ++i) {
    uint32_t word = device();
    for (int j = 0; j < 8; ++j, word >>= 4) id.push_back(kHex[word & 0xf]);
  }
  return id;
}

SessionStore::Lease& SessionStore::Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    Release();
    store_ = other.store_;
    session_ = std::move(other.session_);
    other.store_ = nullptr;
  }
  return *this;
}

void SessionStore::Lease::Release() {
  if (store_ == nullptr || session_ == nullptr) return;
  std::lock_guard<std::mutex> lock(store_->mu_);
  --session_->leases;
  session_->last_used = store_->now_();
  session_.reset();
  store_ = nullptr;
}

bool SessionStore::ExpiredLocked(const HttpSession& s, Clock::time_point now) const {
  return s.leases == 0 && now - s.last_used > idle_timeout_;
}

void SessionStore::SweepLocked(Clock::time_point now) {
  last_sweep_ = now;
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    it = ExpiredLocked(*it->second, now) ? sessions_.erase(it) : std::next(it);
  }
}

size_t SessionStore::CountOwnedLocked(const std::string& owner) const {
  size_t n = 0;
  for (const auto& [id, s] : sessions_) n += s->owner == owner ? 1 : 0;
  return n;
}

SessionStore::Lease SessionStore::Create(const std::string& owner, Refusal* why) {
  std::lock_guard<std::mutex> lock(mu_);
  const Clock::time_point now = now_();
  auto refuse = [&](Refusal r) {
    if (why != nullptr) *why = r;
    return Lease();
  };
  if (sessions_.size() >= max_sessions_) SweepLocked(now);
  if (sessions_.size() >= max_sessions_) return refuse(Refusal::kFull);
  // One client must not fill the table for everyone else.
  if (CountOwnedLocked(owner) >= max_per_owner_) {
    SweepLocked(now);
    if (CountOwnedLocked(owner) >= max_per_owner_) return refuse(Refusal::kOwnerFull);
  }
  if (why != nullptr) *why = Refusal::kNone;
  auto session = std::make_shared<HttpSession>();
  session->id = NewSessionId();
  session->owner = owner;
  session->leases = 1;
  session->last_used = now;
  sessions_[session->id] = session;
  return Lease(this, session);
}

SessionStore::Lease SessionStore::Find(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  const Clock::time_point now = now_();
  // Expired sessions are dropped at most once a minute, so lookups stay cheap.
  if (now - last_sweep_ > std::chrono::minutes(1)) SweepLocked(now);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return Lease();
  if (ExpiredLocked(*it->second, now)) {
    sessions_.erase(it);
    return Lease();
  }
  ++it->second->leases;
  it->second->last_used = now;
  return Lease(this, it->second);
}

bool SessionStore::Remove(const std::string& id) {
  std::shared_ptr<HttpSession> session;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = sessions_.find(id);
    if (it == sessions_.end()) return false;
    session = it->second;
    sessions_.erase(it);
  }
  session->mcp.CancelAll();
  return true;
}

size_t SessionStore::size() {
  std::lock_guard<std::mutex> lock(mu_);
  return sessions_.size();
}

}  // namespace mcpcap::gateway
