// JSON-RPC framing: classification of incoming lines.
#include <gtest/gtest.h>

#include "gateway/jsonrpc/message.h"

namespace mcpcap::gateway::jsonrpc {
namespace {

using Kind = Incoming::Kind;

TEST(JsonRpc, Request) {
  Incoming in = Parse(R"({"jsonrpc":"2.0","id":7,"method":"tools/list","params":{}})");
  EXPECT_EQ(in.kind, Kind::kRequest);
  EXPECT_EQ(in.id, 7);
  EXPECT_EQ(in.method, "tools/list");
  EXPECT_TRUE(in.params.is_object());
  EXPECT_EQ(Parse(R"({"jsonrpc":"2.0","id":"a","method":"ping"})").id, "a");
}

TEST(JsonRpc, Notification) {
  Incoming in = Parse(R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
  EXPECT_EQ(in.kind, Kind::kNotification);
}

TEST(JsonRpc, ParseError) {
  Incoming in = Parse("{not json");
  EXPECT_EQ(in.kind, Kind::kInvalid);
  EXPECT_EQ(in.error["error"]["code"], kParseError);
  EXPECT_TRUE(in.error["id"].is_null());
}

TEST(JsonRpc, InvalidRequests) {
  for (const char* line :
       {R"([{"jsonrpc":"2.0","id":1,"method":"ping"}])", R"("ping")", R"({"id":1,"method":"ping"})",
        R"({"jsonrpc":"1.0","id":1,"method":"ping"})", R"({"jsonrpc":"2.0","id":1,"method":5})",
        R"({"jsonrpc":"2.0","id":1})", R"({"jsonrpc":"2.0","id":{},"method":"ping"})",
        R"({"jsonrpc":"2.0","id":1,"method":"ping","params":3})"}) {
    Incoming in = Parse(line);
    EXPECT_EQ(in.kind, Kind::kInvalid) << line;
    EXPECT_EQ(in.error["error"]["code"], kInvalidRequest) << line;
  }
  // The id is echoed when usable.
  EXPECT_EQ(Parse(R"({"jsonrpc":"1.0","id":9,"method":"ping"})").error["id"], 9);
}

std::string Nested(size_t depth) {
  return R"({"jsonrpc":"2.0","id":1,"method":"ping","params":)" + std::string(depth, '[') +
         std::string(depth, ']') + "}";
}

TEST(JsonRpc, DeepNestingIsRefusedWithoutRecursion) {
  // 100,000 levels once crashed the gateway (a recursive copy of the parsed params).
  for (size_t depth : {size_t{200}, size_t{100000}, size_t{2000000}}) {
    Incoming in = Parse(Nested(depth));
    EXPECT_EQ(in.kind, Kind::kInvalid) << depth;
    EXPECT_EQ(in.error["error"]["code"], kInvalidRequest) << depth;
    EXPECT_NE(in.error["error"]["message"].get<std::string>().find("128"), std::string::npos);
  }
  // Unbalanced deep input is still a parse error, not a crash.
  EXPECT_EQ(Parse(std::string(1000000, '[')).error["error"]["code"], kParseError);
  EXPECT_EQ(Parse(std::string(1000000, '{')).error["error"]["code"], kParseError);
}

TEST(JsonRpc, NestingUpToTheLimitIsAccepted) {
  // The message object is level 1, params level 2.
  Incoming in = Parse(Nested(kMaxJsonDepth - 1));
  EXPECT_EQ(in.kind, Kind::kRequest);
  EXPECT_TRUE(in.params.is_array());
  EXPECT_EQ(Parse(Nested(kMaxJsonDepth)).kind, Kind::kInvalid);
}

TEST(JsonRpc, ResponsesFromTheClientAreRecognised) {
  EXPECT_EQ(Parse(R"({"jsonrpc":"2.0","id":1,"result":{}})").kind, Kind::kResponse);
}

TEST(JsonRpc, Builders) {
  EXPECT_EQ(DumpJson(Result(1, Json::object())), R"({"jsonrpc":"2.0","id":1,"result":{}})");
  EXPECT_EQ(DumpJson(Error("x", kMethodNotFound, "nope")),
            R"({"jsonrpc":"2.0","id":"x","error":{"code":-32601,"message":"nope"}})");
}

}  // namespace
}  // namespace mcpcap::gateway::jsonrpc
