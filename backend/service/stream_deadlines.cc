#include "backend/service/stream_deadlines.h"

#include <algorithm>

namespace mcpcap {

StreamDeadlines::StreamDeadlines(std::chrono::milliseconds idle, std::chrono::milliseconds total)
    : idle_(idle), total_(total), thread_([this] { Run(); }) {}

StreamDeadlines::~StreamDeadlines() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

uint64_t StreamDeadlines::Add(Expire expire) {
  const auto now = Clock::now();
  std::lock_guard<std::mutex> lock(mu_);
  const uint64_t id = next_id_++;
  streams_.emplace(id, Stream{std::move(expire), now + idle_, now + total_});
  cv_.notify_all();
  return id;
}

void StreamDeadlines::Touch(uint64_t id) {
  const auto now = Clock::now();
  std::lock_guard<std::mutex> lock(mu_);
  auto it = streams_.find(id);
  if (it != streams_.end()) it->second.idle_deadline = now + idle_;
}

void StreamDeadlines::Remove(uint64_t id) {
  std::unique_lock<std::mutex> lock(mu_);
  // An expiry running on another thread may still use the stream: wait for it. On the deadline
  // thread itself (a stream finished from inside its own expiry) there is nothing to wait for.
  if (std::this_thread::get_id() != thread_.get_id()) {
    cv_.wait(lock, [&] {
      auto it = streams_.find(id);
      return it == streams_.end() || !it->second.expiring;
    });
  }
  streams_.erase(id);
}

size_t StreamDeadlines::size() {
  std::lock_guard<std::mutex> lock(mu_);
  return streams_.size();
}

void StreamDeadlines::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    const auto now = Clock::now();
    auto next = Clock::time_point::max();
    bool rescan = false;
    for (auto& [id, stream] : streams_) {
      if (stream.expiring || !stream.expire) continue;
      const bool late_total = stream.total_deadline <= now;
      if (late_total || stream.idle_deadline <= now) {
        // Run the expiry unlocked (it finishes a gRPC call) and at most once.
        stream.expiring = true;
        Expire expire = std::move(stream.expire);
        const uint64_t expired = id;
        lock.unlock();
        expire(late_total ? Expiry::kTotal : Expiry::kIdle);
        lock.lock();
        auto again = streams_.find(expired);
        if (again != streams_.end()) again->second.expiring = false;
        cv_.notify_all();
        rescan = true;  // the map may have changed while unlocked
        break;
      }
      next = std::min({next, stream.idle_deadline, stream.total_deadline});
    }
    if (rescan) continue;
    if (next == Clock::time_point::max()) {
      cv_.wait(lock);
    } else {
      cv_.wait_until(lock, next);
    }
  }
}

}  // namespace mcpcap
