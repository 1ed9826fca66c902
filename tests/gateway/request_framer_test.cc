// HTTP request framing with limits: where a request ends, and what is refused before decoding.
#include "gateway/http/request_framer.h"

#include <gtest/gtest.h>

#include <string>

namespace mcpcap::gateway {
namespace {

using State = RequestFramer::State;

RequestLimits Small() {
  RequestLimits l;
  l.max_head_bytes = 1024;
  l.max_headers = 8;
  l.max_body_bytes = 100;
  return l;
}

// Feeds `text` a byte at a time; returns the first non-incomplete state.
State FeedBytes(RequestFramer& f, const std::string& text) {
  std::string buffered;
  for (char ch : text) {
    buffered.push_back(ch);
    const State s = f.Update(buffered);
    if (s != State::kIncomplete) return s;
  }
  return State::kIncomplete;
}

TEST(RequestFramer, ContentLengthAndPipelining) {
  RequestFramer f(Small());
  const std::string first = "POST /mcp HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}";
  ASSERT_EQ(f.Update(first + "GET / HTTP/1.1\r\n"), State::kComplete);
  EXPECT_EQ(f.length(), first.size());
  f.Reset();
  EXPECT_EQ(FeedBytes(f, "GET / HTTP/1.1\nHost: x\n\n"), State::kComplete);
}

TEST(RequestFramer, ChunkedIsCountedDecoded) {
  RequestFramer f(Small());
  const std::string ok =
      "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
      "32;ext=1\r\n" +
      std::string(50, 'a') + "\r\n32\r\n" + std::string(50, 'b') + "\r\n0\r\nTrailer: x\r\n\r\n";
  ASSERT_EQ(FeedBytes(f, ok), State::kComplete);
  EXPECT_EQ(f.length(), ok.size());
  RequestFramer over(Small());
  const std::string big = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" +
                          std::string("64\r\n") + std::string(100, 'a') + "\r\n1\r\n";
  EXPECT_EQ(FeedBytes(over, big), State::kError);
  EXPECT_EQ(over.status(), 413);
  RequestFramer bad(Small());
  EXPECT_EQ(FeedBytes(bad, "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
            State::kError);
  EXPECT_EQ(bad.status(), 400);
}

TEST(RequestFramer, RefusesBeforeDecoding) {
  struct Case {
    std::string request;
    int status;
  };
  const Case cases[] = {
      {"POST / HTTP/1.1\r\nContent-Encoding: gzip\r\nContent-Length: 1\r\n\r\n", 415},
      {"POST / HTTP/1.1\r\nContent-Length: 101\r\n\r\n", 413},
      {"POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501},
      {"GET / HTTP/1.1\r\n" + std::string(9, 'x') + ": 1\r\nA: 1\r\nB: 1\r\nC: 1\r\nD: 1\r\n" +
           "E: 1\r\nF: 1\r\nG: 1\r\nH: 1\r\n\r\n",
       431},
      {"GET / HTTP/1.1\r\nX: " + std::string(2000, 'y'), 431},
  };
  for (const Case& c : cases) {
    RequestFramer f(Small());
    EXPECT_EQ(f.Update(c.request), State::kError) << c.request.substr(0, 80);
    EXPECT_EQ(f.status(), c.status) << c.request.substr(0, 80);
    EXPECT_FALSE(f.reason().empty());
  }
}

TEST(RequestFramer, ExpectContinueIsReported) {
  RequestFramer f(Small());
  EXPECT_EQ(f.Update("POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"),
            State::kIncomplete);
  EXPECT_TRUE(f.head_done());
  EXPECT_TRUE(f.expects_continue());
}

}  // namespace
}  // namespace mcpcap::gateway
