// Streamable HTTP sessions: created by initialize, named by an unguessable Mcp-Session-Id,
// ended by DELETE or after an idle time, and bounded in number. A session in use by a request
// (leased) never expires under it.
#ifndef MCPCAP_GATEWAY_HTTP_SESSION_STORE_H_
#define MCPCAP_GATEWAY_HTTP_SESSION_STORE_H_

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "gateway/mcp/session.h"

namespace mcpcap::gateway {

struct HttpSession {
  std::string id;
  std::string owner;  // the client address that created it
  Session mcp;
  // Guarded by SessionStore's mutex.
  int leases = 0;
  std::chrono::steady_clock::time_point last_used;
};

class SessionStore {
 public:
  using Clock = std::chrono::steady_clock;

  // Returned by Create/Find; keeps the session from expiring while held.
  class Lease {
   public:
    Lease() = default;
    Lease(SessionStore* store, std::shared_ptr<HttpSession> session)
        : store_(store), session_(std::move(session)) {}
    Lease(Lease&& other) noexcept { *this = std::move(other); }
    Lease& operator=(Lease&& other) noexcept;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() { Release(); }

    HttpSession* get() const { return session_.get(); }
    HttpSession* operator->() const { return session_.get(); }
    explicit operator bool() const { return session_ != nullptr; }

   private:
    void Release();
    SessionStore* store_ = nullptr;
    std::shared_ptr<HttpSession> session_;
  };

  SessionStore(std::chrono::seconds idle_timeout, size_t max_sessions,
               size_t max_sessions_per_owner = SIZE_MAX)
      : idle_timeout_(idle_timeout),
        max_sessions_(max_sessions),
        max_per_owner_(max_sessions_per_owner) {}

  enum class Refusal { kNone, kFull, kOwnerFull };
  // A new session of `owner` (a client address), or an empty lease when max_sessions are alive
  // or the owner has max_sessions_per_owner (after dropping idle ones); `why` says which.
  Lease Create(const std::string& owner = "", Refusal* why = nullptr);
  // The live session with this id, or an empty lease (unknown, deleted or expired).
  Lease Find(const std::string& id);
  // DELETE: ends the session and cancels its requests in flight. False when unknown.
  bool Remove(const std::string& id);
  size_t size();

  // For tests: pretend time passed.
  void set_clock_for_test(Clock::time_point (*now)()) { now_ = now; }

 private:
  void SweepLocked(Clock::time_point now);
  size_t CountOwnedLocked(const std::string& owner) const;
  bool ExpiredLocked(const HttpSession& s, Clock::time_point now) const;

  const std::chrono::seconds idle_timeout_;
  const size_t max_sessions_;
  const size_t max_per_owner_;
  Clock::time_point (*now_)() = &Clock::now;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<HttpSession>> sessions_;
  Clock::time_point last_sweep_{};
};

// 128 random bits as 32 hex digits (visible ASCII, as the spec requires).
std::string NewSessionId();

}  // namespace mcpcap::gateway

#endif  // MCPCAP_GATEWAY_HTTP_SESSION_STORE_H_
