#include "backend/service/worker_pool.h"

#include <atomic>
#include <future>

#include "gtest/gtest.h"

namespace mcpcap {
namespace {

TEST(WorkerPool, RunsEveryTaskAndFinishesQueuedWorkOnDestruction) {
  std::atomic<int> done{0};
  {
    WorkerPool pool(2, 100);
    for (int i = 0; i < 50; ++i) ASSERT_TRUE(pool.Submit([&] { ++done; }));
  }
  EXPECT_EQ(done.load(), 50);
}

TEST(WorkerPool, RefusesWhenTheQueueIsFull) {
  WorkerPool pool(1, 1);
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  std::promise<void> started;
  ASSERT_TRUE(pool.Submit([&] {
    started.set_value();
    gate.wait();
  }));
  started.get_future().wait();                        // the only worker is busy
  ASSERT_TRUE(pool.Submit([gate] { gate.wait(); }));  // fills the queue
  EXPECT_FALSE(pool.Submit([] {}));                   // refused
  release.set_value();
}

}  // namespace
}  // namespace mcpcap
