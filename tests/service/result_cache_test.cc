// The result cache on its own: a held result answers without computing, concurrent callers of
// one key share one computation, failures are not kept, and memory stays within the budget.
#include "backend/service/result_cache.h"

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "mcpcap/v1/dns.pb.h"

namespace mcpcap {
namespace {

// A result of some size: `names` unique domains.
ResultCache::Result MakeResult(int names) {
  auto response = std::make_unique<v1::AnalyzeDnsPacketsResponse>();
  for (int i = 0; i < names; ++i) {
    response->mutable_statistics()->add_unique_domains("host" + std::to_string(i) + ".example");
  }
  auto made = PageableResult::Make(std::move(response), {});
  EXPECT_TRUE(made.ok()) << made.status();
  return std::move(*made);
}

ResultCache::Compute Counting(std::atomic<int>* calls, ResultCache::Result result,
                              std::chrono::milliseconds delay = {}) {
  return [calls, result, delay]() -> absl::StatusOr<ResultCache::Computed> {
    ++*calls;
    std::this_thread::sleep_for(delay);
    return ResultCache::Computed{result, true};
  };
}

TEST(ResultCacheTest, HeldResultAnswersWithoutComputing) {
  ResultCache cache(64 << 20);
  std::atomic<int> calls{0};
  ResultCache::Result result = MakeResult(10);
  auto first = cache.GetOrCompute("k", {}, Counting(&calls, result));
  auto second = cache.GetOrCompute("k", {}, Counting(&calls, result));
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(first->get(), second->get());
  v1::ResultCacheStatus status = cache.Status();
  EXPECT_EQ(status.hits(), 1u);
  EXPECT_EQ(status.misses(), 1u);
  EXPECT_EQ(status.entries(), 1u);
  EXPECT_EQ(status.memory_bytes(), result->SpaceUsed());
}

TEST(ResultCacheTest, ConcurrentCallersShareOneComputation) {
  ResultCache cache(64 << 20);
  std::atomic<int> calls{0};
  ResultCache::Result result = MakeResult(10);
  std::vector<std::thread> callers;
  std::atomic<int> same{0};
  for (int i = 0; i < 8; ++i) {
    callers.emplace_back([&] {
      auto got =
          cache.GetOrCompute("k", {}, Counting(&calls, result, std::chrono::milliseconds(300)));
      if (got.ok() && got->get() == result.get()) ++same;
    });
  }
  for (std::thread& t : callers) t.join();
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(same, 8);
  v1::ResultCacheStatus status = cache.Status();
  EXPECT_EQ(status.misses(), 1u);
  EXPECT_EQ(status.joined() + status.hits(), 7u);
}

TEST(ResultCacheTest, WaiterComputesWhenTheComputingCallIsCancelled) {
  ResultCache cache(64 << 20);
  ResultCache::Result result = MakeResult(3);
  std::atomic<bool> started{false};
  std::thread leader([&] {
    auto got = cache.GetOrCompute("k", {}, [&]() -> absl::StatusOr<ResultCache::Computed> {
      started = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      return absl::CancelledError("the leader's client went away");
    });
    EXPECT_TRUE(absl::IsCancelled(got.status()));
  });
  while (!started) std::this_thread::yield();
  std::atomic<int> calls{0};
  auto waiter = cache.GetOrCompute("k", {}, Counting(&calls, result));
  leader.join();
  ASSERT_TRUE(waiter.ok()) << waiter.status();
  EXPECT_EQ(waiter->get(), result.get());
  EXPECT_EQ(calls, 1);
}

TEST(ResultCacheTest, WaitingCallStopsWhenItsOwnCallIsCancelled) {
  ResultCache cache(64 << 20);
  std::atomic<bool> started{false}, release{false};
  std::thread leader([&] {
    (void)cache.GetOrCompute("k", {}, [&]() -> absl::StatusOr<ResultCache::Computed> {
      started = true;
      while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(5));
      return ResultCache::Computed{MakeResult(1), true};
    });
  });
  while (!started) std::this_thread::yield();
  auto waiter = cache.GetOrCompute(
      "k", [] { return true; },
      [] {
        ADD_FAILURE() << "a waiting call must not compute";
        return absl::StatusOr<ResultCache::Computed>(absl::InternalError("computed"));
      });
  EXPECT_TRUE(absl::IsCancelled(waiter.status())) << waiter.status();
  release = true;
  leader.join();
}

TEST(ResultCacheTest, FailuresAndChangedCapturesAreNotKept) {
  ResultCache cache(64 << 20);
  std::atomic<int> calls{0};
  auto failing = [&]() -> absl::StatusOr<ResultCache::Computed> {
    ++calls;
    return absl::InvalidArgumentError("not a capture");
  };
  EXPECT_FALSE(cache.GetOrCompute("bad", {}, failing).ok());
  EXPECT_FALSE(cache.GetOrCompute("bad", {}, failing).ok());
  EXPECT_EQ(calls, 2);

  auto changed = [&]() -> absl::StatusOr<ResultCache::Computed> {
    ++calls;
    return ResultCache::Computed{MakeResult(2), /*keep=*/false};
  };
  EXPECT_TRUE(cache.GetOrCompute("changed", {}, changed).ok());
  EXPECT_TRUE(cache.GetOrCompute("changed", {}, changed).ok());
  EXPECT_EQ(calls, 4);
  EXPECT_EQ(cache.Status().entries(), 0u);
}

TEST(ResultCacheTest, LeastRecentlyUsedLeavesFirstWithinTheBudget) {
  ResultCache::Result a = MakeResult(200), b = MakeResult(200), c = MakeResult(200);
  ResultCache cache(a->SpaceUsed() + b->SpaceUsed() + c->SpaceUsed() / 2);
  std::atomic<int> calls{0};
  ASSERT_TRUE(cache.GetOrCompute("a", {}, Counting(&calls, a)).ok());
  ASSERT_TRUE(cache.GetOrCompute("b", {}, Counting(&calls, b)).ok());
  ASSERT_TRUE(cache.GetOrCompute("a", {}, Counting(&calls, a)).ok());  // a is now the newest
  ASSERT_TRUE(cache.GetOrCompute("c", {}, Counting(&calls, c)).ok());  // b leaves
  EXPECT_EQ(calls, 3);
  v1::ResultCacheStatus status = cache.Status();
  EXPECT_EQ(status.entries(), 2u);
  EXPECT_EQ(status.evictions(), 1u);
  EXPECT_LE(status.memory_bytes(), status.memory_limit_bytes());
  ASSERT_TRUE(cache.GetOrCompute("a", {}, Counting(&calls, a)).ok());
  EXPECT_EQ(calls, 3);  // still held
  ASSERT_TRUE(cache.GetOrCompute("b", {}, Counting(&calls, b)).ok());
  EXPECT_EQ(calls, 4);  // computed again
}

TEST(ResultCacheTest, NoBudgetKeepsNothing) {
  ResultCache cache(0);
  std::atomic<int> calls{0};
  ResultCache::Result result = MakeResult(1);
  ASSERT_TRUE(cache.GetOrCompute("k", {}, Counting(&calls, result)).ok());
  ASSERT_TRUE(cache.GetOrCompute("k", {}, Counting(&calls, result)).ok());
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(cache.Status().memory_bytes(), 0u);
}

}  // namespace
}  // namespace mcpcap
