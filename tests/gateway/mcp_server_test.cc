// The MCP engine against a fake backend: dispatch, errors, results, prompts.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "backend/base/error_details.h"
#include "backend/service/status_conversion.h"
#include "gateway/mcp/server.h"
#include "gateway/mcp/status_resource.h"
#include "mcpcap/v1/analysis.pb.h"
#include "mcpcap/v1/capinfos.pb.h"
#include "mcpcap/v1/dns.pb.h"
#include "mcpcap/v1/prompts.pb.h"
#include "mcpcap/v1/status.pb.h"

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
  ASSERT_EQ(tools.size(), 20u);
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

TEST_F(McpServerTest, ToolsListHonoursToolsAndDeclaresLargeBudgets) {
  ServerOptions options;
  options.tools = {"analyze_capinfos", "detect_protocols"};
  McpServer two(*contract_, backend_, options);
  Json tools = Ask(two, "tools/list")["result"]["tools"];
  ASSERT_EQ(tools.size(), 2u);
  EXPECT_EQ(tools[0]["name"], "analyze_capinfos");
  EXPECT_EQ(tools[1]["name"], "detect_protocols");
  EXPECT_FALSE(tools[0].contains("_meta"));  // 40,000: within what clients show anyway
  EXPECT_EQ(
      Ask(two, "tools/call",
          {{"name", "analyze_dns_packets"}, {"arguments", {{"pcap_file", "a"}}}})["error"]["code"],
      jsonrpc::kInvalidParams);
  // Modules filter too: a tool must pass both.
  options.modules = {"capinfos"};
  McpServer one(*contract_, backend_, options);
  EXPECT_EQ(Ask(one, "tools/list")["result"]["tools"].size(), 1u);

  ServerOptions large;
  large.max_result_chars = 120000;
  McpServer big(*contract_, backend_, large);
  const Json listed = Ask(big, "tools/list");  // kept: the loop reads into it
  for (const Json& t : listed["result"]["tools"]) {
    EXPECT_EQ(t["_meta"]["anthropic/maxResultSizeChars"], 120000) << t["name"];
  }
}

// Issue 12: every client pays for tools/list on every turn; all twenty tools in 60,000 bytes.
TEST_F(McpServerTest, ToolsListFitsItsBudget) {
  McpServer server(*contract_, backend_, {});
  const Json reply = Ask(server, "tools/list");
  ASSERT_EQ(reply["result"]["tools"].size(), 20u);
  EXPECT_LE(DumpJson(reply).size(), 60000u);
}

TEST_F(McpServerTest, PromptsFollowTheModulesThatKeepATool) {
  v1::ListPromptsResponse list;
  for (const char* module : {"dns", "tcp", ""}) {
    v1::Prompt* p = list.add_prompts();
    p->set_name(std::string(module) + "_prompt");
    p->set_module(module);
  }
  backend_.replies["/mcpcap.v1.PromptService/ListPrompts"] = {grpc::Status::OK,
                                                              list.SerializeAsString()};
  ServerOptions options;
  options.tools = {"analyze_dns_packets", "analyze_capinfos"};
  McpServer server(*contract_, backend_, options);
  Json prompts = Ask(server, "prompts/list")["result"]["prompts"];
  ASSERT_EQ(prompts.size(), 2u);
  EXPECT_EQ(prompts[0]["name"], "dns_prompt");
  EXPECT_EQ(prompts[1]["name"], "_prompt");  // a prompt of no module is always offered
  v1::ListPromptsRequest sent;
  ASSERT_TRUE(sent.ParseFromString(backend_.calls["/mcpcap.v1.PromptService/ListPrompts"]));
  EXPECT_EQ(std::vector<std::string>(sent.modules().begin(), sent.modules().end()),
            (std::vector<std::string>{"capinfos", "dns"}));
}

// Text the backend writes for gRPC callers reaches the model with fields by their MCP names.
TEST_F(McpServerTest, BackendTextNamesRenamedFieldsTheMcpWay) {
  backend_.replies["/mcpcap.v1.CaptureAnalysisService/AnalyzeCapinfos"] = {
      ToGrpcStatus(FieldError("options.page_token",
                              "page_token is not one mcpcapd gave (malformed): pass a "
                              "`next_page_token` from `capture.partial_listings` unchanged")),
      ""};
  McpServer server(*contract_, backend_, {});
  Json r = Ask(server, "tools/call",
               {{"name", "analyze_capinfos"},
                {"arguments", {{"pcap_file", "/x.pcap"}, {"cursor", "bogus"}}}})["result"];
  EXPECT_EQ(r["content"][0]["text"],
            "analyze_capinfos: INVALID_ARGUMENT: cursor is not one mcpcapd gave (malformed): pass "
            "a `next_cursor` from `capture.partial_listings` unchanged (field: cursor)");

  v1::ListPromptsResponse list;
  list.add_prompts()->set_name("p");
  v1::GetPromptResponse get;
  get.add_messages()->set_text("pass its `next_page_token` as `page_token` for the next page");
  backend_.replies["/mcpcap.v1.PromptService/ListPrompts"] = {grpc::Status::OK,
                                                              list.SerializeAsString()};
  backend_.replies["/mcpcap.v1.PromptService/GetPrompt"] = {grpc::Status::OK,
                                                            get.SerializeAsString()};
  EXPECT_EQ(Ask(server, "prompts/get", {{"name", "p"}})["result"]["messages"][0]["content"]["text"],
            "pass its `next_cursor` as `cursor` for the next page");
  const std::string instructions = Ask(server, "initialize")["result"]["instructions"];
  EXPECT_NE(instructions.find("next_cursor as cursor"), std::string::npos) << instructions;
}

// A DNS analysis of `total` packets of `entry` characters each, paged as mcpcapd pages: the
// token is the offset; the page size is not part of it.
class PagingBackend : public Backend {
 public:
  grpc::Status Call(const std::string& method, const std::string& request,
                    std::string* response) override {
    if (method != "/mcpcap.v1.CaptureAnalysisService/AnalyzeDnsPackets") {
      return grpc::Status(grpc::StatusCode::UNIMPLEMENTED, method);
    }
    v1::AnalyzeDnsPacketsRequest r;
    if (!r.ParseFromString(request)) return grpc::Status(grpc::StatusCode::INTERNAL, "parse");
    const v1::CaptureOptions& o = r.options();
    asked.push_back(o.has_max_results() ? static_cast<int>(o.max_results()) : -1);
    const uint64_t page = o.has_max_results() ? o.max_results() : 10;
    const uint64_t offset = o.page_token().empty() ? 0 : std::stoull(o.page_token());
    v1::AnalyzeDnsPacketsResponse out;
    out.mutable_capture()->set_source(r.pcap_file());
    const uint64_t end = std::min(total, offset + page);
    for (uint64_t i = offset; i < end; ++i) {
      v1::DnsPacket* p = out.add_packets();
      p->set_packet_number(i + 1);
      p->set_opcode_name(std::string(entry, 'x'));
    }
    if (end - offset < total) {
      v1::ListingPage* listing = out.mutable_capture()->add_partial_listings();
      listing->set_listing("packets");
      listing->set_total(total);
      listing->set_offset(offset);
      listing->set_returned(end - offset);
      if (end < total && page > 0) listing->set_next_page_token(std::to_string(end));
    }
    *response = out.SerializeAsString();
    return grpc::Status::OK;
  }
  uint64_t total = 57;
  size_t entry = 200;
  std::vector<int> asked;  // max_results of each call (-1: unset)
};

Json CallDns(McpServer& server, Json args) {
  args["pcap_file"] = "/x.pcap";
  Json msg{{"jsonrpc", "2.0"},
           {"id", 1},
           {"method", "tools/call"},
           {"params", {{"name", "analyze_dns_packets"}, {"arguments", args}}}};
  return (*server.Handle(jsonrpc::Classify(msg)))["result"];
}

TEST_F(McpServerTest, DefaultAnswersFitTheBudgetAndPageToTheEnd) {
  PagingBackend paging;
  ServerOptions options;
  options.max_result_chars = 1500;
  McpServer server(*contract_, paging, options);
  std::vector<uint64_t> seen;
  Json args = Json::object();
  for (int calls = 0; calls < 100; ++calls) {
    paging.asked.clear();
    Json r = CallDns(server, args);
    ASSERT_EQ(r["isError"], false) << r;
    const std::string text = r["content"][0]["text"];
    EXPECT_LE(text.size(), 1500u);
    EXPECT_EQ(Json::parse(text), r["structuredContent"]);
    // Asked with the default first, then (unless the rest fits) with fewer entries, each time
    // fewer; the answer says so.
    ASSERT_GE(paging.asked.size(), 1u);
    EXPECT_EQ(paging.asked[0], -1);
    const Json& page = r["structuredContent"]["capture"]["partial_listings"][0];
    const Json& warnings = r["structuredContent"]["capture"]["warnings"];
    if (paging.asked.size() == 1) {
      EXPECT_TRUE(warnings.empty()) << warnings;
    } else {
      for (size_t i = 1; i < paging.asked.size(); ++i) {
        EXPECT_LT(paging.asked[i], i == 1 ? 10 : paging.asked[i - 1]);
        EXPECT_GE(paging.asked[i], args.contains("cursor") ? 1 : 0);
      }
      ASSERT_EQ(warnings.size(), 1u);
      EXPECT_NE(warnings[0].get<std::string>().find(
                    absl::StrCat("max_results ", paging.asked.back(), " instead of 10")),
                std::string::npos)
          << warnings[0];
      EXPECT_NE(warnings[0].get<std::string>().find("next_cursor"), std::string::npos);
    }
    for (const Json& p : r["structuredContent"]["packets"]) seen.push_back(p["packet_number"]);
    if (!page.contains("next_cursor") || page["next_cursor"] == "") break;
    args = Json{{"cursor", page["next_cursor"]}};
  }
  ASSERT_EQ(seen.size(), paging.total);
  for (uint64_t i = 0; i < paging.total; ++i) EXPECT_EQ(seen[i], i + 1);
}

TEST_F(McpServerTest, ExplicitMaxResultsAndSmallAnswersAreLeftAlone) {
  PagingBackend paging;
  ServerOptions options;
  options.max_result_chars = 1500;
  McpServer server(*contract_, paging, options);
  Json r = CallDns(server, {{"max_results", 10}});
  EXPECT_EQ(paging.asked, std::vector<int>{10});
  EXPECT_GT(r["content"][0]["text"].get<std::string>().size(), 1500u);
  EXPECT_EQ(r["structuredContent"]["packets"].size(), 10u);
  EXPECT_TRUE(r["structuredContent"]["capture"]["warnings"].empty());

  paging.asked.clear();
  paging.total = 3;
  paging.entry = 10;
  r = CallDns(server, Json::object());
  EXPECT_EQ(paging.asked, std::vector<int>{-1});
  EXPECT_EQ(r["structuredContent"]["packets"].size(), 3u);
  paging.total = 57;

  // No budget: never asked again.
  paging.asked.clear();
  paging.entry = 1000;
  options.max_result_chars = 0;
  McpServer unbounded(*contract_, paging, options);
  CallDns(unbounded, Json::object());
  EXPECT_EQ(paging.asked, std::vector<int>{-1});
}

TEST_F(McpServerTest, APageKeepsOneEntryWhateverItsSize) {
  PagingBackend paging;
  paging.entry = 5000;
  ServerOptions options;
  options.max_result_chars = 1500;
  McpServer server(*contract_, paging, options);
  Json r = CallDns(server, {{"cursor", "3"}});
  ASSERT_EQ(r["isError"], false) << r;
  EXPECT_EQ(paging.asked.back(), 1);
  ASSERT_EQ(r["structuredContent"]["packets"].size(), 1u);
  EXPECT_EQ(r["structuredContent"]["packets"][0]["packet_number"], 4);
  EXPECT_EQ(r["structuredContent"]["capture"]["partial_listings"][0]["next_cursor"], "4");
  // A first answer goes down to statistics only.
  paging.asked.clear();
  r = CallDns(server, Json::object());
  EXPECT_EQ(paging.asked.back(), 0);
  EXPECT_TRUE(r["structuredContent"]["packets"].empty());
}

TEST_F(McpServerTest, ServerStatusIsAResource) {
  McpServer server(*contract_, backend_, {});
  server.RegisterResource(ServerStatusResource(backend_));
  Json list = Ask(server, "resources/list")["result"]["resources"];
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["uri"], "mcpcap://server/status");
  EXPECT_EQ(list[0]["mimeType"], "application/json");
  // Before the backend answers: an error, not an empty status.
  Json r = Ask(server, "resources/read", {{"uri", "mcpcap://server/status"}});
  EXPECT_EQ(r["error"]["code"], jsonrpc::kInternalError);
  EXPECT_EQ(r["error"]["message"], "server status: UNIMPLEMENTED: not yet");

  v1::GetServerStatusResponse status;
  status.mutable_result_cache()->set_entries(3);
  status.mutable_result_cache()->set_hits(7);
  status.set_captures_held(2);
  backend_.replies["/mcpcap.v1.ServerStatusService/GetServerStatus"] = {grpc::Status::OK,
                                                                        status.SerializeAsString()};
  Json contents =
      Ask(server, "resources/read", {{"uri", "mcpcap://server/status"}})["result"]["contents"];
  ASSERT_EQ(contents.size(), 1u);
  EXPECT_EQ(contents[0]["uri"], "mcpcap://server/status");
  const Json j = Json::parse(contents[0]["text"].get<std::string>());
  EXPECT_EQ(j["result_cache"]["entries"], 3);
  EXPECT_EQ(j["result_cache"]["hits"], 7);
  EXPECT_EQ(j["captures_held"], 2);
}

}  // namespace
}  // namespace mcpcap::gateway
