// The engine's session features: notifications through the sink, progress, logging levels,
// cancellation reaching the backend call, registered tools/prompts/resources, completion.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "gateway/mcp/completion.h"
#include "gateway/mcp/server.h"

namespace mcpcap::gateway {
namespace {

// Blocks each call until cancelled (or 5 s), like a long analysis.
class SlowBackend : public Backend {
 public:
  grpc::Status Call(const std::string&, const std::string&, std::string*) override {
    return grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "");
  }
  grpc::Status Call(const std::string& method, const std::string&, std::string* response,
                    const CallHooks& hooks) override {
    if (method.find("PromptService") != std::string::npos) {
      return grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "");
    }
    std::atomic<bool> stop{false};
    if (hooks.cancel != nullptr) hooks.cancel->SetHook([&] { stop = true; });
    started = true;
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!stop && std::chrono::steady_clock::now() < end) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (hooks.cancel != nullptr) hooks.cancel->ClearHook();
    if (stop) return grpc::Status(grpc::StatusCode::CANCELLED, "cancelled");
    response->clear();
    return grpc::Status::OK;
  }
  std::atomic<bool> started{false};
};

Json Request(int id, const std::string& method, Json params) {
  return Json{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}};
}

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override { contract_ = *Contract::LoadEmbedded(); }
  std::unique_ptr<Contract> contract_;
  SlowBackend backend_;
};

TEST_F(EngineTest, CancelledCallStopsTheBackendAndGetsNoReply) {
  McpServer server(*contract_, backend_, {});
  Session session;
  std::optional<Json> reply = Json();
  std::thread call([&] {
    reply = server.Handle(jsonrpc::Classify(Request(7, "tools/call",
                                                    {{"name", "analyze_capinfos"},
                                                     {"arguments", {{"pcap_file", "x.pcap"}}}})),
                          session, nullptr);
  });
  while (!backend_.started) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  const auto t0 = std::chrono::steady_clock::now();
  const Json cancel{
      {"jsonrpc", "2.0"}, {"method", "notifications/cancelled"}, {"params", {{"requestId", 7}}}};
  EXPECT_FALSE(server.Handle(jsonrpc::Classify(cancel), session, nullptr).has_value());
  call.join();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(1));
  EXPECT_FALSE(reply.has_value());
  EXPECT_EQ(session.InFlight(), 0u);
}

TEST_F(EngineTest, ProgressAndLogsGoToTheSink) {
  McpServer server(*contract_, backend_, {});
  server.RegisterTool(
      ToolDef{"t", "d", Json{{"type", "object"}}, [](const Json&, RequestContext& ctx) {
                ctx.Progress(0, 10);
                ctx.Progress(0, 10);  // not increasing: dropped
                ctx.Progress(5, 10);
                ctx.Log(LogLevel::kDebug, "quiet");
                ctx.Log(LogLevel::kError, "loud");
                return Json{{"content", Json::array()}};
              }});
  Session session;
  std::vector<Json> sent;
  NotificationSink sink = [&](const Json& n) { sent.push_back(n); };
  auto call = [&](Json meta) {
    sent.clear();
    Json params{{"name", "t"}};
    if (!meta.is_null()) params["_meta"] = meta;
    return server.Handle(jsonrpc::Classify(Request(1, "tools/call", params)), session, sink);
  };
  ASSERT_TRUE(call(nullptr).has_value());
  ASSERT_EQ(sent.size(), 1u);  // no token: no progress; default level: error only
  EXPECT_EQ(sent[0]["params"]["data"], "loud");
  call(Json{{"progressToken", "p"}});
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent[0]["method"], "notifications/progress");
  EXPECT_EQ(sent[0]["params"]["progressToken"], "p");
  EXPECT_EQ(sent[1]["params"]["progress"], 5);
  EXPECT_EQ(sent[1]["params"]["total"], 10);

  Json r = *server.Handle(jsonrpc::Classify(Request(2, "logging/setLevel", {{"level", "debug"}})),
                          session, sink);
  EXPECT_EQ(r["result"], Json::object());
  call(nullptr);
  EXPECT_EQ(sent.size(), 2u);
  r = *server.Handle(jsonrpc::Classify(Request(3, "logging/setLevel", {{"level", "loud"}})),
                     session, sink);
  EXPECT_EQ(r["error"]["code"], jsonrpc::kInvalidParams);
}

TEST_F(EngineTest, RegisteredPromptsResourcesAndCompletion) {
  ServerOptions options;
  options.contract_tools = false;
  options.backend_prompts = false;
  McpServer server(*contract_, backend_, options);
  server.RegisterPrompt(PromptDef{"p",
                                  "d",
                                  {{"focus", "f", false, {"dns", "dhcp", "tcp"}}},
                                  [](const std::map<std::string, std::string>& a) {
                                    return Json{{"messages", Json::array()}, {"n", a.size()}};
                                  }});
  server.RegisterResourceTemplate(ResourceTemplateDef{
      "test://t/{id}/data", "t", "d", "text/plain",
      [](const std::string& uri, const std::map<std::string, std::string>& vars) {
        return Json::array({Json{{"uri", uri}, {"text", vars.at("id")}}});
      }});
  auto ask = [&](const std::string& m, Json p) {
    return *server.Handle(jsonrpc::Classify(Request(1, m, std::move(p))));
  };
  EXPECT_EQ(ask("tools/list", Json::object())["result"]["tools"].size(), 0u);
  Json init = ask("initialize", Json::object())["result"];
  EXPECT_TRUE(init["capabilities"].contains("resources"));
  EXPECT_TRUE(init["capabilities"].contains("completions"));
  EXPECT_EQ(ask("prompts/list", Json::object())["result"]["prompts"][0]["arguments"][0]["name"],
            "focus");
  Json c = ask("completion/complete",
               {{"ref", {{"type", "ref/prompt"}, {"name", "p"}}},
                {"argument", {{"name", "focus"}, {"value", "d"}}}})["result"]["completion"];
  EXPECT_EQ(c["values"], Json::array({"dns", "dhcp"}));  // declared order, filtered by prefix
  EXPECT_EQ(c["total"], 2);
  Json read = ask("resources/read", {{"uri", "test://t/42/data"}})["result"];
  EXPECT_EQ(read["contents"][0]["text"], "42");
  EXPECT_EQ(ask("resources/read", {{"uri", "test://nope"}})["error"]["code"], -32002);
  EXPECT_EQ(ask("resources/subscribe", {{"uri", "test://t/1/data"}})["result"], Json::object());
}

TEST(MatchUriTemplateTest, Variables) {
  auto vars = MatchUriTemplate("test://template/{id}/data", "test://template/123/data");
  ASSERT_TRUE(vars.has_value());
  EXPECT_EQ(vars->at("id"), "123");
  EXPECT_FALSE(MatchUriTemplate("test://template/{id}/data", "test://template/1/2/data"));
  EXPECT_FALSE(MatchUriTemplate("test://template/{id}/data", "test://template//data"));
}

TEST(CompletionTest, CaptureFilesSortedAndFiltered) {
  namespace fs = std::filesystem;
  const fs::path root =
      fs::temp_directory_path() / ("mcpcap-completion-" + std::to_string(getpid()));
  fs::create_directories(root / "caps");
  fs::create_directories(root / ".hidden");
  for (const char* f :
       {"b.pcap", "a.pcapng", "caps/c.cap", "caps/d.pcap.gz", "notes.txt", ".hidden/e.pcap"}) {
    std::ofstream(root / f) << "x";
  }
  std::vector<std::string> all = CaptureFileCandidates(root.string(), "");
  EXPECT_EQ(all, (std::vector<std::string>{"a.pcapng", "b.pcap", "caps/c.cap", "caps/d.pcap.gz"}));
  EXPECT_EQ(CaptureFileCandidates(root.string(), "caps/"),
            (std::vector<std::string>{"caps/c.cap", "caps/d.pcap.gz"}));
  std::vector<std::string> abs = CaptureFileCandidates(".", (root / "b").string());
  ASSERT_EQ(abs.size(), 1u);
  EXPECT_EQ(abs[0], (root / "b.pcap").string());
  Json r = CompletionResult(all, "a");
  EXPECT_EQ(r["completion"]["values"], Json::array({"a.pcapng"}));
  EXPECT_EQ(r["completion"]["hasMore"], false);
  fs::remove_all(root);
}

TEST(CompletionTest, OnlyInsideTheRoots) {
  namespace fs = std::filesystem;
  const fs::path top = fs::temp_directory_path() / ("mcpcap-roots-" + std::to_string(getpid()));
  fs::create_directories(top / "root" / "sub");
  fs::create_directories(top / "outside");
  for (const char* f : {"root/a.pcap", "root/sub/b.pcap", "outside/secret.pcap"}) {
    std::ofstream(top / f) << "x";
  }
  fs::create_symlink(top / "outside" / "secret.pcap", top / "root" / "link.pcap");
  fs::create_directory_symlink(top / "outside", top / "root" / "dirlink");
  const std::vector<std::string> roots = {(top / "root").string()};
  const std::string base = top.string();  // the working directory, outside the root

  // Relative: the root's captures as paths from the base; the outside file and both symlinks
  // that lead out are not offered.
  EXPECT_EQ(CaptureFileCandidates(base, "", roots),
            (std::vector<std::string>{"root/a.pcap", "root/sub/b.pcap"}));
  EXPECT_TRUE(CaptureFileCandidates(base, "outside/", roots).empty());
  EXPECT_TRUE(CaptureFileCandidates(base, "root/../outside/", roots).empty());
  EXPECT_EQ(CaptureFileCandidates((top / "root" / "sub").string(), "../", roots),
            (std::vector<std::string>{"../a.pcap"}));
  // Absolute: what /tmp/ offers is the root's captures only (it lies under /tmp), never the rest.
  const std::vector<std::string> in_root = {(top / "root/a.pcap").string(),
                                            (top / "root/sub/b.pcap").string()};
  EXPECT_EQ(CaptureFileCandidates(base, top.parent_path().string() + "/", roots), in_root);
  EXPECT_TRUE(CaptureFileCandidates(base, "/etc/", roots).empty());
  EXPECT_EQ(CaptureFileCandidates(base, "/", roots), in_root);
  // Without roots every readable capture is offered, as a call would accept it.
  EXPECT_EQ(CaptureFileCandidates(base, "outside/"),
            (std::vector<std::string>{"outside/secret.pcap"}));
  fs::remove_all(top);
}

}  // namespace
}  // namespace mcpcap::gateway
