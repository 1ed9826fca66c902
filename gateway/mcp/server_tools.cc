// tools/list and tools/call: the contract's analyses (over the backend) and registered tools.
#include <chrono>
#include <memory>

#include "absl/strings/str_cat.h"
#include "gateway/backend/error_details.h"
#include "gateway/convert/args_to_message.h"
#include "gateway/convert/message_to_json.h"
#include "gateway/log.h"
#include "gateway/mcp/analysis_progress.h"
#include "gateway/mcp/server.h"

namespace mcpcap::gateway {
namespace {

Json ToolError(const std::string& text) {
  return Json{{"content", Json::array({Json{{"type", "text"}, {"text", text}}})},
              {"isError", true}};
}

}  // namespace

Json McpServer::ListTools() const {
  Json tools = Json::array();
  if (options_.contract_tools) {
    for (const ToolSpec& t : contract_.tools()) {
      if (!ModuleEnabled(t.module)) continue;
      tools.push_back(Json{{"name", t.name},
                           {"title", t.title},
                           {"description", t.description},
                           {"inputSchema", t.input_schema},
                           {"outputSchema", t.output_schema},
                           {"annotations",
                            {{"title", t.title},
                             {"readOnlyHint", true},
                             {"destructiveHint", false},
                             {"idempotentHint", true},
                             {"openWorldHint", true}}}});
    }
  }
  for (const ToolDef& t : tools_) {
    tools.push_back(
        Json{{"name", t.name}, {"description", t.description}, {"inputSchema", t.input_schema}});
  }
  return Json{{"tools", tools}};
}

const ToolSpec* McpServer::FindTool(const std::string& name) const {
  if (!options_.contract_tools) return nullptr;
  const ToolSpec* tool = contract_.FindTool(name);
  return tool != nullptr && ModuleEnabled(tool->module) ? tool : nullptr;
}

McpServer::Reply McpServer::ToolsCall(const Json& params, RequestContext& ctx) {
  auto name = params.find("name");
  if (name == params.end() || !name->is_string()) {
    return Fail(jsonrpc::kInvalidParams, "tools/call needs a string \"name\"");
  }
  auto args = params.find("arguments");
  const Json arguments = args == params.end() || args->is_null() ? Json::object() : *args;
  for (const ToolDef& t : tools_) {
    if (t.name != *name) continue;
    try {
      return Ok(t.handler(arguments, ctx));
    } catch (const std::exception& e) {
      return Ok(ToolError(absl::StrCat(t.name, ": ", e.what())));
    }
  }
  const ToolSpec* tool = FindTool(name->get<std::string>());
  if (tool == nullptr) {
    return Fail(jsonrpc::kInvalidParams, "Unknown tool: " + name->get<std::string>());
  }
  return Ok(CallTool(*tool, arguments, ctx));
}

Json McpServer::CallTool(const ToolSpec& tool, const Json& arguments) {
  RequestContext ctx = RequestContext::Detached(default_session_);
  return CallTool(tool, arguments, ctx);
}

Json McpServer::CallTool(const ToolSpec& tool, const Json& arguments, RequestContext& ctx) {
  std::unique_ptr<google::protobuf::Message> request = contract_.NewMessage(tool.request);
  absl::Status converted = ArgsToMessage(arguments, request.get());
  if (!converted.ok()) {
    return ToolError(absl::StrCat(tool.name, ": INVALID_ARGUMENT: ", converted.message()));
  }
  CapMaxPackets(request.get(), options_.max_packets);

  // Progress, when the client asked for it: 0 at the start, the backend's reports (bytes of the
  // file) through the Analyze stream, the total at the end. Without a token: the unary RPC.
  AnalysisProgress progress(ctx);
  progress.Start();
  CallHooks hooks;
  hooks.cancel = &ctx.cancel_token();
  if (ctx.wants_progress()) {
    hooks.on_progress = [&progress](const v1::AnalyzeProgress& p) { progress.Report(p); };
  }
  ctx.Log(LogLevel::kDebug, absl::StrCat(tool.name, " started"), "mcpcap");
  const auto start = std::chrono::steady_clock::now();
  std::string reply_bytes;
  grpc::Status status =
      backend_.Call(tool.method_path, request->SerializeAsString(), &reply_bytes, hooks);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
  progress.Finish(status.ok() ? "" : ctx.IsCancelled() ? "cancelled" : ErrorLabel(status));
  if (ctx.IsCancelled()) {
    Log(absl::StrCat(tool.name, " stopped after ", ms, " ms: ", DescribeBackendError(status)));
  }
  if (!status.ok()) {
    // The model reads the reason and the arguments at fault by the names it gave them.
    std::string text = absl::StrCat(tool.name, ": ",
                                    DescribeBackendError(status, [&tool](const std::string& field) {
                                      return ArgumentNameOf(tool.request, field);
                                    }));
    ctx.Log(LogLevel::kError, text, "mcpcap");
    return ToolError(text);
  }
  std::unique_ptr<google::protobuf::Message> response = contract_.NewMessage(tool.response);
  if (!response->ParseFromString(reply_bytes)) {
    return ToolError(absl::StrCat(tool.name, ": INTERNAL: the backend's reply does not parse as ",
                                  tool.response->full_name()));
  }
  ctx.Log(LogLevel::kInfo, absl::StrCat(tool.name, " finished in ", ms, " ms"), "mcpcap");
  Json structured = MessageToJson(*response);
  return Json{{"content", Json::array({Json{{"type", "text"}, {"text", DumpJson(structured)}}})},
              {"structuredContent", std::move(structured)},
              {"isError", false}};
}

}  // namespace mcpcap::gateway
