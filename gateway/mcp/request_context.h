// The per-request side of the engine: handlers report progress and log messages and check for
// cancellation here, without knowing the transport. The transport supplies the sink, which maps
// notifications to SSE events (HTTP) or stdout lines (stdio).
#ifndef MCPCAP_GATEWAY_MCP_REQUEST_CONTEXT_H_
#define MCPCAP_GATEWAY_MCP_REQUEST_CONTEXT_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "gateway/json/json.h"
#include "gateway/mcp/cancel_token.h"
#include "gateway/mcp/log_level.h"
#include "gateway/mcp/session.h"

namespace mcpcap::gateway {

// Receives complete JSON-RPC notifications related to one request.
using NotificationSink = std::function<void(const Json& notification)>;

class RequestContext {
 public:
  RequestContext(Session& session, NotificationSink sink, Json progress_token,
                 std::shared_ptr<CancelToken> cancel)
      : session_(session),
        sink_(std::move(sink)),
        progress_token_(std::move(progress_token)),
        cancel_(std::move(cancel)) {}

  // A context that sends nothing and is never cancelled (one-shot calls, tests).
  static RequestContext Detached(Session& session);

  bool wants_progress() const { return !progress_token_.is_null(); }
  // notifications/progress when the client asked for it (a progressToken); `progress` must
  // grow from call to call, as the spec requires, so smaller values are dropped.
  void Progress(double progress, std::optional<double> total, const std::string& message = "");
  // notifications/message when `level` reaches the session's level.
  void Log(LogLevel level, const Json& data, const std::string& logger = "");

  bool IsCancelled() const { return cancel_->IsCancelled(); }
  CancelToken& cancel_token() { return *cancel_; }
  Session& session() { return session_; }

 private:
  Session& session_;
  NotificationSink sink_;
  Json progress_token_;
  std::shared_ptr<CancelToken> cancel_;
  std::optional<double> last_progress_;
};

}  // namespace mcpcap::gateway

#endif  // MCPCAP_GATEWAY_MCP_REQUEST_CONTEXT_H_
