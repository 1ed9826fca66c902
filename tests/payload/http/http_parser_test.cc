// The HTTP/1.x parser through the real StreamFeeder, every split mode: framing (Content-Length,
// chunked with extensions and trailers, until close, HEAD/1xx/204/304 without body), pipelining,
// Upgrade/CONNECT tunnels, credentials, bounds, gaps.
#include "backend/payload/http/http_parser.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "backend/payload/common/text_bounds.h"
#include "gtest/gtest.h"
#include "tests/payload/parser_harness.h"

namespace mcpcap::payload {
namespace {

using testing::Chunk;
using testing::Feed;
using testing::FieldOf;
using testing::kAllSplitModes;
using testing::MessageLines;
using testing::Recorded;
using testing::SplitMode;
using testing::SplitModeName;

constexpr Side kC = Side::kClient;
constexpr Side kS = Side::kServer;

// Feeds in every split mode and checks they agree with kAsSent; returns the kAsSent recording.
Recorded FeedAll(const std::vector<Chunk>& talk) {
  return testing::FeedEverySplit(MakeHttpParser, talk, {1u, 2u, 3u});
}

TEST(HttpParser, PipelinedRequestsInOneSegmentPairInOrder) {
  const std::string requests =
      "GET /a HTTP/1.1\r\nHost: example.test\r\nUser-Agent: curl/7.88.1\r\n\r\n"
      "HEAD /b HTTP/1.1\r\nHost: example.test\r\n\r\n"
      "POST /c?x=1 HTTP/1.1\r\nHost: example.test\r\nContent-Type: text/plain\r\n"
      "Content-Length: 5\r\n\r\nhello";
  const std::string responses =
      "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nContent-Type: text/html\r\n"
      "Content-Length: 3\r\n\r\nabc"
      "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"  // HEAD: no body despite the length
      "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok";
  const Recorded r = FeedAll({{kC, requests}, {kS, responses}});
  ASSERT_EQ(r.messages.size(), 6u) << absl::StrJoin(MessageLines(r), "\n");
  EXPECT_EQ(r.messages[0].type, "GET");
  EXPECT_EQ(r.messages[0].summary, "GET /a HTTP/1.1 (Host: example.test)");
  EXPECT_EQ(FieldOf(r.messages[0], "uri"), "/a");
  EXPECT_EQ(FieldOf(r.messages[0], "host"), "example.test");
  EXPECT_EQ(FieldOf(r.messages[0], "user_agent"), "curl/7.88.1");
  EXPECT_EQ(r.messages[1].type, "HEAD");
  EXPECT_EQ(r.messages[2].type, "POST");
  EXPECT_EQ(FieldOf(r.messages[2], "uri"), "/c?x=1");
  EXPECT_EQ(FieldOf(r.messages[2], "content_length"), "5");
  EXPECT_EQ(r.messages[2].length, requests.size() - (requests.find("POST")));
  EXPECT_EQ(r.messages[3].type, "HTTP 200");
  EXPECT_EQ(FieldOf(r.messages[3], "request"), "GET /a");
  EXPECT_EQ(FieldOf(r.messages[3], "server"), "nginx/1.22.1");
  EXPECT_EQ(FieldOf(r.messages[4], "request"), "HEAD /b");
  EXPECT_EQ(r.messages[5].type, "HTTP 201");
  EXPECT_EQ(FieldOf(r.messages[5], "request"), "POST /c?x=1");
  EXPECT_EQ(r.facts.server_version, "nginx/1.22.1");
  EXPECT_EQ(r.facts.client_software, "curl/7.88.1");
  EXPECT_EQ(r.client_stop, "");
  EXPECT_EQ(r.server_stop, "");
}

TEST(HttpParser, ChunkedBodyWithExtensionsAndTrailersSplitEverywhere) {
  const std::string response1 =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5;name=value\r\nhello\r\n"
      "1A\r\nabcdefghijklmnopqrstuvwxyz\r\n"
      "0\r\nX-Checksum: 1234\r\nX-Other: 5\r\n\r\n";
  const std::string response2 = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
  const Recorded r = FeedAll({{kC, "GET /x HTTP/1.1\r\nHost: h\r\n\r\nGET /y HTTP/1.1\r\n\r\n"},
                              {kS, response1 + response2}});
  ASSERT_EQ(r.messages.size(), 4u) << absl::StrJoin(MessageLines(r), "\n");
  EXPECT_EQ(r.messages[2].type, "HTTP 200");
  EXPECT_EQ(FieldOf(r.messages[2], "transfer_encoding"), "chunked");
  EXPECT_EQ(r.messages[2].length, response1.size());  // head, chunks and trailers
  EXPECT_EQ(r.messages[3].type, "HTTP 404");
  EXPECT_EQ(FieldOf(r.messages[3], "request"), "GET /y");
  EXPECT_EQ(r.server_stop, "");
}

TEST(HttpParser, InterimNoContentNotModifiedAndUntilClose) {
  const Recorded r = FeedAll({
      {kC, "PUT /u HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n"},
      {kS, "HTTP/1.1 100 Continue\r\n\r\n"},
      {kC, "data"},
      {kS, "HTTP/1.1 204 No Content\r\n\r\n"},
      {kC, "GET /cached HTTP/1.1\r\n\r\nGET /stream HTTP/1.0\r\n\r\n"},
      {kS, "HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n"},
      {kS, "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nbody until the end"},
      {kS, " of the connection"},
  });
  ASSERT_EQ(r.messages.size(), 7u) << absl::StrJoin(MessageLines(r), "\n");
  EXPECT_EQ(r.messages[1].type, "HTTP 100");
  EXPECT_EQ(r.messages[2].type, "HTTP 204");
  EXPECT_EQ(FieldOf(r.messages[2], "request"), "PUT /u");
  EXPECT_EQ(r.messages[5].type, "HTTP 304");
  EXPECT_EQ(FieldOf(r.messages[5], "request"), "GET /cached");
  EXPECT_EQ(r.messages[6].type, "HTTP 200");
  EXPECT_EQ(FieldOf(r.messages[6], "request"), "GET /stream");
  EXPECT_EQ(r.messages[6].length,
            std::string("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n").size() + 36);
}

TEST(HttpParser, WebSocketUpgradeStopsPolitely) {
  const Recorded r = FeedAll({
      {kC,
       "GET /chat HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
       "\x81\x85\x37\xfa\x21\x3d\x7f\x9f\x4d\x51\x58"},  // a frame right behind the request
      {kS,
       "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
       "\x81\x05hello"},
      {kC, "\x88\x80\x00\x00\x00\x00"},
  });
  ASSERT_EQ(r.messages.size(), 2u) << absl::StrJoin(MessageLines(r), "\n");
  EXPECT_EQ(r.messages[1].type, "HTTP 101");
  EXPECT_EQ(FieldOf(r.messages[1], "upgrade"), "websocket");
  EXPECT_EQ(r.client_stop, "");
  EXPECT_EQ(r.server_stop, "");
  ASSERT_FALSE(r.facts.notes.empty());
}

TEST(HttpParser, ConnectTunnelStopsPolitely) {
  const Recorded r = FeedAll({
      {kC,
       "CONNECT example.test:443 HTTP/1.1\r\nHost: example.test:443\r\n"
       "Proxy-Authorization: Basic cHJveHl1c2VyOnNlY3JldA==\r\n\r\n"},
      {kS, "HTTP/1.1 200 Connection established\r\n\r\n"},
      {kC, std::string("\x16\x03\x01\x00\x05hello", 10)},
      {kS, std::string("\x16\x03\x03\x00\x02hi", 7)},
  });
  ASSERT_EQ(r.messages.size(), 2u) << absl::StrJoin(MessageLines(r), "\n");
  EXPECT_EQ(r.messages[0].type, "CONNECT");
  EXPECT_EQ(FieldOf(r.messages[0], "uri"), "example.test:443");
  EXPECT_EQ(r.client_stop, "");
  EXPECT_EQ(r.server_stop, "");
  ASSERT_EQ(r.credentials.size(), 1u);
  EXPECT_EQ(r.credentials[0].kind, "http_basic_auth");
  EXPECT_EQ(r.credentials[0].user, "proxyuser");
  EXPECT_EQ(r.credentials[0].evidence, "Proxy-Authorization: Basic cHJv****");
}

TEST(HttpParser, CredentialsInHeadersUriAndFormBody) {
  const std::string form = "username=alice&password=hunter2secret&remember=1";
  const Recorded r = FeedAll({
      {kC, "GET /private HTTP/1.1\r\nAuthorization: Basic dXNlcjpwYXNz\r\n\r\n"},
      {kS, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"},
      {kC,
       "GET /api HTTP/1.1\r\nAuthorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig\r\n"
       "X-API-Key: 0123456789abcdef0123\r\nCookie: sessionid=abcdef123456; theme=dark\r\n\r\n"},
      {kS, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"},
      {kC, "GET /login?user=bob&pwd=letmein HTTP/1.1\r\n\r\n"},
      {kS, "HTTP/1.1 302 Found\r\nLocation: /\r\nContent-Length: 0\r\n\r\n"},
      {kC, absl::StrCat("POST /login HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded"
                        "\r\nContent-Length: ",
                        form.size(), "\r\n\r\n", form)},
      {kC, "GET /private HTTP/1.1\r\nAuthorization: Basic dXNlcjpwYXNz\r\n\r\n"},  // repeated
  });
  ASSERT_EQ(r.credentials.size(), 6u);
  EXPECT_EQ(r.credentials[0].kind, "http_basic_auth");
  EXPECT_EQ(r.credentials[0].user, "user");
  EXPECT_EQ(r.credentials[0].evidence, "Authorization: Basic dX****");
  EXPECT_EQ(r.credentials[0].at.frame, 1u);
  EXPECT_EQ(r.credentials[1].kind, "bearer_token");
  EXPECT_EQ(r.credentials[1].evidence, "Authorization: Bearer eyJh****");
  EXPECT_EQ(r.credentials[2].kind, "api_key");
  EXPECT_EQ(r.credentials[2].evidence, "X-API-Key: 0123****");
  EXPECT_EQ(r.credentials[3].kind, "session_cookie");
  EXPECT_EQ(r.credentials[3].evidence, "Cookie: sessionid=ab****; theme=****");
  EXPECT_EQ(r.credentials[4].kind, "password_in_request");
  EXPECT_EQ(r.credentials[4].user, "bob");
  EXPECT_EQ(r.credentials[4].evidence, "URI query: pwd=****");
  EXPECT_EQ(r.credentials[5].kind, "password_in_request");
  EXPECT_EQ(r.credentials[5].user, "alice");
  EXPECT_EQ(r.credentials[5].evidence, "form body: password=hu****");
  EXPECT_EQ(r.credentials[5].at.frame, 7u);
  EXPECT_EQ(r.facts.user, "user");
  for (const Credential& c : r.credentials) {
    EXPECT_EQ(c.evidence.find("hunter2"), std::string::npos);
    EXPECT_EQ(c.evidence.find("letmein"), std::string::npos);
    EXPECT_EQ(c.evidence.find("cGFzcw"), std::string::npos);
  }
}

TEST(HttpParser, MaskNeverShowsMoreThanAQuarter) {
  EXPECT_EQ(MaskSecret(""), "****");
  EXPECT_EQ(MaskSecret("short"), "****");
  EXPECT_EQ(MaskSecret("12345678"), "12****");
  EXPECT_EQ(MaskSecret("0123456789abcdef"), "0123****");
}

TEST(HttpParser, NotHttpIsRejected) {
  for (SplitMode mode : kAllSplitModes) {
    const Recorded r = Feed(
        MakeHttpParser,
        {{kC, "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"}, {kS, "SSH-2.0-OpenSSH_9.2\r\n"}},
        mode);
    EXPECT_TRUE(r.messages.empty()) << SplitModeName(mode);
    EXPECT_EQ(r.client_stop, "not_recognised") << SplitModeName(mode);
    EXPECT_EQ(r.server_stop, "not_recognised") << SplitModeName(mode);
  }
  // A complete first line that is not a request line.
  const Recorded r = Feed(MakeHttpParser, {{kC, "GET\r\n\r\n"}});
  EXPECT_EQ(r.client_stop, "not_recognised");
}

TEST(HttpParser, HugeHeadStopsTheSide) {
  std::string head = "GET / HTTP/1.1\r\n";
  while (head.size() < 70 * 1024) head += "X-Filler: " + std::string(100, 'a') + "\r\n";
  const Recorded r = Feed(MakeHttpParser, {{kC, head}}, SplitMode::kRandom);
  EXPECT_TRUE(r.messages.empty());
  EXPECT_EQ(r.client_stop, "not_recognised");
  ASSERT_EQ(r.facts.notes.size(), 1u);
  EXPECT_NE(r.facts.notes[0].find("message_too_large"), std::string::npos);
}

TEST(HttpParser, HostileLengths) {
  // A body length far beyond the capture: skipped, nothing buffered, no crash.
  const std::string head = "HTTP/1.1 200 OK\r\nContent-Length: 999999999999999999\r\n\r\n";
  const Recorded big = FeedAll({{kC, "GET / HTTP/1.1\r\n\r\n"}, {kS, head + "xyz"}});
  ASSERT_EQ(big.messages.size(), 2u);
  EXPECT_EQ(big.messages[1].length, 999999999999999999u + head.size());
  // An absurd chunk size: framing lost, and no start line follows.
  const Recorded chunk = FeedAll({{kC, "GET / HTTP/1.1\r\n\r\n"},
                                  {kS,
                                   "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                   "fffffffffffffffffffff\r\nabc"}});
  ASSERT_EQ(chunk.messages.size(), 2u);
  EXPECT_NE(chunk.messages[1].summary.find("[body incomplete]"), std::string::npos);
  EXPECT_EQ(chunk.facts.notes.size(), 1u);
  // A negative or garbage Content-Length counts as none: the request has no body.
  const Recorded garbage = FeedAll({{kC,
                                     "POST / HTTP/1.1\r\nContent-Length: -5\r\n\r\n"
                                     "GET /next HTTP/1.1\r\n\r\n"}});
  ASSERT_EQ(garbage.messages.size(), 2u);
  EXPECT_EQ(FieldOf(garbage.messages[1], "uri"), "/next");
}

TEST(HttpParser, GapResyncsAtTheNextStartLine) {
  const Recorded r = FeedAll({
      {kC, "GET /one HTTP/1.1\r\n\r\n"},
      {kS, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n0123"},
      {kS, "", 500},  // lost: the rest of the chunked body and more
      {kS, "tail of something\r\nmore\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"},
      {kC, "", 40},
      {kC, "er/path HTTP/1.1\r\n\r\nGET /three HTTP/1.1\r\nHost: h\r\n\r\n"},
  });
  ASSERT_EQ(r.messages.size(), 4u) << absl::StrJoin(MessageLines(r), "\n");
  EXPECT_NE(r.messages[1].summary.find("[body incomplete]"), std::string::npos);
  EXPECT_EQ(r.messages[2].type, "HTTP 200");
  EXPECT_EQ(r.messages[2].start.frame, 4u);
  EXPECT_EQ(FieldOf(r.messages[3], "uri"), "/three");
  EXPECT_EQ(r.facts.notes.size(), 2u);
  EXPECT_EQ(r.client_stop, "");
  EXPECT_EQ(r.server_stop, "");
}

TEST(HttpParser, GapEndingAtAMessageStart) {
  const Recorded r = FeedAll({
      {kC, "GET /one HTTP/1.1\r\n\r\n"},
      {kC, "", 100},
      {kC, "GET /two HTTP/1.1\r\nHost: h\r\n"},
      {kC, "\r\n"},
  });
  ASSERT_EQ(r.messages.size(), 2u) << absl::StrJoin(MessageLines(r), "\n");
  EXPECT_EQ(FieldOf(r.messages[1], "uri"), "/two");
  EXPECT_EQ(r.facts.notes.size(), 1u);
}

TEST(HttpParser, GapInsideAContentLengthBodyIsAbsorbed) {
  const Recorded r = FeedAll({
      {kC, "GET /big HTTP/1.1\r\n\r\n"},
      {kS, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789"},
      {kS, "", 900},
      {kS, std::string(90, 'x') + "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"},
      {kC, "GET /again HTTP/1.1\r\n\r\n"},
  });
  ASSERT_EQ(r.messages.size(), 4u) << absl::StrJoin(MessageLines(r), "\n");
  EXPECT_TRUE(r.facts.notes.empty());
}

TEST(HttpParser, GapWithNoStartLineStopsTheSide) {
  const Recorded r =
      Feed(MakeHttpParser, {{kC, "GET / HTTP/1.1\r\n\r\n"},
                            {kS, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"},
                            {kS, "", 10},
                            {kS, std::string(300 * 1024, 'z')}});
  EXPECT_EQ(r.server_stop, "lost_sync_after_gap");
}

// A stream that starts after a gap, a form request whose body prefix is awaited, then a second
// gap: the head found before the second gap is gone with the dropped bytes, so its length must
// not be used on the bytes after it (it once read past their end).
TEST(HttpParser, SecondGapDropsTheHeadWaitingForItsBody) {
  const auto form = [](const std::string& uri, const std::string& pad, size_t length) {
    return absl::StrCat("POST ", uri, " HTTP/1.1\r\nX-Pad: ", pad,
                        "\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                        "Content-Length: ",
                        length, "\r\n\r\n");
  };
  const std::string waiting = form("/login", std::string(80, 'p'), 100) + "user=";
  for (size_t pad : {1, 200}) {
    const std::string after = form("/after", std::string(pad, 'q'), 3) + "a=b";
    const Recorded r =
        Feed(MakeHttpParser, {{kC, "", 10}, {kC, waiting}, {kC, "", 50}, {kC, after}});
    ASSERT_EQ(r.messages.size(), 1u) << absl::StrJoin(MessageLines(r), "\n");
    EXPECT_EQ(FieldOf(r.messages[0], "uri"), "/after");
    EXPECT_EQ(r.messages[0].length, after.size());
  }
}

TEST(HttpParser, Http2PriorKnowledgeIsNoted) {
  const Recorded r =
      FeedAll({{kC, std::string("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x12\x04\x00", 29)},
               {kS, std::string("\x00\x00\x06\x04\x00\x00\x00\x00\x00", 9)}});
  ASSERT_EQ(r.messages.size(), 1u);
  EXPECT_EQ(r.messages[0].type, "PRI");
  EXPECT_EQ(r.client_stop, "");
  EXPECT_EQ(r.server_stop, "");
}

}  // namespace
}  // namespace mcpcap::payload

namespace mcpcap::payload {
namespace {

// Printed, not asserted: MB/s of synthetic keep-alive traffic (requests with headers, responses
// with 2 KiB bodies, every tenth chunked) through StreamFeeder in 1448-byte segments.
TEST(HttpParserThroughput, KeepAliveTraffic) {
  std::string client, server;
  for (int i = 0; i < 2000; ++i) {
    absl::StrAppend(&client, "GET /static/file", i, ".js?v=", i * 7,
                    " HTTP/1.1\r\nHost: www.example.test\r\nUser-Agent: Mozilla/5.0 (X11; Linux "
                    "x86_64) Firefox/120.0\r\nAccept: */*\r\nAccept-Encoding: gzip\r\n"
                    "Cookie: session=0123456789abcdef\r\n\r\n");
    if (i % 10 == 0) {
      absl::StrAppend(&server,
                      "HTTP/1.1 200 OK\r\nServer: nginx\r\nTransfer-Encoding: chunked\r\n\r\n",
                      "400\r\n", std::string(1024, 'x'), "\r\n400\r\n", std::string(1024, 'y'),
                      "\r\n0\r\n\r\n");
    } else {
      absl::StrAppend(&server,
                      "HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/javascript\r\n"
                      "Content-Length: 2048\r\n\r\n",
                      std::string(2048, 'z'));
    }
  }
  testing::Recorded sink;
  const auto start = std::chrono::steady_clock::now();
  auto parser = MakeHttpParser(&sink, &sink.facts);
  StreamFeeder feeder(parser.get());
  testing::FeedAlternately(feeder, client, server, 1448);
  feeder.Finish();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(sink.messages.size(), 4000u);
  std::printf("http parser: %.1f MB in %.3f s = %.0f MB/s (%zu messages)\n",
              (client.size() + server.size()) / 1e6, seconds,
              (client.size() + server.size()) / 1e6 / seconds, sink.messages.size());
}

}  // namespace
}  // namespace mcpcap::payload
