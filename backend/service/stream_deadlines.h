// Idle and total deadlines for client streams that a caller may leave open without sending (an
// unfinished upload): one thread expires every stream whose deadline passed, so that no stream
// holds its resources for longer than the operator allows.
#ifndef MCPCAP_BACKEND_SERVICE_STREAM_DEADLINES_H_
#define MCPCAP_BACKEND_SERVICE_STREAM_DEADLINES_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

namespace mcpcap {

class StreamDeadlines {
 public:
  enum class Expiry { kIdle, kTotal };
  using Expire = std::function<void(Expiry)>;

  // A stream expires after `idle` without Touch() or `total` after Add().
  StreamDeadlines(std::chrono::milliseconds idle, std::chrono::milliseconds total);
  ~StreamDeadlines();  // every stream must have been removed
  StreamDeadlines(const StreamDeadlines&) = delete;
  StreamDeadlines& operator=(const StreamDeadlines&) = delete;

  // `expire` runs at most once, on the deadline thread, and never after Remove(id) returned.
  uint64_t Add(Expire expire);
  void Touch(uint64_t id);  // the stream made progress: its idle deadline starts again
  void Remove(uint64_t id);
  size_t size();  // streams open now

  std::chrono::milliseconds idle() const { return idle_; }
  std::chrono::milliseconds total() const { return total_; }

 private:
  using Clock = std::chrono::steady_clock;
  struct Stream {
    Expire expire;
    Clock::time_point idle_deadline;
    Clock::time_point total_deadline;
    bool expiring = false;
  };
  void Run();

  const std::chrono::milliseconds idle_;
  const std::chrono::milliseconds total_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<uint64_t, Stream> streams_;
  uint64_t next_id_ = 1;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_SERVICE_STREAM_DEADLINES_H_
