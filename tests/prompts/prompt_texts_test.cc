// The prompt catalogue and its Markdown texts line up: every prompt has its text, every text
// belongs to a prompt, and each text takes the capture through {{file}}. Every prompt teaches
// the workflow of large captures: overview first (analyze_capinfos, detect_protocols), then the
// focused tools, then pages (cursor/next_cursor) or narrower filters, never large pages. The
// markup itself (calls, fields) is read against the tools through the gateway by
// prompt_fields.test.mjs and prompt_calls.test.mjs.
#include "backend/prompts/prompt_texts.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <string>

#include "backend/prompts/prompt_catalog.h"
#include "gtest/gtest.h"

namespace mcpcap {
namespace {

TEST(PromptTexts, EveryPromptHasItsTextAndEveryTextAPrompt) {
  std::set<std::string> prompts;
  for (const PromptSpec& spec : PromptCatalog()) {
    prompts.insert(spec.name);
    EXPECT_EQ(spec.body, std::string(PromptText(spec.name))) << spec.name;
    EXPECT_FALSE(spec.body.empty()) << spec.name << " has no texts/" << spec.name << ".md";
    EXPECT_NE(spec.body.find("{{file}}"), std::string::npos) << spec.name;
  }
  std::set<std::string> texts;
  for (absl::string_view name : PromptTextNames()) texts.emplace(name);
  EXPECT_EQ(texts, prompts);
  EXPECT_EQ(prompts.size(), 18u);  // triage and the 17 of the original mcpcap
}

// The general prompt comes first and is of no module, so that it is offered whatever modules
// the server keeps; every other prompt belongs to the module of its tools.
TEST(PromptTexts, TriageIsFirstAndOfNoModule) {
  ASSERT_FALSE(PromptCatalog().empty());
  EXPECT_EQ(PromptCatalog().front().name, "triage");
  for (const PromptSpec& spec : PromptCatalog()) {
    EXPECT_EQ(spec.module.empty(), spec.name == "triage") << spec.name;
  }
}

TEST(PromptTexts, TextsEndWithoutTheFilesNewline) {
  for (absl::string_view name : PromptTextNames()) {
    ASSERT_FALSE(PromptText(name).empty()) << name;
    EXPECT_NE(PromptText(name).back(), '\n') << name;
  }
  EXPECT_TRUE(PromptText("no_such_prompt").empty());
}

// No text offers upload:// handles: no MCP tool can make one.
TEST(PromptTexts, NoUploadHandles) {
  for (const PromptSpec& spec : PromptCatalog()) {
    EXPECT_EQ(spec.body.find("upload://"), std::string::npos) << spec.name;
    for (const PromptArgumentSpec& a : spec.arguments) {
      EXPECT_EQ(a.description.find("upload://"), std::string::npos) << spec.name << "." << a.name;
    }
  }
}

// Every argument set: pcap_file a path, a choice its first value other than all/auto, free text
// a sample, so that every focus block is rendered.
PromptArgs EveryArgument(const PromptSpec& spec) {
  PromptArgs args;
  for (const PromptArgumentSpec& a : spec.arguments) {
    std::string value = a.name == "pcap_file" ? "/captures/big.pcapng" : "10.0.0.5";
    for (const std::string& v : a.allowed_values) {
      if (v != "all" && v != "auto") {
        value = v;
        break;
      }
    }
    args[a.name] = value;
  }
  return args;
}

// Each text's own steps start with the overview and say how to go into detail.
TEST(PromptTexts, EveryTextStartsWithTheOverviewAndPagesOrFilters) {
  for (const PromptSpec& spec : PromptCatalog()) {
    const std::string& body = spec.body;
    const size_t capinfos = body.find("analyze_capinfos(");
    const size_t detect = body.find("detect_protocols(");
    ASSERT_NE(capinfos, std::string::npos) << spec.name;
    ASSERT_NE(detect, std::string::npos) << spec.name;
    // No focused tool is called before the overview.
    size_t first_call = std::string::npos;
    for (const char* tool :
         {"analyze_dns_packets(", "analyze_dhcp_packets(", "analyze_icmp_packets(",
          "analyze_sip_packets(", "analyze_tcp_connections(", "analyze_tcp_anomalies(",
          "analyze_tcp_retransmissions(", "analyze_traffic_flow(", "analyze_payload(",
          "extract_database_queries("}) {
      first_call = std::min(first_call, body.find(tool));
    }
    EXPECT_LT(capinfos, first_call) << spec.name;
    EXPECT_LT(detect, first_call) << spec.name;
    EXPECT_NE(body.find("`cursor`"), std::string::npos) << spec.name << " never says how to page";
    EXPECT_NE(body.find("bpf_filter"), std::string::npos) << spec.name << " never narrows";
  }
}

// Rendered with and without arguments, no prompt asks for a page larger than the default or
// names the gRPC paging fields, and each explains the paging an MCP caller sees.
TEST(PromptTexts, RenderedPromptsPageWithCursorsNotLargePages) {
  for (const PromptSpec& spec : PromptCatalog()) {
    for (const PromptArgs& args : {PromptArgs{}, EveryArgument(spec)}) {
      auto text = RenderPrompt(spec.name, args);
      ASSERT_TRUE(text.ok()) << spec.name << ": " << text.status();
      for (const char* needed : {"analyze_capinfos", "detect_protocols", "`cursor`", "next_cursor",
                                 "capture.partial_listings", "bpf_filter", "max_results"}) {
        EXPECT_NE(text->find(needed), std::string::npos) << spec.name << " lacks " << needed;
      }
      EXPECT_EQ(text->find("page_token"), std::string::npos) << spec.name;
      EXPECT_EQ(text->find("{{"), std::string::npos) << spec.name;
      // Every max_results=N asks for at most the default page of 10.
      for (size_t at = text->find("max_results="); at != std::string::npos;
           at = text->find("max_results=", at + 1)) {
        size_t end = at + std::string("max_results=").size();
        std::string digits;
        while (end < text->size() && std::isdigit(static_cast<unsigned char>((*text)[end]))) {
          digits += (*text)[end++];
        }
        ASSERT_FALSE(digits.empty()) << spec.name << ": " << text->substr(at, 40);
        EXPECT_LE(std::stoul(digits), 10u) << spec.name << ": " << text->substr(at, 40);
      }
      // Prompts cost context too.
      EXPECT_LT(text->size(), 9000u) << spec.name;
    }
  }
}

}  // namespace
}  // namespace mcpcap
