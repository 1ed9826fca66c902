// tools/list and tools/call: the contract's analyses (over the backend) and registered tools.
#include <chrono>
#include <memory>
#include <optional>

#include "absl/strings/str_cat.h"
#include "gateway/backend/error_details.h"
#include "gateway/convert/args_to_message.h"
#include "gateway/convert/message_to_json.h"
#include "gateway/log.h"
#include "gateway/mcp/analysis_progress.h"
#include "gateway/mcp/result_budget.h"
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
    const std::optional<size_t> declared = DeclaredMaxResultChars(options_.max_result_chars);
    for (const ToolSpec& t : contract_.tools()) {
      if (!ToolEnabled(t)) continue;
      tools.push_back(Json{
          {"name", t.name},
          {"title", t.title},
          {"description", t.description},
          {"inputSchema", t.input_schema},
          {"outputSchema", t.output_schema},
          // The spec reads destructiveHint and idempotentHint only when
          // readOnlyHint is false: read-only says it all, in fewer bytes.
          {"annotations", {{"title", t.title}, {"readOnlyHint", true}, {"openWorldHint", true}}}});
      // A client that saves large results to files instead of showing them (Claude Code, past
      // 50,000 characters) shows this tool's inline up to the budget.
      if (declared) tools.back()["_meta"] = {{"anthropic/maxResultSizeChars", *declared}};
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
  return tool != nullptr && ToolEnabled(*tool) ? tool : nullptr;
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

McpServer::BackendReply McpServer::CallBackend(const ToolSpec& tool,
                                               const google::protobuf::Message& request,
                                               const CallHooks& hooks, RequestContext& ctx) {
  BackendReply reply;
  const auto start = std::chrono::steady_clock::now();
  std::string reply_bytes;
  grpc::Status status =
      backend_.Call(tool.method_path, request.SerializeAsString(), &reply_bytes, hooks);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
  if (ctx.IsCancelled()) {
    Log(absl::StrCat(tool.name, " stopped after ", ms, " ms: ", DescribeBackendError(status)));
  }
  if (!status.ok()) {
    // The model reads the reason and the arguments at fault by the names it gave them.
    std::string text = absl::StrCat(
        tool.name, ": ",
        contract_.ToMcpText(DescribeBackendError(status, [&tool](const std::string& field) {
          return ArgumentNameOf(tool.request, field);
        })));
    ctx.Log(LogLevel::kError, text, "mcpcap");
    reply.error = ToolError(text);
    reply.label = ctx.IsCancelled() ? "cancelled" : ErrorLabel(status);
    return reply;
  }
  std::unique_ptr<google::protobuf::Message> response = contract_.NewMessage(tool.response);
  if (!response->ParseFromString(reply_bytes)) {
    reply.error =
        ToolError(absl::StrCat(tool.name, ": INTERNAL: the backend's reply does not parse as ",
                               tool.response->full_name()));
    reply.label = "INTERNAL";
    return reply;
  }
  ctx.Log(LogLevel::kInfo, absl::StrCat(tool.name, " finished in ", ms, " ms"), "mcpcap");
  reply.response = std::move(response);
  return reply;
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
  BackendReply reply = CallBackend(tool, *request, hooks, ctx);
  Json structured = reply.response ? MessageToJson(*reply.response) : Json();
  std::string text = reply.response ? DumpJson(structured) : "";

  // Over the budget with the default page size: ask again with fewer entries per listing
  // (the backend's result cache answers these at once); unary, the progress already told.
  std::optional<PageSize> size =
      options_.max_result_chars > 0 ? AdjustablePageSize(*request) : std::nullopt;
  const uint32_t asked = size ? size->current : 0;
  hooks.on_progress = nullptr;
  while (reply.response && size && text.size() > options_.max_result_chars &&
         size->current > size->floor) {
    const uint32_t next =
        NextMaxResults(*reply.response, structured, text.size(), options_.max_result_chars, *size);
    ctx.Log(LogLevel::kInfo,
            absl::StrCat(tool.name, ": ", text.size(), " characters, over the budget of ",
                         options_.max_result_chars, "; asking again with max_results ", next),
            "mcpcap");
    SetMaxResults(request.get(), next);
    size->current = next;
    reply = CallBackend(tool, *request, hooks, ctx);
    if (!reply.response) break;
    AddCaptureWarning(reply.response.get(),
                      contract_.ToMcpText(absl::StrCat(
                          "mcpcap: max_results ", next, " instead of ", asked,
                          " to keep this answer within ", options_.max_result_chars,
                          " characters; page with next_page_token, or pass max_results")));
    structured = MessageToJson(*reply.response);
    text = DumpJson(structured);
  }
  if (!reply.response) {
    progress.Finish(reply.label);
    return reply.error;
  }
  progress.Finish("");
  if (size && text.size() > options_.max_result_chars) {
    ctx.Log(LogLevel::kWarning,
            absl::StrCat(tool.name, ": ", text.size(), " characters with max_results ",
                         size->current, ", over the budget of ", options_.max_result_chars),
            "mcpcap");
  }
  return Json{{"content", Json::array({Json{{"type", "text"}, {"text", std::move(text)}}})},
              {"structuredContent", std::move(structured)},
              {"isError", false}};
}

}  // namespace mcpcap::gateway
