// stdio framing: lines split in one pass, overlong lines reported once and skipped.
#include "gateway/transport/line_splitter.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace mcpcap::gateway {
namespace {

struct Collected {
  std::vector<std::string> lines;
  int overlong = 0;
};

void FeedAll(LineSplitter& s, const std::vector<std::string>& chunks, Collected* c) {
  for (const std::string& chunk : chunks) {
    s.Feed(
        chunk, [c](std::string_view line) { c->lines.emplace_back(line); }, [c] { ++c->overlong; });
  }
}

TEST(LineSplitter, SplitsAcrossReadsAndStripsCr) {
  LineSplitter s(100);
  Collected c;
  FeedAll(s, {"a\r\nb", "c\n", "\n", "d"}, &c);
  EXPECT_EQ(c.lines, (std::vector<std::string>{"a", "bc", ""}));
  EXPECT_EQ(s.Rest(), "d");
  EXPECT_EQ(c.overlong, 0);
}

TEST(LineSplitter, OverlongLineIsReportedOnceThenResynchronises) {
  LineSplitter s(8);
  Collected c;
  // 300 reads of a line without a newline, then the next message.
  std::vector<std::string> chunks(300, std::string(1000, 'x'));
  chunks.push_back("yyy\nok\n");
  FeedAll(s, chunks, &c);
  EXPECT_EQ(c.overlong, 1);
  EXPECT_EQ(c.lines, (std::vector<std::string>{"ok"}));
  // Exactly at the cap is fine; one more byte is not, even when it arrives with its newline.
  FeedAll(s, {"12345678\n", "123456789\n", "next\n"}, &c);
  EXPECT_EQ(c.lines, (std::vector<std::string>{"ok", "12345678", "next"}));
  EXPECT_EQ(c.overlong, 2);
  EXPECT_EQ(s.Rest(), "");
}

}  // namespace
}  // namespace mcpcap::gateway
