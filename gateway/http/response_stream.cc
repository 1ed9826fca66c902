#include "gateway/http/response_stream.h"

namespace mcpcap::gateway {

std::string SseEvent(const Json& message) {
  // Compact JSON has no raw newline, so one data line holds it.
  return "event: message\ndata: " + DumpJson(message) + "\n\n";
}

void ResponseStream::Notify(const Json& notification) {
  std::lock_guard<std::mutex> lock(mu_);
  if (finished_) return;
  if (events_.size() >= max_queued_) {
    ++dropped_;  // a slow reader must not make us buffer without bound
    return;
  }
  events_.push_back(SseEvent(notification));
  cv_.notify_all();
}

void ResponseStream::Finish(std::optional<Json> reply) {
  std::lock_guard<std::mutex> lock(mu_);
  if (finished_) return;
  finished_ = true;
  reply_ = std::move(reply);
  cv_.notify_all();
}

bool ResponseStream::WaitReplyOnly() {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [&] { return finished_ || !events_.empty(); });
  return events_.empty();
}

bool ResponseStream::WaitFirst(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return finished_ || !events_.empty(); });
}

bool ResponseStream::NextEvents(std::string* out, std::chrono::milliseconds timeout) {
  const size_t before = out->size();
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_for(lock, timeout, [&] { return finished_ || !events_.empty(); });
  while (!events_.empty()) {
    out->append(events_.front());
    events_.pop_front();
  }
  if (!finished_) return true;
  if (!reply_taken_) {
    reply_taken_ = true;
    if (reply_) out->append(SseEvent(*reply_));
  }
  return out->size() > before;
}

size_t ResponseStream::dropped() const {
  std::lock_guard<std::mutex> lock(mu_);
  return dropped_;
}

}  // namespace mcpcap::gateway
