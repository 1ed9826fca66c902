#include "gateway/mcp/server.h"

#include "absl/strings/str_cat.h"
#include "gateway/log.h"

namespace mcpcap::gateway {

const std::vector<std::string>& SupportedProtocolVersions() {
  static const std::vector<std::string> kVersions = {"2025-11-25", "2025-06-18", "2025-03-26",
                                                     "2024-11-05"};
  return kVersions;
}

McpServer::McpServer(const Contract& contract, Backend& backend, ServerOptions options)
    : contract_(contract), backend_(backend), options_(std::move(options)) {}

void McpServer::RegisterTool(ToolDef tool) { tools_.push_back(std::move(tool)); }
void McpServer::RegisterPrompt(PromptDef prompt) { prompts_.push_back(std::move(prompt)); }
void McpServer::RegisterResource(ResourceDef resource) {
  resources_.push_back(std::move(resource));
}
void McpServer::RegisterResourceTemplate(ResourceTemplateDef resource_template) {
  templates_.push_back(std::move(resource_template));
}

bool McpServer::IsSlow(const jsonrpc::Incoming& message) {
  if (message.kind != jsonrpc::Incoming::Kind::kRequest) return false;
  const std::string& m = message.method;
  return m == "tools/call" || m.rfind("prompts/", 0) == 0 || m == "completion/complete" ||
         m == "resources/read";
}

bool McpServer::ModuleEnabled(const std::string& module) const {
  return options_.modules.empty() || options_.modules.count(module) > 0;
}

bool McpServer::ToolEnabled(const ToolSpec& tool) const {
  return ModuleEnabled(tool.module) &&
         (options_.tools.empty() || options_.tools.count(tool.name) > 0);
}

std::set<std::string> McpServer::PromptModules() const {
  if (options_.tools.empty()) return options_.modules;
  std::set<std::string> modules;
  for (const ToolSpec& t : contract_.tools()) {
    if (ToolEnabled(t)) modules.insert(t.module);
  }
  return modules;
}

bool McpServer::PromptModuleEnabled(const std::string& module) const {
  if (options_.tools.empty()) return ModuleEnabled(module);
  return PromptModules().count(module) > 0;
}

std::optional<Json> McpServer::Handle(const jsonrpc::Incoming& message) {
  return Handle(message, default_session_, nullptr);
}

void McpServer::HandleNotification(const jsonrpc::Incoming& message, Session& session) {
  if (message.method != "notifications/cancelled" || !message.params.is_object()) return;
  auto id = message.params.find("requestId");
  if (id == message.params.end()) return;
  if (session.Cancel(*id)) {
    Log(absl::StrCat("request ", DumpJson(*id), " cancelled by the client"));
  }
}

std::optional<Json> McpServer::Handle(const jsonrpc::Incoming& message, Session& session,
                                      const NotificationSink& sink) {
  using Kind = jsonrpc::Incoming::Kind;
  switch (message.kind) {
    case Kind::kInvalid:
      return message.error;
    case Kind::kResponse:
      return std::nullopt;  // we send no requests, so no reply is awaited
    case Kind::kNotification:
      HandleNotification(message, session);
      return std::nullopt;
    case Kind::kRequest:
      break;
  }
  const Json params = message.params.is_null() ? Json::object() : message.params;
  if (!params.is_object()) {
    return jsonrpc::Error(message.id, jsonrpc::kInvalidParams, "params must be an object");
  }
  Json progress_token = nullptr;
  auto meta = params.find("_meta");
  if (meta != params.end() && meta->is_object()) {
    auto token = meta->find("progressToken");
    if (token != meta->end() && (token->is_string() || token->is_number_integer())) {
      progress_token = *token;
    }
  }
  std::shared_ptr<CancelToken> cancel = session.Begin(message.id);
  RequestContext ctx(session, sink, progress_token, cancel);
  Reply reply;
  try {
    reply = Dispatch(message.method, params, ctx);
  } catch (const std::exception& e) {
    // The engine does not throw by design; this keeps a surprise inside the protocol.
    Log(absl::StrCat("internal error in ", message.method, ": ", e.what()));
    reply = Fail(jsonrpc::kInternalError, absl::StrCat("internal error: ", e.what()));
  }
  session.End(message.id, cancel);
  // The spec: the receiver of a cancellation should not answer the cancelled request.
  if (cancel->IsCancelled()) return std::nullopt;
  if (reply.code != 0) return jsonrpc::Error(message.id, reply.code, reply.message);
  return jsonrpc::Result(message.id, std::move(reply.result));
}

McpServer::Reply McpServer::Dispatch(const std::string& method, const Json& params,
                                     RequestContext& ctx) {
  if (method == "initialize") return Initialize(params);
  if (method == "ping") return Ok(Json::object());
  if (method == "logging/setLevel") return SetLevel(params, ctx.session());
  if (method == "tools/list") return Ok(ListTools());
  if (method == "tools/call") return ToolsCall(params, ctx);
  if (method == "prompts/list") return PromptsList();
  if (method == "prompts/get") return PromptsGet(params);
  if (method == "completion/complete") return Complete(params);
  if (HasResources()) {
    if (method == "resources/list") return ResourcesList();
    if (method == "resources/templates/list") return ResourceTemplatesList();
    if (method == "resources/read") return ResourcesRead(params);
    if (method == "resources/subscribe") return Subscribe(params, ctx.session(), true);
    if (method == "resources/unsubscribe") return Subscribe(params, ctx.session(), false);
  }
  return Fail(jsonrpc::kMethodNotFound, "Method not found: " + method);
}

McpServer::Reply McpServer::Initialize(const Json& params) {
  const std::vector<std::string>& versions = SupportedProtocolVersions();
  std::string version = versions.front();
  auto asked = params.find("protocolVersion");
  if (asked != params.end() && asked->is_string()) {
    for (const std::string& v : versions) {
      if (v == *asked) version = v;
    }
  }
  Json capabilities{{"tools", {{"listChanged", false}}},
                    {"prompts", {{"listChanged", false}}},
                    {"logging", Json::object()},
                    {"completions", Json::object()}};
  if (HasResources()) capabilities["resources"] = {{"subscribe", true}, {"listChanged", false}};
  // The workflow: overview first, then the focused tool, then pages. Field names as MCP spells
  // them.
  std::string start;
  for (const char* overview : {"analyze_capinfos", "detect_protocols"}) {
    const ToolSpec* tool = FindTool(overview);
    if (tool != nullptr) absl::StrAppend(&start, start.empty() ? "" : " and ", tool->name);
  }
  std::string instructions =
      "Analyses of existing network captures (a local path or an http(s) URL as pcap_file). ";
  if (!start.empty()) absl::StrAppend(&instructions, "Start with ", start, ", then ");
  absl::StrAppend(&instructions, start.empty() ? "Call " : "call ",
                  "the tool for the protocol in question. Answers are summaries with short "
                  "listings; a listing cut short is in capture.partial_listings: pass its "
                  "next_page_token as page_token, other arguments unchanged, for the next page. "
                  "Every tool accepts max_packets, bpf_filter, max_results and page_token.");
  return Ok(
      Json{{"protocolVersion", version},
           {"capabilities", capabilities},
           {"serverInfo",
            {{"name", options_.name}, {"title", options_.name}, {"version", options_.version}}},
           {"instructions", contract_.ToMcpText(instructions)}});
}

McpServer::Reply McpServer::SetLevel(const Json& params, Session& session) {
  auto level = params.find("level");
  std::optional<LogLevel> parsed;
  if (level != params.end() && level->is_string()) parsed = ParseLogLevel(*level);
  if (!parsed) {
    return Fail(jsonrpc::kInvalidParams,
                "logging/setLevel needs \"level\": debug, info, notice, warning, error, "
                "critical, alert or emergency");
  }
  session.set_log_level(*parsed);
  return Ok(Json::object());
}

}  // namespace mcpcap::gateway
