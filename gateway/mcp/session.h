// What MCP keeps per client connection, whatever the transport: the logging level, the requests
// in flight (so notifications/cancelled can reach them) and resource subscriptions. stdio has one
// Session; Streamable HTTP has one per Mcp-Session-Id.
#ifndef MCPCAP_GATEWAY_MCP_SESSION_H_
#define MCPCAP_GATEWAY_MCP_SESSION_H_

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "gateway/json/json.h"
#include "gateway/mcp/cancel_token.h"
#include "gateway/mcp/log_level.h"

namespace mcpcap::gateway {

class Session {
 public:
  // Log notifications below this level are not sent. Until the client sets a level we send
  // warnings and worse only, so quiet clients are not flooded.
  LogLevel log_level() const { return log_level_.load(); }
  void set_log_level(LogLevel level) { log_level_.store(level); }

  // Registers a request in flight; the token lives until End(). A reused id replaces the
  // older entry (the client broke the uniqueness rule; the older one cannot be cancelled).
  std::shared_ptr<CancelToken> Begin(const Json& id);
  void End(const Json& id, const std::shared_ptr<CancelToken>& token);
  // notifications/cancelled: false when no such request is in flight (finished or unknown).
  bool Cancel(const Json& id);
  size_t InFlight() const;
  // The session ends (HTTP DELETE): its requests in flight are abandoned.
  void CancelAll();

  // resources/subscribe bookkeeping (bounded).
  bool Subscribe(const std::string& uri);
  void Unsubscribe(const std::string& uri);
  bool IsSubscribed(const std::string& uri) const;

 private:
  static constexpr size_t kMaxSubscriptions = 1024;
  std::atomic<LogLevel> log_level_{LogLevel::kWarning};
  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<CancelToken>> in_flight_;  // by id's JSON text
  std::set<std::string> subscriptions_;
};

}  // namespace mcpcap::gateway

#endif  // MCPCAP_GATEWAY_MCP_SESSION_H_
