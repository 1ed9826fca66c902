#include "gateway/mcp/server.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "gateway/convert/args_to_message.h"
#include "gateway/convert/message_to_json.h"
#include "mcpcap/v1/mcpcap.pb.h"

namespace mcpcap::gateway {
namespace {

constexpr char kListPrompts[] = "/mcpcap.v1.Prompts/ListPrompts";
constexpr char kGetPrompt[] = "/mcpcap.v1.Prompts/GetPrompt";

Json ToolError(const std::string& text) {
  return Json{{"content", Json::array({Json{{"type", "text"}, {"text", text}}})},
              {"isError", true}};
}

}  // namespace

const std::vector<std::string>& SupportedProtocolVersions() {
  static const std::vector<std::string> kVersions = {"2025-11-25", "2025-06-18", "2025-03-26",
                                                     "2024-11-05"};
  return kVersions;
}

McpServer::McpServer(const Contract& contract, Backend& backend, ServerOptions options)
    : contract_(contract), backend_(backend), options_(std::move(options)) {}

bool McpServer::IsSlow(const jsonrpc::Incoming& message) {
  return message.kind == jsonrpc::Incoming::Kind::kRequest &&
         (message.method == "tools/call" || message.method.rfind("prompts/", 0) == 0);
}

bool McpServer::ModuleEnabled(const std::string& module) const {
  return options_.modules.empty() || options_.modules.count(module) > 0;
}

std::optional<Json> McpServer::Handle(const jsonrpc::Incoming& message) {
  using Kind = jsonrpc::Incoming::Kind;
  switch (message.kind) {
    case Kind::kInvalid:
      return message.error;
    case Kind::kResponse:
    case Kind::kNotification:
      // notifications/initialized, notifications/cancelled, ...: nothing to answer.
      return std::nullopt;
    case Kind::kRequest:
      break;
  }
  const std::string& method = message.method;
  const Json params = message.params.is_null() ? Json::object() : message.params;
  if (!params.is_object()) {
    return jsonrpc::Error(message.id, jsonrpc::kInvalidParams, "params must be an object");
  }
  Reply reply;
  if (method == "initialize") {
    reply = Initialize(params);
  } else if (method == "ping" || method == "logging/setLevel") {
    reply.result = Json::object();
  } else if (method == "tools/list") {
    reply.result = ListTools();
  } else if (method == "tools/call") {
    reply = ToolsCall(params);
  } else if (method == "prompts/list") {
    reply = PromptsList();
  } else if (method == "prompts/get") {
    reply = PromptsGet(params);
  } else {
    reply = Fail(jsonrpc::kMethodNotFound, "Method not found: " + method);
  }
  if (reply.code != 0) return jsonrpc::Error(message.id, reply.code, reply.message);
  return jsonrpc::Result(message.id, std::move(reply.result));
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
  Reply reply;
  reply.result =
      Json{{"protocolVersion", version},
           {"capabilities",
            {{"tools", {{"listChanged", false}}},
             {"prompts", {{"listChanged", false}}},
             {"logging", Json::object()}}},
           {"serverInfo", {{"name", "mcpcap"}, {"title", "mcpcap"}, {"version", options_.version}}},
           {"instructions",
            "Analyses of existing network captures (a local path or an http(s) URL as pcap_file). "
            "Start with analyze_capinfos; every tool accepts max_packets, bpf_filter and "
            "max_results."}};
  return reply;
}

Json McpServer::ListTools() const {
  Json tools = Json::array();
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
  return Json{{"tools", tools}};
}

const ToolSpec* McpServer::FindTool(const std::string& name) const {
  const ToolSpec* tool = contract_.FindTool(name);
  return tool != nullptr && ModuleEnabled(tool->module) ? tool : nullptr;
}

McpServer::Reply McpServer::ToolsCall(const Json& params) {
  auto name = params.find("name");
  if (name == params.end() || !name->is_string()) {
    return Fail(jsonrpc::kInvalidParams, "tools/call needs a string \"name\"");
  }
  const ToolSpec* tool = FindTool(name->get<std::string>());
  if (tool == nullptr) {
    return Fail(jsonrpc::kInvalidParams, "Unknown tool: " + name->get<std::string>());
  }
  auto args = params.find("arguments");
  Reply reply;
  reply.result = CallTool(*tool, args == params.end() ? Json::object() : *args);
  return reply;
}

Json McpServer::CallTool(const ToolSpec& tool, const Json& arguments) {
  std::unique_ptr<google::protobuf::Message> request = contract_.NewMessage(tool.request);
  absl::Status converted = ArgsToMessage(arguments, request.get());
  if (!converted.ok()) {
    return ToolError(absl::StrCat(tool.name, ": INVALID_ARGUMENT: ", converted.message()));
  }
  CapMaxPackets(request.get(), options_.max_packets);
  std::string reply_bytes;
  grpc::Status status = backend_.Call(tool.method_path, request->SerializeAsString(), &reply_bytes);
  if (!status.ok()) {
    return ToolError(
        absl::StrCat(tool.name, ": ", StatusCodeName(status.error_code()), ": ",
                     status.error_message().empty() ? "(no message)" : status.error_message()));
  }
  std::unique_ptr<google::protobuf::Message> response = contract_.NewMessage(tool.response);
  if (!response->ParseFromString(reply_bytes)) {
    return ToolError(absl::StrCat(tool.name, ": INTERNAL: the backend's reply does not parse as ",
                                  tool.response->full_name()));
  }
  Json structured = MessageToJson(*response);
  return Json{{"content", Json::array({Json{{"type", "text"}, {"text", DumpJson(structured)}}})},
              {"structuredContent", std::move(structured)},
              {"isError", false}};
}

McpServer::Reply McpServer::PromptsList() {
  v1::ListPromptsRequest request;
  for (const std::string& m : options_.modules) request.add_modules(m);
  std::string bytes;
  grpc::Status status = backend_.Call(kListPrompts, request.SerializeAsString(), &bytes);
  v1::ListPromptsResponse response;
  Json prompts = Json::array();
  // A backend without prompts (yet) is not an error for the client: it lists none.
  if (status.ok() && response.ParseFromString(bytes)) {
    for (const v1::Prompt& p : response.prompts()) {
      if (!p.module().empty() && !ModuleEnabled(p.module())) continue;
      Json prompt{{"name", p.name()}};
      if (!p.title().empty()) prompt["title"] = p.title();
      prompt["description"] = p.description();
      Json args = Json::array();
      for (const v1::PromptArgument& a : p.arguments()) {
        args.push_back(
            Json{{"name", a.name()}, {"description", a.description()}, {"required", a.required()}});
      }
      prompt["arguments"] = args;
      prompts.push_back(std::move(prompt));
    }
  }
  Reply reply;
  reply.result = Json{{"prompts", prompts}};
  return reply;
}

McpServer::Reply McpServer::PromptsGet(const Json& params) {
  auto name = params.find("name");
  if (name == params.end() || !name->is_string()) {
    return Fail(jsonrpc::kInvalidParams, "prompts/get needs a string \"name\"");
  }
  const std::string prompt_name = name->get<std::string>();
  // Only prompts listed (for the enabled modules) can be fetched.
  Reply listed = PromptsList();
  bool known = false;
  for (const Json& p : listed.result["prompts"]) known = known || p["name"] == prompt_name;
  if (!known) return Fail(jsonrpc::kInvalidParams, "unknown prompt: " + prompt_name);

  v1::GetPromptRequest request;
  request.set_name(prompt_name);
  auto args = params.find("arguments");
  if (args != params.end() && !args->is_null()) {
    if (!args->is_object()) return Fail(jsonrpc::kInvalidParams, "arguments must be an object");
    for (auto it = args->begin(); it != args->end(); ++it) {
      if (it.value().is_null()) continue;
      (*request.mutable_arguments())[it.key()] =
          it.value().is_string() ? it.value().get<std::string>() : DumpJson(it.value());
    }
  }
  std::string bytes;
  grpc::Status status = backend_.Call(kGetPrompt, request.SerializeAsString(), &bytes);
  if (!status.ok()) {
    const grpc::StatusCode code = status.error_code();
    if (code == grpc::StatusCode::NOT_FOUND || code == grpc::StatusCode::UNIMPLEMENTED) {
      return Fail(jsonrpc::kInvalidParams, "unknown prompt: " + prompt_name);
    }
    const int rpc_code = code == grpc::StatusCode::INVALID_ARGUMENT ? jsonrpc::kInvalidParams
                                                                    : jsonrpc::kInternalError;
    return Fail(rpc_code, absl::StrCat("prompts/get ", prompt_name, ": ", StatusCodeName(code),
                                       ": ", status.error_message()));
  }
  v1::GetPromptResponse response;
  if (!response.ParseFromString(bytes)) {
    return Fail(jsonrpc::kInternalError, "the backend's prompt reply does not parse");
  }
  Json messages = Json::array();
  for (const v1::PromptMessage& m : response.messages()) {
    messages.push_back(Json{{"role", m.role().empty() ? "user" : m.role()},
                            {"content", {{"type", "text"}, {"text", m.text()}}}});
  }
  Reply reply;
  reply.result = Json{{"description", response.description()}, {"messages", messages}};
  return reply;
}

}  // namespace mcpcap::gateway
