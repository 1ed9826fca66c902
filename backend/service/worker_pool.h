// A fixed set of threads that run analyses, so heavy work never runs on gRPC's own threads.
// The queue is bounded: when it is full, Submit refuses and the caller answers
// RESOURCE_EXHAUSTED instead of piling up work.
#ifndef MCPCAP_BACKEND_SERVICE_WORKER_POOL_H_
#define MCPCAP_BACKEND_SERVICE_WORKER_POOL_H_

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace mcpcap {

class WorkerPool {
 public:
  WorkerPool(size_t threads, size_t max_queued);
  ~WorkerPool();  // finishes queued work, then joins
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // False when the queue is full or the pool is stopping.
  bool Submit(std::function<void()> task);
  size_t max_queued() const { return max_queued_; }

 private:
  void Work();

  const size_t max_queued_;
  std::mutex mu_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_SERVICE_WORKER_POOL_H_
