// The bounded flow table: least recently active flows leave through the callback.
#include "backend/flow/flow_table.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace mcpcap {
namespace {

FlowKey KeyFor(uint16_t port) {
  const uint8_t a[4] = {10, 0, 0, 1}, b[4] = {10, 0, 0, 2};
  return MakeFlowKey(IpAddress::V4(a), port, IpAddress::V4(b), 80, 6).key;
}

struct Counter {
  int packets = 0;
};

TEST(FlowTable, CreatesFindsAndCounts) {
  FlowTable<Counter> table(10);
  bool created = false;
  table.FindOrCreate(KeyFor(1), 0, &created).packets++;
  EXPECT_TRUE(created);
  table.FindOrCreate(KeyFor(1), 1, &created).packets++;
  EXPECT_FALSE(created);
  ASSERT_NE(table.Find(KeyFor(1)), nullptr);
  EXPECT_EQ(table.Find(KeyFor(1))->packets, 2);
  EXPECT_EQ(table.Find(KeyFor(2)), nullptr);
  EXPECT_EQ(table.size(), 1u);
}

TEST(FlowTable, FullTableEvictsLeastRecentlyActive) {
  std::vector<uint16_t> evicted;
  FlowTable<Counter> table(3, [&](const FlowKey& k, Counter& c) {
    evicted.push_back(k.port_a);
    EXPECT_GT(c.packets, 0);  // the state is still there for the caller to summarise
  });
  for (uint16_t port : {1, 2, 3}) table.FindOrCreate(KeyFor(port), port, nullptr).packets++;
  table.FindOrCreate(KeyFor(1), 4).packets++;  // 1 is now the most recent; 2 the least
  table.FindOrCreate(KeyFor(4), 5).packets++;
  EXPECT_EQ(evicted, std::vector<uint16_t>{2});
  EXPECT_EQ(table.size(), 3u);
  EXPECT_EQ(table.Find(KeyFor(2)), nullptr);
  EXPECT_EQ(table.evicted_for_room(), 1u);
  table.FindOrCreate(KeyFor(5), 6).packets++;
  EXPECT_EQ(evicted, (std::vector<uint16_t>{2, 3}));
}

TEST(FlowTable, StatesStayPutWhileTheTableGrows) {
  FlowTable<Counter> table(100000);
  Counter* first = &table.FindOrCreate(KeyFor(1), 0);
  for (uint16_t port = 2; port < 5000; ++port) table.FindOrCreate(KeyFor(port), port);
  EXPECT_EQ(first, table.Find(KeyFor(1)));
}

TEST(FlowTable, IdleEvictionUsesCaptureTimeAndIgnoresBackwardSteps) {
  std::vector<uint16_t> evicted;
  FlowTable<Counter> table(10, [&](const FlowKey& k, Counter&) { evicted.push_back(k.port_a); });
  table.FindOrCreate(KeyFor(1), 100);
  table.FindOrCreate(KeyFor(2), 200);
  table.FindOrCreate(KeyFor(3), 150);  // a timestamp stepping back counts as "now" (200)
  EXPECT_EQ(table.EvictIdleBefore(180), 1u);
  EXPECT_EQ(evicted, std::vector<uint16_t>{1});
  EXPECT_EQ(table.EvictIdleBefore(201), 2u);
  EXPECT_EQ(table.evicted_idle(), 3u);
  EXPECT_TRUE(table.empty());
}

TEST(FlowTable, EraseSkipsTheCallbackAndDrainHandsOutTheRest) {
  std::vector<uint16_t> evicted;
  FlowTable<Counter> table(10, [&](const FlowKey& k, Counter&) { evicted.push_back(k.port_a); });
  for (uint16_t port : {3, 1, 2}) table.FindOrCreate(KeyFor(port), port);
  EXPECT_TRUE(table.Erase(KeyFor(1)));
  EXPECT_FALSE(table.Erase(KeyFor(1)));
  std::vector<uint16_t> seen;
  table.ForEach([&](const FlowKey& k, Counter&) { seen.push_back(k.port_a); });
  EXPECT_EQ(seen, (std::vector<uint16_t>{3, 2}));
  table.Drain();
  EXPECT_EQ(evicted, (std::vector<uint16_t>{3, 2}));
  EXPECT_TRUE(table.empty());
  // Freed slots are reused.
  table.FindOrCreate(KeyFor(9), 10).packets = 7;
  EXPECT_EQ(table.Find(KeyFor(9))->packets, 7);
}

TEST(FlowTable, StateWithHeapMemoryIsReleasedOnEviction) {
  struct Big {
    std::string text = std::string(1000, 'x');
  };
  FlowTable<Big> table(2);
  for (uint16_t port = 0; port < 1000; ++port) table.FindOrCreate(KeyFor(port), port);
  EXPECT_EQ(table.size(), 2u);
  EXPECT_EQ(table.evicted_for_room(), 998u);
}

}  // namespace
}  // namespace mcpcap
