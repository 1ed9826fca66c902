#include "backend/service/result_cache.h"

#include <chrono>
#include <utility>

namespace mcpcap {
namespace {

// How often a waiting call looks at its own cancellation.
constexpr std::chrono::milliseconds kWaitPoll{50};

}  // namespace

ResultCache::ResultCache(uint64_t memory_limit_bytes) : memory_limit_bytes_(memory_limit_bytes) {}

absl::StatusOr<ResultCache::Result> ResultCache::GetOrCompute(
    const std::string& key, const std::function<bool()>& cancelled, const Compute& compute) {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    auto found = entries_.find(key);
    if (found == entries_.end()) break;
    Entry& entry = found->second;
    if (entry.result != nullptr) {
      ++hits_;
      recency_.splice(recency_.begin(), recency_, entry.recency);
      return entry.result;
    }
    ++joined_;
    std::shared_ptr<Flight> flight = entry.flight;
    while (!flight->done) {
      if (cancelled && cancelled()) {
        return absl::CancelledError("the call was cancelled while another computed its result");
      }
      finished_.wait_for(lock, kWaitPoll);
    }
    if (flight->result.ok() || !absl::IsCancelled(flight->result.status())) {
      return flight->result;
    }
    // The computing call was cancelled: this one tries (or joins the next computation).
  }
  ++misses_;
  auto flight = std::make_shared<Flight>();
  entries_[key].flight = flight;
  lock.unlock();
  absl::StatusOr<Computed> computed = compute();
  Finish(key, flight, computed);
  if (!computed.ok()) return computed.status();
  return computed->result;
}

void ResultCache::Finish(const std::string& key, const std::shared_ptr<Flight>& flight,
                         const absl::StatusOr<Computed>& computed) {
  std::lock_guard<std::mutex> lock(mu_);
  flight->done = true;
  flight->result = computed.ok() ? absl::StatusOr<Result>(computed->result)
                                 : absl::StatusOr<Result>(computed.status());
  auto found = entries_.find(key);
  const bool keep = computed.ok() && computed->keep && computed->result != nullptr &&
                    computed->result->SpaceUsed() <= memory_limit_bytes_;
  if (!keep) {
    entries_.erase(found);
  } else {
    Entry& entry = found->second;
    entry.flight.reset();
    entry.result = computed->result;
    recency_.push_front(key);
    entry.recency = recency_.begin();
    memory_bytes_ += entry.result->SpaceUsed();
    EvictLocked();
  }
  finished_.notify_all();
}

void ResultCache::EvictLocked() {
  while (memory_bytes_ > memory_limit_bytes_ && !recency_.empty()) {
    auto victim = entries_.find(recency_.back());
    memory_bytes_ -= victim->second.result->SpaceUsed();
    entries_.erase(victim);
    recency_.pop_back();
    ++evictions_;
  }
}

v1::ResultCacheStatus ResultCache::Status() const {
  std::lock_guard<std::mutex> lock(mu_);
  v1::ResultCacheStatus status;
  status.set_entries(recency_.size());
  status.set_memory_bytes(memory_bytes_);
  status.set_memory_limit_bytes(memory_limit_bytes_);
  status.set_hits(hits_);
  status.set_misses(misses_);
  status.set_joined(joined_);
  status.set_evictions(evictions_);
  return status;
}

}  // namespace mcpcap
