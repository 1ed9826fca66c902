// Results already computed, shared by every tool and caller: kept per capture content and
// arguments (result_key.h) within a memory budget, the least recently used leaving first.
// Concurrent calls for the same key wait for one computation (single flight).
#ifndef MCPCAP_BACKEND_SERVICE_RESULT_CACHE_H_
#define MCPCAP_BACKEND_SERVICE_RESULT_CACHE_H_

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"
#include "backend/analysis/common/result_pager.h"
#include "mcpcap/v1/status.pb.h"

namespace mcpcap {

class ResultCache {
 public:
  using Result = std::shared_ptr<const PageableResult>;
  // What a computation gives: its result, and whether it may be kept (false when the capture
  // changed while it was read).
  struct Computed {
    Result result;
    bool keep = true;
  };
  using Compute = std::function<absl::StatusOr<Computed>()>;

  // `memory_limit_bytes` 0 keeps nothing (every call computes; concurrent ones still share).
  explicit ResultCache(uint64_t memory_limit_bytes);

  // The result held for `key`; else the one a concurrent call is computing, waited for while
  // `cancelled` (may be empty) stays false; else `compute`'s. A failed computation is not kept;
  // its callers that were waiting retry unless it failed for another reason than cancellation.
  absl::StatusOr<Result> GetOrCompute(const std::string& key,
                                      const std::function<bool()>& cancelled,
                                      const Compute& compute);

  v1::ResultCacheStatus Status() const;

 private:
  // One computation in progress; callers of its key wait for `done`.
  struct Flight {
    bool done = false;
    absl::StatusOr<Result> result = absl::UnknownError("not computed");
  };
  struct Entry {
    Result result;                             // set once computed
    std::shared_ptr<Flight> flight;            // set while computing
    std::list<std::string>::iterator recency;  // in recency_, when held
  };

  void Finish(const std::string& key, const std::shared_ptr<Flight>& flight,
              const absl::StatusOr<Computed>& computed);
  void EvictLocked();

  const uint64_t memory_limit_bytes_;
  mutable std::mutex mu_;
  std::condition_variable finished_;
  std::map<std::string, Entry> entries_;
  std::list<std::string> recency_;  // most recently used first
  uint64_t memory_bytes_ = 0;
  uint64_t hits_ = 0, misses_ = 0, joined_ = 0, evictions_ = 0;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_SERVICE_RESULT_CACHE_H_
