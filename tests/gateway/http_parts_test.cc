// Pieces of the Streamable HTTP transport: Host/Origin checks, sessions, response streams.
#include <gtest/gtest.h>

#include <thread>

#include "gateway/http/host_check.h"
#include "gateway/http/response_stream.h"
#include "gateway/http/session_store.h"

namespace mcpcap::gateway {
namespace {

TEST(HostCheckTest, LocalNamesOnTheBoundPortOnly) {
  HostCheck check("127.0.0.1", 8080, {"https://mcp.example.com"});
  EXPECT_TRUE(check.HostAllowed("127.0.0.1:8080"));
  EXPECT_TRUE(check.HostAllowed("LOCALHOST:8080"));
  EXPECT_TRUE(check.HostAllowed("[::1]:8080"));
  EXPECT_TRUE(check.HostAllowed("mcp.example.com:443"));
  EXPECT_TRUE(check.HostAllowed("mcp.example.com"));
  EXPECT_FALSE(check.HostAllowed("evil.example.com"));
  EXPECT_FALSE(check.HostAllowed("127.0.0.1:9090"));
  EXPECT_FALSE(check.HostAllowed("localhost"));  // port 80 is not ours
  EXPECT_FALSE(check.HostAllowed(""));

  EXPECT_TRUE(check.OriginAllowed(""));
  EXPECT_TRUE(check.OriginAllowed("http://localhost:8080"));
  EXPECT_TRUE(check.OriginAllowed("http://127.0.0.1:8080/"));
  EXPECT_TRUE(check.OriginAllowed("https://mcp.example.com"));
  EXPECT_FALSE(check.OriginAllowed("http://evil.example.com"));
  EXPECT_FALSE(check.OriginAllowed("http://localhost:1234"));
  EXPECT_FALSE(check.OriginAllowed("null"));
  EXPECT_EQ(NormalizeOrigin("HTTP://A.b"), "http://a.b:80");
  EXPECT_EQ(NormalizeOrigin("ftp://a"), "");
}

TEST(HostCheckTest, SpecificBoundAddressIsAName) {
  HostCheck check("10.1.2.3", 9000, {});
  EXPECT_TRUE(check.HostAllowed("10.1.2.3:9000"));
  EXPECT_TRUE(check.OriginAllowed("http://10.1.2.3:9000"));
  HostCheck any("0.0.0.0", 9000, {});
  EXPECT_FALSE(any.HostAllowed("0.0.0.0:9000"));
}

SessionStore::Clock::time_point fake_now;
SessionStore::Clock::time_point FakeNow() { return fake_now; }

TEST(SessionStoreTest, IdleExpiryLeasesAndBounds) {
  fake_now = SessionStore::Clock::now();
  SessionStore store(std::chrono::seconds(60), 2);
  store.set_clock_for_test(&FakeNow);
  std::string a_id;
  {
    SessionStore::Lease a = store.Create();
    ASSERT_TRUE(a);
    a_id = a->id;
    EXPECT_EQ(a_id.size(), 32u);
  }
  SessionStore::Lease b = store.Create();
  EXPECT_NE(b->id, a_id);
  EXPECT_FALSE(store.Create());  // full
  fake_now += std::chrono::seconds(61);
  EXPECT_FALSE(store.Find(a_id));  // idle too long
  EXPECT_TRUE(store.Find(b->id));  // leased: never expires under its request
  EXPECT_TRUE(store.Create());     // room again
  const std::string b_id = b->id;
  b = SessionStore::Lease();
  EXPECT_TRUE(store.Remove(b_id));
  EXPECT_FALSE(store.Remove(b_id));
  EXPECT_FALSE(store.Find(b_id));
}

TEST(ResponseStreamTest, ReplyAloneIsPlainJson) {
  ResponseStream s;
  s.Finish(Json{{"id", 1}});
  EXPECT_TRUE(s.WaitReplyOnly());
  EXPECT_EQ((*s.reply())["id"], 1);
}

TEST(ResponseStreamTest, NotificationsFirstMakeAnSseStreamEndingWithTheReply) {
  ResponseStream s(2);
  std::thread engine([&] {
    s.Notify(Json{{"n", 1}});
    s.Notify(Json{{"n", 2}});
    s.Notify(Json{{"n", 3}});  // over the bound: dropped
    s.Finish(Json{{"id", 1}});
  });
  EXPECT_FALSE(s.WaitReplyOnly());
  engine.join();
  std::string out;
  while (s.NextEvents(&out, std::chrono::milliseconds(10))) {
  }
  EXPECT_EQ(out,
            "event: message\ndata: {\"n\":1}\n\nevent: message\ndata: {\"n\":2}\n\n"
            "event: message\ndata: {\"id\":1}\n\n");
  EXPECT_EQ(s.dropped(), 1u);
}

}  // namespace
}  // namespace mcpcap::gateway
