#include <chrono>
#include <thread>

#include "tests/conformance/fixtures.h"

namespace mcpcap::gateway::fixtures {
namespace {

// 1x1 red PNG and a header-only 8 kHz mono WAV: the smallest valid media.
constexpr char kPng[] =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg"
    "==";
constexpr char kWav[] = "UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAEAfAAABAAgAZGF0YQAAAAA=";

Json Text(const std::string& text) { return Json{{"type", "text"}, {"text", text}}; }
Json Result(Json content) { return Json{{"content", std::move(content)}}; }
void Sleep(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

ToolDef Simple(const std::string& name, const std::string& description,
               std::function<Json()> result) {
  return ToolDef{name, description, Json{{"type", "object"}, {"properties", Json::object()}},
                 [result](const Json&, RequestContext&) { return result(); }};
}

}  // namespace

void RegisterTools(McpServer& server) {
  server.RegisterTool(Simple("test_simple_text", "Returns simple text", [] {
    return Result({Text("This is a simple text response for testing.")});
  }));
  server.RegisterTool(Simple("test_image_content", "Returns an image", [] {
    return Result({Json{{"type", "image"}, {"data", kPng}, {"mimeType", "image/png"}}});
  }));
  server.RegisterTool(Simple("test_audio_content", "Returns audio", [] {
    return Result({Json{{"type", "audio"}, {"data", kWav}, {"mimeType", "audio/wav"}}});
  }));
  server.RegisterTool(Simple("test_embedded_resource", "Returns an embedded resource", [] {
    return Result({Json{{"type", "resource"},
                        {"resource",
                         {{"uri", "test://embedded-resource"},
                          {"mimeType", "text/plain"},
                          {"text", "This is an embedded resource content."}}}}});
  }));
  server.RegisterTool(Simple("test_multiple_content_types", "Returns mixed content", [] {
    return Result({Text("Multiple content types test:"),
                   Json{{"type", "image"}, {"data", kPng}, {"mimeType", "image/png"}},
                   Json{{"type", "resource"},
                        {"resource",
                         {{"uri", "test://mixed-content-resource"},
                          {"mimeType", "application/json"},
                          {"text", R"({"test":"data","value":123})"}}}}});
  }));
  server.RegisterTool(Simple("test_error_handling", "Always fails", [] {
    return Json{{"isError", true},
                {"content", {Text("This tool intentionally returns an error for testing")}}};
  }));
  server.RegisterTool(ToolDef{"test_tool_with_logging", "Logs while it runs",
                              Json{{"type", "object"}, {"properties", Json::object()}},
                              [](const Json&, RequestContext& ctx) {
                                ctx.Log(LogLevel::kInfo, "Tool execution started");
                                Sleep(50);
                                ctx.Log(LogLevel::kInfo, "Tool processing data");
                                Sleep(50);
                                ctx.Log(LogLevel::kInfo, "Tool execution completed");
                                return Result({Text("Logging tool finished")});
                              }});
  server.RegisterTool(ToolDef{"test_tool_with_progress", "Reports progress",
                              Json{{"type", "object"}, {"properties", Json::object()}},
                              [](const Json&, RequestContext& ctx) {
                                ctx.Progress(0, 100);
                                Sleep(50);
                                ctx.Progress(50, 100);
                                Sleep(50);
                                ctx.Progress(100, 100);
                                return Result({Text("Progress tool finished")});
                              }});
  // The engine sends no requests to clients (no sampling, no elicitation): these fail
  // cleanly, and the CTest baseline lists their scenarios as expected failures.
  const Json prompt_schema{{"type", "object"},
                           {"properties", {{"prompt", {{"type", "string"}}}}},
                           {"required", {"prompt"}}};
  server.RegisterTool(
      ToolDef{"test_sampling", "Would ask the client's LLM", prompt_schema,
              [](const Json&, RequestContext&) {
                return Json{{"isError", true}, {"content", {Text("sampling is not supported")}}};
              }});
  const Json message_schema{{"type", "object"},
                            {"properties", {{"message", {{"type", "string"}}}}},
                            {"required", {"message"}}};
  server.RegisterTool(ToolDef{
      "test_elicitation", "Would ask the user", message_schema, [](const Json&, RequestContext&) {
        return Json{{"isError", true}, {"content", {Text("elicitation is not supported")}}};
      }});
  // SEP-1613: 2020-12 keywords pass through the listing untouched.
  server.RegisterTool(
      ToolDef{"json_schema_2020_12_tool", "Tool with JSON Schema 2020-12 features",
              Json{{"$schema", "https://json-schema.org/draft/2020-12/schema"},
                   {"type", "object"},
                   {"$defs",
                    {{"address",
                      {{"type", "object"},
                       {"properties",
                        {{"street", {{"type", "string"}}}, {"city", {{"type", "string"}}}}}}}}},
                   {"properties",
                    {{"name", {{"type", "string"}}}, {"address", {{"$ref", "#/$defs/address"}}}}},
                   {"additionalProperties", false}},
              [](const Json& args, RequestContext&) {
                return Result({Text("Received: " + DumpJson(args))});
              }});
}

}  // namespace mcpcap::gateway::fixtures
