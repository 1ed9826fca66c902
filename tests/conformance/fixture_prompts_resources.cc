#include "tests/conformance/fixtures.h"

namespace mcpcap::gateway::fixtures {
namespace {

constexpr char kPng[] =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg"
    "==";

Json UserText(const std::string& text) {
  return Json{{"role", "user"}, {"content", {{"type", "text"}, {"text", text}}}};
}

std::string Get(const std::map<std::string, std::string>& args, const std::string& key) {
  auto it = args.find(key);
  return it == args.end() ? "" : it->second;
}

}  // namespace

void RegisterPrompts(McpServer& server) {
  server.RegisterPrompt(
      PromptDef{"test_simple_prompt", "A simple prompt", {}, [](const auto&) {
                  return Json{{"messages", {UserText("This is a simple prompt for testing.")}}};
                }});
  server.RegisterPrompt(PromptDef{
      "test_prompt_with_arguments",
      "A prompt with arguments",
      {{"arg1", "First test argument", true, {}}, {"arg2", "Second test argument", true, {}}},
      [](const std::map<std::string, std::string>& args) {
        return Json{{"messages",
                     {UserText("Prompt with arguments: arg1='" + Get(args, "arg1") + "', arg2='" +
                               Get(args, "arg2") + "'")}}};
      }});
  server.RegisterPrompt(
      PromptDef{"test_prompt_with_embedded_resource",
                "A prompt with an embedded resource",
                {{"resourceUri", "URI of the resource to embed", true, {}}},
                [](const std::map<std::string, std::string>& args) {
                  return Json{{"messages",
                               {Json{{"role", "user"},
                                     {"content",
                                      {{"type", "resource"},
                                       {"resource",
                                        {{"uri", Get(args, "resourceUri")},
                                         {"mimeType", "text/plain"},
                                         {"text", "Embedded resource content for testing."}}}}}},
                                UserText("Please process the embedded resource above.")}}};
                }});
  server.RegisterPrompt(PromptDef{
      "test_prompt_with_image", "A prompt with an image", {}, [](const auto&) {
        return Json{
            {"messages",
             {Json{{"role", "user"},
                   {"content", {{"type", "image"}, {"data", kPng}, {"mimeType", "image/png"}}}},
              UserText("Please analyze the image above.")}}};
      }});
}

void RegisterResources(McpServer& server) {
  server.RegisterResource(ResourceDef{
      "test://static-text", "Static text", "A static text resource", "text/plain",
      [](const std::string& uri) {
        return Json::array({Json{{"uri", uri},
                                 {"mimeType", "text/plain"},
                                 {"text", "This is the content of the static text resource."}}});
      }});
  server.RegisterResource(ResourceDef{
      "test://static-binary", "Static binary", "A static binary resource", "image/png",
      [](const std::string& uri) {
        return Json::array({Json{{"uri", uri}, {"mimeType", "image/png"}, {"blob", kPng}}});
      }});
  server.RegisterResource(ResourceDef{
      "test://watched-resource", "Watched", "A resource to subscribe to", "text/plain",
      [](const std::string& uri) {
        return Json::array(
            {Json{{"uri", uri}, {"mimeType", "text/plain"}, {"text", "Watched resource content"}}});
      }});
  server.RegisterResourceTemplate(ResourceTemplateDef{
      "test://template/{id}/data", "Template data", "Data by id", "application/json",
      [](const std::string& uri, const std::map<std::string, std::string>& vars) {
        const std::string id = vars.at("id");
        return Json::array({Json{
            {"uri", uri},
            {"mimeType", "application/json"},
            {"text",
             DumpJson(Json{{"id", id}, {"templateTest", true}, {"data", "Data for ID: " + id}})}}});
      }});
}

}  // namespace mcpcap::gateway::fixtures
