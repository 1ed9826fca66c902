// The prompt catalogue over the real gRPC stack: all 18 prompts with descriptions and
// arguments, module filters, arguments woven into the text, and errors.
#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <filesystem>
#include <set>

#include "backend/prompts/prompt_catalog.h"
#include "backend/service/backend_server.h"
#include "gateway/backend/error_details.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "mcpcap/v1/prompts.grpc.pb.h"
#include "tests/service/backend_on_socket.h"

namespace mcpcap {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class PromptServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    BackendConfig config;
    auto started = testing::StartBackendOnSocket("prompts", config);
    ASSERT_TRUE(started.ok()) << started.status();
    backend_ = std::move(started->backend);
    channel_ = started->channel;
    stub_ = v1::PromptService::NewStub(channel_);
  }

  v1::ListPromptsResponse List(std::vector<std::string> modules = {}) {
    grpc::ClientContext ctx;
    v1::ListPromptsRequest req;
    for (const auto& m : modules) req.add_modules(m);
    v1::ListPromptsResponse out;
    EXPECT_TRUE(stub_->ListPrompts(&ctx, req, &out).ok());
    return out;
  }

  grpc::Status Get(const std::string& name, std::map<std::string, std::string> args,
                   v1::GetPromptResponse* out) {
    grpc::ClientContext ctx;
    v1::GetPromptRequest req;
    req.set_name(name);
    for (const auto& [k, v] : args) (*req.mutable_arguments())[k] = v;
    return stub_->GetPrompt(&ctx, req, out);
  }

  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<BackendServer> backend_;
  std::unique_ptr<v1::PromptService::Stub> stub_;
};

TEST_F(PromptServiceTest, ListsAllEighteenWithDescriptions) {
  const std::set<std::string> expected = {"triage",
                                          "security_analysis",
                                          "network_troubleshooting",
                                          "forensic_investigation",
                                          "dhcp_network_analysis",
                                          "dhcp_security_analysis",
                                          "dhcp_forensic_investigation",
                                          "icmp_network_diagnostics",
                                          "icmp_security_analysis",
                                          "icmp_forensic_investigation",
                                          "sip_security_analysis",
                                          "sip_troubleshooting_analysis",
                                          "sip_forensic_investigation",
                                          "tcp_connection_troubleshooting",
                                          "tcp_security_analysis",
                                          "payload_database_analysis",
                                          "payload_security_analysis",
                                          "payload_encryption_analysis"};
  const v1::ListPromptsResponse all = List();
  std::set<std::string> names;
  for (const v1::Prompt& p : all.prompts()) {
    names.insert(p.name());
    EXPECT_FALSE(p.title().empty()) << p.name();
    EXPECT_GT(p.description().size(), 40u) << p.name();
    // triage is of no module (offered whatever the modules).
    EXPECT_THAT((std::set<std::string>{"", "dns", "dhcp", "icmp", "sip", "tcp", "payload"}),
                ::testing::Contains(p.module()))
        << p.name();
    ASSERT_GE(p.arguments_size(), 1) << p.name();
    EXPECT_EQ(p.arguments(0).name(), "pcap_file");
    for (const v1::PromptArgument& a : p.arguments()) {
      EXPECT_FALSE(a.required()) << p.name() << "." << a.name();
      EXPECT_GT(a.description().size(), 10u) << p.name() << "." << a.name();
    }
  }
  EXPECT_EQ(names, expected);
  EXPECT_EQ(all.prompts_size(), 18);
}

TEST_F(PromptServiceTest, ModulesFilterTheList) {
  // Each module's prompts, and triage (of no module) with any of them.
  EXPECT_EQ(List({"dns"}).prompts_size(), 4);
  EXPECT_EQ(List({"tcp"}).prompts_size(), 3);
  EXPECT_EQ(List({"sip", "payload"}).prompts_size(), 7);
  EXPECT_EQ(List({"capinfos"}).prompts_size(), 1);
  const v1::ListPromptsResponse icmp = List({"icmp"});
  for (const v1::Prompt& p : icmp.prompts()) {
    EXPECT_TRUE(p.module() == "icmp" || (p.name() == "triage" && p.module().empty())) << p.name();
  }
}

TEST_F(PromptServiceTest, EveryPromptNamesRealToolsAndReportingRules) {
  const v1::ListPromptsResponse all = List();
  for (const v1::Prompt& p : all.prompts()) {
    v1::GetPromptResponse out;
    ASSERT_TRUE(Get(p.name(), {}, &out).ok()) << p.name();
    ASSERT_EQ(out.messages_size(), 1);
    EXPECT_EQ(out.messages(0).role(), "user");
    const std::string& text = out.messages(0).text();
    EXPECT_EQ(out.description(), p.description());
    EXPECT_GT(text.size(), 1500u) << p.name();
    EXPECT_THAT(text, HasSubstr("ask for it")) << p.name();  // no pcap_file given
    EXPECT_THAT(text, HasSubstr("frame numbers")) << p.name();
    EXPECT_THAT(text, Not(HasSubstr("{{"))) << p.name();
    const bool names_a_tool = text.find("analyze_") != std::string::npos ||
                              text.find("detect_protocols") != std::string::npos;
    EXPECT_TRUE(names_a_tool) << p.name();
  }
}

TEST_F(PromptServiceTest, ArgumentsAreWovenIn) {
  v1::GetPromptResponse out;
  ASSERT_TRUE(Get("tcp_connection_troubleshooting",
                  {{"pcap_file", "/captures/incident.pcapng"},
                   {"server_ip", "10.0.0.5"},
                   {"server_port", "443"}},
                  &out)
                  .ok());
  const std::string& text = out.messages(0).text();
  EXPECT_THAT(text, HasSubstr("`/captures/incident.pcapng`"));
  EXPECT_THAT(text, HasSubstr("pcap_file=\"/captures/incident.pcapng\""));
  EXPECT_THAT(text, HasSubstr("server_ip=\"10.0.0.5\", server_port=443"));
  EXPECT_THAT(text, Not(HasSubstr("ask for it")));

  ASSERT_TRUE(Get("security_analysis", {{"domain", "evil.example"}}, &out).ok());
  EXPECT_THAT(out.messages(0).text(), HasSubstr("`evil.example`"));
  ASSERT_TRUE(Get("sip_troubleshooting_analysis", {{"call_id", "abc@host"}}, &out).ok());
  EXPECT_THAT(out.messages(0).text(), HasSubstr("`abc@host`"));
  ASSERT_TRUE(
      Get("payload_database_analysis", {{"protocol", "redis"}, {"port", "6380"}}, &out).ok());
  EXPECT_THAT(out.messages(0).text(), HasSubstr("protocol=\"redis\""));
  EXPECT_THAT(out.messages(0).text(), HasSubstr("port=6380"));
  // An empty value counts as absent.
  ASSERT_TRUE(Get("icmp_network_diagnostics", {{"pcap_file", ""}}, &out).ok());
  EXPECT_THAT(out.messages(0).text(), HasSubstr("ask for it"));
}

TEST_F(PromptServiceTest, UnknownPromptsAndArgumentsAreErrors) {
  v1::GetPromptResponse out;
  grpc::Status unknown = Get("no_such_prompt", {}, &out);
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(gateway::ReadBackendError(unknown).reason, "PROMPT_NOT_FOUND");
  EXPECT_EQ(gateway::ReadBackendError(unknown).metadata.at("prompt"), "no_such_prompt");

  // Each argument at fault is named by its path in GetPromptRequest.
  auto field_of = [](const grpc::Status& status) {
    const gateway::BackendError e = gateway::ReadBackendError(status);
    EXPECT_EQ(e.reason, "INVALID_ARGUMENT");
    return e.field_violations.size() == 1 ? e.field_violations[0].first : "";
  };
  grpc::Status bad_arg = Get("security_analysis", {{"colour", "blue"}}, &out);
  EXPECT_EQ(bad_arg.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(field_of(bad_arg), "arguments.colour");
  EXPECT_THAT(bad_arg.error_message(), HasSubstr("pcap_file, domain"));

  grpc::Status bad_value = Get("tcp_security_analysis", {{"focus", "everything"}}, &out);
  EXPECT_EQ(bad_value.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(field_of(bad_value), "arguments.focus");
  EXPECT_THAT(bad_value.error_message(), HasSubstr("scanning"));

  grpc::Status too_long = Get("security_analysis", {{"domain", std::string(2000, 'a')}}, &out);
  EXPECT_EQ(too_long.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(field_of(too_long), "arguments.domain");
}

TEST_F(PromptServiceTest, ChoiceArgumentsListTheirValues) {
  const v1::ListPromptsResponse tcp = List({"tcp"});
  for (const v1::Prompt& p : tcp.prompts()) {
    for (const v1::PromptArgument& a : p.arguments()) {
      if (a.name() != "focus") continue;
      EXPECT_THAT(a.allowed_values(), ::testing::Contains("syn_flood"));
      EXPECT_THAT(a.description(), HasSubstr("syn_flood"));
    }
  }
}

}  // namespace
}  // namespace mcpcap
