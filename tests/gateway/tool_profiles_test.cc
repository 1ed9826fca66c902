// --modules, --tools and --profile: which tools a gateway offers.
#include "gateway/mcp/tool_profiles.h"

#include <gtest/gtest.h>

#include <memory>

namespace mcpcap::gateway {
namespace {

class ToolProfilesTest : public ::testing::Test {
 protected:
  void SetUp() override { contract_ = *Contract::LoadEmbedded(); }
  absl::StatusOr<std::set<std::string>> Select(std::set<std::string> modules,
                                               const std::string& tools,
                                               const std::string& profile) {
    return SelectTools(*contract_, modules, tools, profile);
  }
  std::unique_ptr<Contract> contract_;
};

TEST_F(ToolProfilesTest, EveryProfileNamesToolsOfTheContract) {
  ASSERT_EQ(ToolProfiles().front().name, "all");
  EXPECT_TRUE(ToolProfiles().front().tools.empty());
  for (const ToolProfile& p : ToolProfiles()) {
    EXPECT_FALSE(p.summary.empty()) << p.name;
    for (const std::string& t : p.tools) {
      EXPECT_NE(contract_->FindTool(t), nullptr) << p.name << ": " << t;
    }
    // A profile starts where every analysis should: the file summary.
    if (!p.tools.empty()) {
      EXPECT_EQ(p.tools.front(), "analyze_capinfos") << p.name;
    }
  }
}

TEST_F(ToolProfilesTest, NothingByNameIsAllTools) {
  EXPECT_EQ(*Select({}, "", ""), std::set<std::string>{});
  EXPECT_EQ(*Select({}, "", "all"), std::set<std::string>{});
  EXPECT_EQ(*Select({"dns"}, "", "all"), std::set<std::string>{});
}

TEST_F(ToolProfilesTest, ProfilesToolsAndModulesFilterTogether) {
  EXPECT_EQ(*Select({}, "", "overview"),
            (std::set<std::string>{"analyze_capinfos", "detect_protocols", "get_protocol_hierarchy",
                                   "list_conversations", "analyze_tcp_connections",
                                   "analyze_dns_packets"}));
  EXPECT_EQ(*Select({}, " analyze_capinfos , analyze_sip_packets", ""),
            (std::set<std::string>{"analyze_capinfos", "analyze_sip_packets"}));
  // --tools within --profile: both must allow a tool.
  EXPECT_EQ(*Select({}, "analyze_capinfos,analyze_sip_packets", "overview"),
            (std::set<std::string>{"analyze_capinfos"}));
  // --modules is applied by the server; here it only must leave a tool.
  EXPECT_TRUE(Select({"dns"}, "", "overview").ok());
  absl::Status none = Select({"sip"}, "", "overview").status();
  EXPECT_EQ(none.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(none.message().find("leave no tool"), std::string::npos) << none;
}

TEST_F(ToolProfilesTest, UnknownNamesListTheValidOnes) {
  absl::Status s = Select({}, "", "tiny").status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("unknown profile 'tiny' in --profile; valid profiles: all, overview, "
                             "troubleshooting, security"),
            std::string::npos)
      << s;
  s = Select({}, "analyze_capinfos,nope", "").status();
  EXPECT_NE(s.message().find("unknown tool 'nope' in --tools; valid tools: analyze_capinfos, "),
            std::string::npos)
      << s;
  EXPECT_NE(s.message().find("detect_protocols"), std::string::npos) << s;
}

}  // namespace
}  // namespace mcpcap::gateway
