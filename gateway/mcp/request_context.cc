#include "gateway/mcp/request_context.h"

namespace mcpcap::gateway {

RequestContext RequestContext::Detached(Session& session) {
  return RequestContext(session, nullptr, nullptr, std::make_shared<CancelToken>());
}

void RequestContext::Progress(double progress, std::optional<double> total,
                              const std::string& message) {
  if (progress_token_.is_null() || !sink_) return;
  if (last_progress_ && progress <= *last_progress_) return;
  last_progress_ = progress;
  Json params{{"progressToken", progress_token_}, {"progress", progress}};
  if (total) params["total"] = *total;
  if (!message.empty()) params["message"] = message;
  sink_(Json{{"jsonrpc", "2.0"}, {"method", "notifications/progress"}, {"params", params}});
}

void RequestContext::Log(LogLevel level, const Json& data, const std::string& logger) {
  if (!sink_ || level < session_.log_level()) return;
  Json params{{"level", LogLevelName(level)}};
  if (!logger.empty()) params["logger"] = logger;
  params["data"] = data;
  sink_(Json{{"jsonrpc", "2.0"}, {"method", "notifications/message"}, {"params", params}});
}

}  // namespace mcpcap::gateway
