// The MCP engine against a fake backend: dispatch, errors, results, prompts.
#include <gtest/gtest.h>

#include <map>
#include <mutex>

#include "backend/base/error_details.h"
#include "backend/service/status_conversion.h"
#include "gateway/mcp/server.h"
#include "mcpcap/v1/analysis.pb.h"
#include "mcpcap/v1/capinfos.pb.h"
#include "mcpcap/v1/prompts.pb.h"

namespace mcpcap::gateway {
namespace {

class FakeBackend : public Backend {
 public:
  grpc::Status Call(const std::string& method, const std::string& request,
                    std::string* response) override {
    std::lock_guard<std::mutex> lock(mu);
    calls[method] = request;
    auto it = replies.find(method);
    if (it == replies.end()) return grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "not yet");
    if (!it->second.first.ok()) return it->second.first;
    *response = it->second.second;
    return grpc::Status::OK;
  }
  std::mutex mu;
  std::map<std::string, std::string> calls;
  std::map<std::string, std::pair<grpc::Status, std::string>> replies;
};

class McpServerTest : public ::testing::Test {
 protected:
  void SetUp() override { contract_ = *Contract::LoadEmbedded(); }

  Json Ask(McpServer& server, const std::string& method, Json params = Json::object()) {
    Json msg{{"jsonrpc", "2.0"}, {"id", 1}, {"method", method}, {"params", params}};
    std::optional<Json> reply = server.Handle(jsonrpc::Classify(msg));
    EXPECT_TRUE(reply.has_value());
    return reply.value_or(Json());
  }

  std::unique_ptr<Contract> contract_;
  FakeBackend backend_;
};

TEST_F(McpServerTest, InitializeNegotiatesTheVersion) {
  McpServer server(*contract_, backend_, {{}, 0, "1.2.3"});
  Json r = Ask(server, "initialize", {{"protocolVersion", "2025-03-26"}})["result"];
  EXPECT_EQ(r["protocolVersion"], "2025-03-26");
  EXPECT_EQ(r["serverInfo"]["name"], "mcpcap");
  EXPECT_EQ(r["serverInfo"]["version"], "1.2.3");
  EXPECT_TRUE(r["capabilities"].contains("tools"));
  EXPECT_TRUE(r["capabilities"].contains("prompts"));
  r = Ask(server, "initialize", {{"protocolVersion", "1999-01-01"}})["result"];
  EXPECT_EQ(r["protocolVersion"], "2025-11-25");
}

TEST_F(McpServerTest, PingUnknownMethodsAndNotifications) {
  McpServer server(*contract_, backend_, {});
  EXPECT_EQ(Ask(server, "ping")["result"], Json::object());
  EXPECT_EQ(Ask(server, "server/discover")["error"]["code"], jsonrpc::kMethodNotFound);
  EXPECT_EQ(Ask(server, "resources/list")["error"]["code"], jsonrpc::kMethodNotFound);
  EXPECT_FALSE(
      server.Handle(jsonrpc::Parse(R"({"jsonrpc":"2.0","method":"notifications/initialized"})"))
          .has_value());
  EXPECT_EQ((*server.Handle(jsonrpc::Parse("nope")))["error"]["code"], jsonrpc::kParseError);
}

TEST_F(McpServerTest, ToolsListHonoursModules) {
  McpServer all(*contract_, backend_, {});
  Json tools = Ask(all, "tools/list")["result"]["tools"];
  ASSERT_EQ(tools.size(), 12u);
  EXPECT_EQ(tools[0]["annotations"]["readOnlyHint"], true);
  EXPECT_TRUE(tools[0].contains("outputSchema"));
  McpServer dns(*contract_, backend_, {{"dns"}, 0, ""});
  tools = Ask(dns, "tools/list")["result"]["tools"];
  ASSERT_EQ(tools.size(), 1u);
  EXPECT_EQ(tools[0]["name"], "analyze_dns_packets");
  Json r =
      Ask(dns, "tools/call", {{"name", "analyze_capinfos"}, {"arguments", {{"pcap_file", "a"}}}});
  EXPECT_EQ(r["error"]["code"], jsonrpc::kInvalidParams);
}

TEST_F(McpServerTest, ToolsCallErrors) {
  McpServer server(*contract_, backend_, {});
  EXPECT_EQ(Ask(server, "tools/call", {{"name", "nope"}})["error"]["code"],
            jsonrpc::kInvalidParams);
  EXPECT_EQ(Ask(server, "tools/call", {{"arguments", Json::object()}})["error"]["code"],
            jsonrpc::kInvalidParams);
  Json r = Ask(server, "tools/call", {{"name", "analyze_capinfos"}, {"arguments", Json::object()}});
  EXPECT_EQ(r["result"]["isError"], true);
  EXPECT_EQ(r["result"]["content"][0]["text"],
            "analyze_capinfos: INVALID_ARGUMENT: missing required argument 'pcap_file'");
  // Without error details (an older mcpcapd, a transport failure): the gRPC code.
  backend_.replies["/mcpcap.v1.CaptureAnalysisService/AnalyzeCapinfos"] = {
      grpc::Status(grpc::StatusCode::NOT_FOUND, "capture '/x.pcap' not found"), ""};
  r = Ask(server, "tools/call",
          {{"name", "analyze_capinfos"}, {"arguments", {{"pcap_file", "/x.pcap"}}}});
  EXPECT_EQ(r["result"]["content"][0]["text"],
            "analyze_capinfos: NOT_FOUND: capture '/x.pcap' not found");
  r = Ask(server, "tools/call",
          {{"name", "analyze_dns_packets"}, {"arguments", {{"pcap_file", "/x"}}}});
  EXPECT_EQ(r["result"]["content"][0]["text"], "analyze_dns_packets: UNIMPLEMENTED: not yet");
}

// What mcpcapd's error details say reaches the model: the reason, the arguments at fault by
// their tool names, the retry delay.
TEST_F(McpServerTest, ToolErrorsShowTheBackendsReason) {
  McpServer server(*contract_, backend_, {});
  auto fail_with = [&](const absl::Status& status) {
    backend_.replies["/mcpcap.v1.CaptureAnalysisService/AnalyzeCapinfos"] = {ToGrpcStatus(status),
                                                                             ""};
    return Ask(server, "tools/call",
               {{"name", "analyze_capinfos"}, {"arguments", {{"pcap_file", "/x.pcap"}}}})["result"];
  };
  Json r = fail_with(ReasonError(absl::StatusCode::kNotFound, v1::ERROR_REASON_CAPTURE_NOT_FOUND,
                                 "capture '/x.pcap' not found"));
  EXPECT_EQ(r["isError"], true);
  EXPECT_EQ(r["content"][0]["text"],
            "analyze_capinfos: CAPTURE_NOT_FOUND: capture '/x.pcap' not found");

  r = fail_with(FieldError("options.bpf_filter", "bpf_filter 'tcp port' is not valid: syntax error",
                           v1::ERROR_REASON_BPF_FILTER_INVALID));
  EXPECT_EQ(r["content"][0]["text"],
            "analyze_capinfos: BPF_FILTER_INVALID: bpf_filter 'tcp port' is not valid: syntax "
            "error (field: bpf_filter)");

  r = fail_with(WithRetryDelay(ReasonError(absl::StatusCode::kResourceExhausted,
                                           v1::ERROR_REASON_SERVER_BUSY, "mcpcapd is busy"),
                               absl::Seconds(1)));
  EXPECT_EQ(r["content"][0]["text"],
            "analyze_capinfos: SERVER_BUSY: mcpcapd is busy (retry after 1 s)");
}

TEST_F(McpServerTest, ToolsCallSuccessCarriesStructuredContentAndCapsPackets) {
  v1::AnalyzeCapinfosResponse reply;
  reply.set_packet_count(1ull << 40);
  reply.set_filename("x.pcap");
  backend_.replies["/mcpcap.v1.CaptureAnalysisService/AnalyzeCapinfos"] = {
      grpc::Status::OK, reply.SerializeAsString()};
  McpServer server(*contract_, backend_, {{}, 100, ""});
  Json r = Ask(server, "tools/call",
               {{"name", "analyze_capinfos"},
                {"arguments", {{"pcap_file", "/x.pcap"}, {"max_packets", 1000}}}})["result"];
  EXPECT_EQ(r["isError"], false);
  EXPECT_EQ(r["structuredContent"]["packet_count"], 1ull << 40);
  EXPECT_EQ(r["structuredContent"]["filename"], "x.pcap");
  EXPECT_EQ(Json::parse(r["content"][0]["text"].get<std::string>()), r["structuredContent"]);
  v1::AnalyzeCapinfosRequest sent;
  ASSERT_TRUE(
      sent.ParseFromString(backend_.calls["/mcpcap.v1.CaptureAnalysisService/AnalyzeCapinfos"]));
  EXPECT_EQ(sent.pcap_file(), "/x.pcap");
  EXPECT_EQ(sent.options().max_packets(), 100u);
}

TEST_F(McpServerTest, PromptsWithoutBackendPromptsAreEmpty) {
  McpServer server(*contract_, backend_, {});
  EXPECT_EQ(Ask(server, "prompts/list")["result"], Json({{"prompts", Json::array()}}));
  Json r = Ask(server, "prompts/get", {{"name", "security_analysis"}});
  EXPECT_EQ(r["error"]["code"], jsonrpc::kInvalidParams);
  EXPECT_EQ(r["error"]["message"], "unknown prompt: security_analysis");
}

TEST_F(McpServerTest, PromptsAreForwardedAndFilteredByModule) {
  v1::ListPromptsResponse list;
  v1::Prompt* p = list.add_prompts();
  p->set_name("security_analysis");
  p->set_description("DNS security");
  p->set_module("dns");
  auto* arg = p->add_arguments();
  arg->set_name("pcap_file");
  v1::Prompt* q = list.add_prompts();
  q->set_name("tcp_security_analysis");
  q->set_module("tcp");
  v1::GetPromptResponse get;
  get.set_description("DNS security");
  get.add_messages()->set_text("Look at the DNS.");
  backend_.replies["/mcpcap.v1.PromptService/ListPrompts"] = {grpc::Status::OK,
                                                              list.SerializeAsString()};
  backend_.replies["/mcpcap.v1.PromptService/GetPrompt"] = {grpc::Status::OK,
                                                            get.SerializeAsString()};

  McpServer server(*contract_, backend_, {{"dns"}, 0, ""});
  Json prompts = Ask(server, "prompts/list")["result"]["prompts"];
  ASSERT_EQ(prompts.size(), 1u);
  EXPECT_EQ(prompts[0]["name"], "security_analysis");
  EXPECT_EQ(prompts[0]["arguments"][0]["name"], "pcap_file");
  v1::ListPromptsRequest sent;
  ASSERT_TRUE(sent.ParseFromString(backend_.calls["/mcpcap.v1.PromptService/ListPrompts"]));
  ASSERT_EQ(sent.modules_size(), 1);
  EXPECT_EQ(sent.modules(0), "dns");

  Json r = Ask(server, "prompts/get",
               {{"name", "security_analysis"}, {"arguments", {{"pcap_file", "/x.pcap"}}}});
  EXPECT_EQ(r["result"]["messages"][0]["role"], "user");
  EXPECT_EQ(r["result"]["messages"][0]["content"]["text"], "Look at the DNS.");
  v1::GetPromptRequest get_sent;
  ASSERT_TRUE(get_sent.ParseFromString(backend_.calls["/mcpcap.v1.PromptService/GetPrompt"]));
  EXPECT_EQ(get_sent.arguments().at("pcap_file"), "/x.pcap");
  EXPECT_EQ(Ask(server, "prompts/get", {{"name", "tcp_security_analysis"}})["error"]["code"],
            jsonrpc::kInvalidParams);
  // A listed prompt the backend no longer knows (its reason, not its code, says so).
  backend_.replies["/mcpcap.v1.PromptService/GetPrompt"] = {
      ToGrpcStatus(ReasonError(absl::StatusCode::kNotFound, v1::ERROR_REASON_PROMPT_NOT_FOUND,
                               "unknown prompt 'security_analysis'")),
      ""};
  r = Ask(server, "prompts/get", {{"name", "security_analysis"}});
  EXPECT_EQ(r["error"]["code"], jsonrpc::kInvalidParams);
  EXPECT_EQ(r["error"]["message"], "unknown prompt: security_analysis");
}

}  // namespace
}  // namespace mcpcap::gateway
