// The answer to one POSTed request, produced on the engine's thread and consumed by the HTTP
// thread: zero or more notifications, then the reply (or none, for a cancelled request). The
// HTTP side waits for the first item to choose plain JSON (the reply came alone) or SSE
// (notifications came first). Notifications beyond a bound are dropped, never the reply.
#ifndef MCPCAP_GATEWAY_HTTP_RESPONSE_STREAM_H_
#define MCPCAP_GATEWAY_HTTP_RESPONSE_STREAM_H_

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>

#include "gateway/json/json.h"

namespace mcpcap::gateway {

class ResponseStream {
 public:
  explicit ResponseStream(size_t max_queued = 256) : max_queued_(max_queued) {}

  // Engine side.
  void Notify(const Json& notification);
  void Finish(std::optional<Json> reply);

  // HTTP side. Blocks until something arrives; true when the reply (or its absence) is the
  // first thing, i.e. no notification precedes it.
  bool WaitReplyOnly();
  // Waits up to `timeout` for the first item; true once there is one (WaitReplyOnly() will
  // then not block).
  bool WaitFirst(std::chrono::milliseconds timeout);
  // The reply, once finished (WaitReplyOnly() returned true).
  const std::optional<Json>& reply() const { return reply_; }
  // Waits up to `timeout` for more; appends SSE events to `out`. Returns false once the
  // stream is complete and everything has been taken.
  bool NextEvents(std::string* out, std::chrono::milliseconds timeout);

  size_t dropped() const;

 private:
  const size_t max_queued_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> events_;  // formatted SSE events
  bool finished_ = false;
  bool reply_taken_ = false;
  std::optional<Json> reply_;
  size_t dropped_ = 0;
};

// One SSE "message" event carrying a JSON-RPC message.
std::string SseEvent(const Json& message);

}  // namespace mcpcap::gateway

#endif  // MCPCAP_GATEWAY_HTTP_RESPONSE_STREAM_H_
