// The containers parsers keep their state in count what they hold as entries come and go
// (metered_deque.h, bounded_text_map.h), by the rule of heap_bytes.h.
#include <string>

#include "backend/payload/common/bounded_text_map.h"
#include "backend/payload/common/heap_bytes.h"
#include "backend/payload/common/metered_deque.h"
#include "gtest/gtest.h"

namespace mcpcap::payload {
namespace {

TEST(HeapBytesTest, StringsCountTheirBufferOnceOutOfTheObject) {
  EXPECT_EQ(HeapBytes(std::string("short")), 0u);
  const std::string long_text(1000, 'x');
  EXPECT_GE(HeapBytes(long_text), 1000u);
  DbQuery q;
  q.text = long_text;
  q.error_message = std::string(200, 'e');
  EXPECT_GE(HeapBytes(q), 1200u);
}

TEST(MeteredDequeTest, CountsEntriesAsTheyComeAndGo) {
  MeteredDeque<std::string> queue{&HeapBytes};
  const size_t empty = queue.MemoryBytes();
  queue.push_back(std::string(1000, 'a'));
  queue.push_back(std::string(2000, 'b'));
  queue.push_back("short");
  EXPECT_GE(queue.MemoryBytes(), empty + 3000);
  EXPECT_EQ(queue.take_front(), std::string(1000, 'a'));
  EXPECT_LT(queue.MemoryBytes(), empty + 2100);
  EXPECT_EQ(queue.find_if([](const std::string& s) { return s == "short"; }), 1u);
  EXPECT_EQ(queue.take(1), "short");
  queue.erase_front(1);
  EXPECT_TRUE(queue.empty());
  EXPECT_EQ(queue.MemoryBytes(), empty);
  for (int i = 0; i < 100; ++i) queue.push_back(std::string(100, 'c'));
  queue.clear();
  EXPECT_EQ(queue.MemoryBytes(), empty);
}

TEST(BoundedTextMapTest, CapsNewNamesAndCountsTexts) {
  BoundedTextMap<std::string> map(2);
  const size_t empty = map.MemoryBytes();
  EXPECT_TRUE(map.Put(std::string(100, 'k'), std::string(1000, 'v')));
  EXPECT_TRUE(map.Put(absl::string_view("b"), std::string(1000, 'w')));
  EXPECT_FALSE(map.Put(absl::string_view("c"), "refused"));  // full, and "c" is new
  EXPECT_TRUE(map.Put(absl::string_view("b"), "replaced"));  // a known name is updated
  EXPECT_EQ(map.size(), 2u);
  EXPECT_EQ(*map.Find(absl::string_view("b")), "replaced");
  EXPECT_EQ(map.Find(absl::string_view("c")), nullptr);
  // The replaced text keeps the buffer its first text grew, and is counted with it.
  const size_t two = map.MemoryBytes();
  EXPECT_GE(two, empty + 2100);
  map.Erase(std::string(100, 'k'));
  map.Erase(absl::string_view("b"));
  EXPECT_EQ(map.size(), 0u);
  EXPECT_LE(map.MemoryBytes(), two - 2100);  // the table's slots stay allocated
  EXPECT_LT(map.MemoryBytes(), 1024u);
}

}  // namespace
}  // namespace mcpcap::payload
