// The tool table derived from the contract's descriptors.
#include "gateway/schema/contract.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "gateway/schema/json_schema.h"

namespace mcpcap::gateway {
namespace {

class ContractTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loaded = Contract::LoadEmbedded();
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    contract_ = std::move(*loaded);
  }
  std::unique_ptr<Contract> contract_;
};

TEST_F(ContractTest, TheProgressStreamIsNotATool) {
  // CaptureAnalysisService.Analyze has no (tool) option: it carries the others' requests.
  const auto* service = contract_->pool().FindServiceByName(Contract::kAnalysisService);
  ASSERT_NE(service, nullptr);
  const auto* analyze = service->FindMethodByName("Analyze");
  ASSERT_NE(analyze, nullptr);
  EXPECT_TRUE(analyze->server_streaming());
  for (const ToolSpec& t : contract_->tools()) {
    EXPECT_NE(t.method_path, "/mcpcap.v1.CaptureAnalysisService/Analyze") << t.name;
  }
}

TEST_F(ContractTest, TwentyToolsWithNamesModulesAndDescriptions) {
  ASSERT_EQ(contract_->tools().size(), 20u);
  EXPECT_EQ(contract_->tools()[0].name, "analyze_capinfos");
  EXPECT_EQ(contract_->tools()[0].module, "capinfos");
  EXPECT_EQ(contract_->tools()[0].title, "Capture file summary");
  EXPECT_EQ(contract_->tools()[0].method_path, "/mcpcap.v1.CaptureAnalysisService/AnalyzeCapinfos");
  for (const ToolSpec& t : contract_->tools()) {
    EXPECT_FALSE(t.description.empty()) << t.name;
    EXPECT_EQ(t.description.find('\n'), std::string::npos) << t.name;
    EXPECT_FALSE(t.module.empty()) << t.name;
  }
  EXPECT_EQ(contract_->Modules(), (std::vector<std::string>{"capinfos", "dhcp", "dns", "icmp",
                                                            "packets", "payload", "sip", "tcp"}));
  EXPECT_NE(contract_->FindTool("detect_protocols"), nullptr);
  EXPECT_EQ(contract_->FindTool("nope"), nullptr);
}

TEST_F(ContractTest, TcpConnectionsInputSchema) {
  const ToolSpec* tool = contract_->FindTool("analyze_tcp_connections");
  ASSERT_NE(tool, nullptr);
  const Json& s = tool->input_schema;
  EXPECT_EQ(s["type"], "object");
  EXPECT_EQ(s["additionalProperties"], false);
  const Json& p = s["properties"];
  for (const char* name : {"pcap_file", "server_ip", "server_port", "detailed", "max_packets",
                           "bpf_filter", "max_results", "cursor"}) {
    ASSERT_TRUE(p.contains(name)) << name;
  }
  EXPECT_FALSE(p.contains("options"));     // flattened
  EXPECT_FALSE(p.contains("page_token"));  // (mcp_name) = "cursor"
  // gRPC callers only (mcp_hidden): MCP clients cannot create captures nor need a view.
  EXPECT_FALSE(p.contains("capture"));
  EXPECT_FALSE(p.contains("view"));
  EXPECT_EQ(p["pcap_file"]["type"], "string");
  EXPECT_EQ(p["server_ip"]["type"], "string");
  EXPECT_EQ(p["server_port"]["type"], "integer");
  EXPECT_EQ(p["detailed"]["type"], "boolean");
  EXPECT_EQ(p["detailed"]["default"], false);
  EXPECT_EQ(p["max_packets"]["default"], 0);
  EXPECT_EQ(p["max_results"]["default"], 10);
  EXPECT_EQ(p["bpf_filter"]["default"], "");
  EXPECT_EQ(s["required"], Json::array({"pcap_file"}));
}

TEST_F(ContractTest, EveryArgumentIsDescribedAndTyped) {
  for (const ToolSpec& t : contract_->tools()) {
    for (auto it = t.input_schema["properties"].begin(); it != t.input_schema["properties"].end();
         ++it) {
      ASSERT_TRUE(it.value().contains("description")) << t.name << "." << it.key();
      EXPECT_FALSE(it.value()["description"].get<std::string>().empty());
      EXPECT_TRUE(it.value().contains("type")) << t.name << "." << it.key();
    }
    EXPECT_EQ(t.input_schema["required"][0], "pcap_file") << t.name;
  }
  const Json& flow = contract_->FindTool("analyze_traffic_flow")->input_schema;
  EXPECT_EQ(flow["required"], Json::array({"pcap_file", "server_ip"}));
  const Json& retrans = contract_->FindTool("analyze_tcp_retransmissions")->input_schema;
  EXPECT_DOUBLE_EQ(retrans["properties"]["threshold"]["default"].get<double>(), 0.02);
  EXPECT_EQ(retrans["properties"]["threshold"]["type"], "number");
  EXPECT_EQ(
      contract_->FindTool("analyze_payload")->input_schema["properties"]["protocol"]["default"],
      "auto");
  // A closed set offered as an argument lists its lowercase values, zero value left out.
  const Json& hashes =
      contract_->FindTool("analyze_capinfos")->input_schema["properties"]["hashes"];
  EXPECT_EQ(hashes["type"], "string");
  EXPECT_EQ(hashes["enum"], Json::array({"sha256", "all", "none"}));
}

TEST_F(ContractTest, OutputSchemaIsRecursiveWithMapsAndOptionals) {
  const Json& s = contract_->FindTool("analyze_capinfos")->full_output_schema;
  EXPECT_EQ(s["type"], "object");
  const Json& p = s["properties"];
  EXPECT_EQ(p["packet_count"]["type"], "integer");
  EXPECT_EQ(p["capture"]["type"], "object");
  EXPECT_EQ(p["capture"]["properties"]["anomalies"]["type"], "object");
  EXPECT_EQ(p["capture"]["properties"]["anomalies"]["additionalProperties"]["type"], "integer");
  EXPECT_EQ(p["interfaces"]["type"], "array");
  EXPECT_EQ(p["interfaces"]["items"]["properties"]["snaplen"]["type"], "integer");
  EXPECT_EQ(p["average_packet_rate"]["anyOf"][0]["type"], "number");
  EXPECT_EQ(p["average_packet_rate"]["anyOf"][1]["type"], "null");
  EXPECT_EQ(p["capture_duration_s"]["type"], "number");  // a Duration in its unit
  EXPECT_EQ(p["first_packet_time"]["type"], "string");
  EXPECT_EQ(p["first_packet_time"]["format"], "date-time");
  // The shape only: no prose, bounds or required lists anywhere (tools/list is paid on every
  // turn); the input schema keeps its descriptions and bounds.
  std::vector<std::string> extra;  // keywords found outside a `properties` map's names
  std::function<void(const Json&)> walk = [&](const Json& node) {
    if (!node.is_object()) return;
    for (const auto& [key, value] : node.items()) {
      if (key == "description" || key == "minimum" || key == "required" || key == "enum") {
        extra.push_back(key);
      }
      if (key == "properties") {
        for (const auto& [name, field] : value.items()) walk(field);
      } else {
        walk(value);
      }
    }
  };
  walk(s);
  EXPECT_TRUE(extra.empty()) << extra.front();
  const Json& input = contract_->FindTool("analyze_capinfos")->input_schema;
  EXPECT_TRUE(input["properties"]["pcap_file"].contains("description"));
  EXPECT_EQ(input["properties"]["max_packets"]["minimum"], 0);

  const Json& icmp = contract_->FindTool("analyze_icmp_packets")->full_output_schema;
  const Json& packet = icmp["properties"]["packets"]["items"];
  EXPECT_EQ(packet["properties"]["icmp_id"]["type"], "integer");
  EXPECT_EQ(packet["properties"]["icmp_type"]["type"], "integer");
}

// tools/list offers each output schema as deep as fits its budget: the top-level fields always,
// deeper objects reduced to their type, no $defs; the cut keeps every type it keeps.
TEST_F(ContractTest, OfferedOutputSchemasFitTheirBudgetAndKeepTheTopLevel) {
  size_t whole_bytes = 0;
  size_t offered_bytes = 0;
  for (const ToolSpec& t : contract_->tools()) {
    const Json& full = t.full_output_schema;
    const Json& offered = t.output_schema;
    whole_bytes += full.dump().size();
    offered_bytes += offered.dump().size();
    EXPECT_FALSE(offered.contains("$defs")) << t.name;
    EXPECT_EQ(offered.dump().find("$ref"), std::string::npos) << t.name;
    ASSERT_TRUE(offered.contains("properties")) << t.name;
    EXPECT_EQ(offered["properties"].size(), full["properties"].size()) << t.name;
    for (const auto& [name, field] : full["properties"].items()) {
      const Json& cut = offered["properties"][name];
      if (field.contains("type")) {
        EXPECT_EQ(cut["type"], field["type"]) << t.name << "." << name;
      }
    }
    const bool top_level_only =
        std::all_of(offered["properties"].begin(), offered["properties"].end(),
                    [](const Json& f) { return !f.contains("properties") && !f.contains("$ref"); });
    EXPECT_TRUE(offered.dump().size() <= kToolOutputSchemaBytes || top_level_only) << t.name;
  }
  EXPECT_LT(offered_bytes, whole_bytes);
  // A small schema is offered whole (inlined).
  const Json small = CompactOutputSchema(
      Json{
          {"type", "object"},
          {"properties", {{"a", {{"$ref", "#/$defs/X"}}}}},
          {"$defs", {{"X", {{"type", "object"}, {"properties", {{"n", {{"type", "integer"}}}}}}}}}},
      10000);
  EXPECT_EQ(small["properties"]["a"]["properties"]["n"]["type"], "integer");
  EXPECT_EQ(CompactOutputSchema(small, 10)["properties"]["a"], Json({{"type", "object"}}));
}

TEST(ContractLoad, RejectsGarbage) {
  EXPECT_FALSE(Contract::FromDescriptorSet("\xff\xff garbage").ok());
}

// (mcp_name): every place the model reads a field renamed for MCP uses its MCP name: result
// keys in output schemas, arguments, and the text of descriptions and backend messages.
TEST_F(ContractTest, RenamedFieldsAreSpelledTheMcpWayEverywhere) {
  for (const ToolSpec& t : contract_->tools()) {
    const std::string input = DumpJson(t.input_schema);
    const std::string output = DumpJson(t.full_output_schema);
    EXPECT_NE(input.find("\"cursor\""), std::string::npos) << t.name;
    EXPECT_EQ(input.find("page_token"), std::string::npos) << t.name;
    EXPECT_NE(output.find("\"next_cursor\""), std::string::npos) << t.name;
    EXPECT_EQ(output.find("next_page_token"), std::string::npos) << t.name;
    EXPECT_EQ(t.description.find("page_token"), std::string::npos) << t.name;
  }
  EXPECT_EQ(contract_->ToMcpText("options.page_token: pass a `next_page_token` unchanged"),
            "options.cursor: pass a `next_cursor` unchanged");
  // Whole words only.
  EXPECT_EQ(contract_->ToMcpText("my_page_token page_tokens page_token."),
            "my_page_token page_tokens cursor.");
}

}  // namespace
}  // namespace mcpcap::gateway
