// The prompt catalogue and its Markdown texts line up: every prompt has its text, every text
// belongs to a prompt, and each text takes the capture through {{file}}.
#include "backend/prompts/prompt_texts.h"

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
  EXPECT_EQ(prompts.size(), 17u);
}

TEST(PromptTexts, TextsEndWithoutTheFilesNewline) {
  for (absl::string_view name : PromptTextNames()) {
    ASSERT_FALSE(PromptText(name).empty()) << name;
    EXPECT_NE(PromptText(name).back(), '\n') << name;
  }
  EXPECT_TRUE(PromptText("no_such_prompt").empty());
}

}  // namespace
}  // namespace mcpcap
