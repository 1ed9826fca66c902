// prompts/list, prompts/get and completion/complete: the backend's prompts (PromptService)
// and registered ones.
#include <google/protobuf/descriptor.h>
#include <google/protobuf/reflection.h>

#include "absl/strings/str_cat.h"
#include "gateway/backend/error_details.h"
#include "gateway/mcp/completion.h"
#include "gateway/mcp/server.h"
#include "mcpcap/v1/prompts.pb.h"

namespace mcpcap::gateway {
namespace {

constexpr char kListPrompts[] = "/mcpcap.v1.PromptService/ListPrompts";
constexpr char kGetPrompt[] = "/mcpcap.v1.PromptService/GetPrompt";

// PromptArgument.allowed_values, if this build's contract has that field (it is planned).
std::vector<std::string> AllowedValues(const v1::PromptArgument& argument) {
  std::vector<std::string> values;
  const google::protobuf::FieldDescriptor* field =
      argument.GetDescriptor()->FindFieldByName("allowed_values");
  if (field == nullptr || !field->is_repeated() ||
      field->type() != google::protobuf::FieldDescriptor::TYPE_STRING) {
    return values;
  }
  const google::protobuf::Reflection* reflection = argument.GetReflection();
  const int n = reflection->FieldSize(argument, field);
  for (int i = 0; i < n; ++i) values.push_back(reflection->GetRepeatedString(argument, field, i));
  return values;
}

Json ArgumentsJson(const std::vector<PromptArgumentDef>& arguments) {
  Json out = Json::array();
  for (const PromptArgumentDef& a : arguments) {
    out.push_back(Json{{"name", a.name}, {"description", a.description}, {"required", a.required}});
  }
  return out;
}

}  // namespace

Json McpServer::BackendPrompts() {
  Json prompts = Json::array();
  if (!options_.backend_prompts) return prompts;
  v1::ListPromptsRequest request;
  for (const std::string& m : PromptModules()) request.add_modules(m);
  std::string bytes;
  grpc::Status status = backend_.Call(kListPrompts, request.SerializeAsString(), &bytes);
  v1::ListPromptsResponse response;
  // A backend without prompts (yet) is not an error for the client: it lists none.
  if (!status.ok() || !response.ParseFromString(bytes)) return prompts;
  for (const v1::Prompt& p : response.prompts()) {
    if (!p.module().empty() && !PromptModuleEnabled(p.module())) continue;
    Json prompt{{"name", p.name()}};
    if (!p.title().empty()) prompt["title"] = p.title();
    prompt["description"] = p.description();
    Json args = Json::array();
    for (const v1::PromptArgument& a : p.arguments()) {
      Json arg{{"name", a.name()}, {"description", a.description()}, {"required", a.required()}};
      arg["_allowed"] = AllowedValues(a);
      args.push_back(std::move(arg));
    }
    prompt["arguments"] = args;
    prompts.push_back(std::move(prompt));
  }
  return prompts;
}

McpServer::Reply McpServer::PromptsList() {
  Json prompts = BackendPrompts();
  for (Json& p : prompts) {
    for (Json& a : p["arguments"]) a.erase("_allowed");
  }
  for (const PromptDef& p : prompts_) {
    prompts.push_back(Json{{"name", p.name},
                           {"description", p.description},
                           {"arguments", ArgumentsJson(p.arguments)}});
  }
  return Ok(Json{{"prompts", prompts}});
}

McpServer::Reply McpServer::PromptsGet(const Json& params) {
  auto name = params.find("name");
  if (name == params.end() || !name->is_string()) {
    return Fail(jsonrpc::kInvalidParams, "prompts/get needs a string \"name\"");
  }
  const std::string prompt_name = name->get<std::string>();
  std::map<std::string, std::string> arguments;
  auto args = params.find("arguments");
  if (args != params.end() && !args->is_null()) {
    if (!args->is_object()) return Fail(jsonrpc::kInvalidParams, "arguments must be an object");
    for (auto it = args->begin(); it != args->end(); ++it) {
      if (it.value().is_null()) continue;
      if (it.value().is_string() && it.value().get<std::string>().find('\0') != std::string::npos) {
        return Fail(jsonrpc::kInvalidParams,
                    "prompt argument " + it.key() + " must not contain a NUL character");
      }
      arguments[it.key()] =
          it.value().is_string() ? it.value().get<std::string>() : DumpJson(it.value());
    }
  }
  for (const PromptDef& p : prompts_) {
    if (p.name != prompt_name) continue;
    for (const PromptArgumentDef& a : p.arguments) {
      if (a.required && arguments.count(a.name) == 0) {
        return Fail(jsonrpc::kInvalidParams,
                    absl::StrCat("prompt ", p.name, " needs the argument ", a.name));
      }
    }
    return Ok(p.handler(arguments));
  }

  // Only prompts listed (for the enabled modules) can be fetched.
  bool known = false;
  for (const Json& p : BackendPrompts()) known = known || p["name"] == prompt_name;
  if (!known) return Fail(jsonrpc::kInvalidParams, "unknown prompt: " + prompt_name);

  v1::GetPromptRequest request;
  request.set_name(prompt_name);
  for (const auto& [key, value] : arguments) (*request.mutable_arguments())[key] = value;
  std::string bytes;
  grpc::Status status = backend_.Call(kGetPrompt, request.SerializeAsString(), &bytes);
  if (!status.ok()) {
    const grpc::StatusCode code = status.error_code();
    // UNIMPLEMENTED: an mcpcapd without the prompt service.
    if (ReadBackendError(status).reason == "PROMPT_NOT_FOUND" ||
        code == grpc::StatusCode::UNIMPLEMENTED) {
      return Fail(jsonrpc::kInvalidParams, "unknown prompt: " + prompt_name);
    }
    const int rpc_code = code == grpc::StatusCode::INVALID_ARGUMENT ? jsonrpc::kInvalidParams
                                                                    : jsonrpc::kInternalError;
    return Fail(rpc_code,
                absl::StrCat("prompts/get ", prompt_name, ": ", DescribeBackendError(status)));
  }
  v1::GetPromptResponse response;
  if (!response.ParseFromString(bytes)) {
    return Fail(jsonrpc::kInternalError, "the backend's prompt reply does not parse");
  }
  // The backend writes for gRPC callers too; the model reads the arguments by their MCP names.
  Json messages = Json::array();
  for (const v1::PromptMessage& m : response.messages()) {
    messages.push_back(
        Json{{"role", m.role().empty() ? "user" : m.role()},
             {"content", {{"type", "text"}, {"text", contract_.ToMcpText(m.text())}}}});
  }
  return Ok(Json{{"description", response.description()}, {"messages", messages}});
}

McpServer::Reply McpServer::Complete(const Json& params) {
  auto ref = params.find("ref");
  auto argument = params.find("argument");
  if (ref == params.end() || !ref->is_object() || argument == params.end() ||
      !argument->is_object() || !argument->value("name", Json()).is_string()) {
    return Fail(jsonrpc::kInvalidParams,
                "completion/complete needs \"ref\" and \"argument\": {\"name\", \"value\"}");
  }
  const std::string arg_name = (*argument)["name"];
  const Json value_json = argument->value("value", Json(""));
  const std::string value = value_json.is_string() ? value_json.get<std::string>() : "";
  const std::string type = ref->value("type", Json("")).is_string() ? ref->value("type", "") : "";
  if (type == "ref/resource") {
    const std::string uri = ref->value("uri", Json("")).is_string() ? ref->value("uri", "") : "";
    for (const ResourceTemplateDef& t : templates_) {
      if (t.uri_template == uri) return Ok(CompletionResult({}, value));
    }
    return Fail(jsonrpc::kInvalidParams, "unknown resource template: " + uri);
  }
  if (type != "ref/prompt") {
    return Fail(jsonrpc::kInvalidParams, "ref.type must be ref/prompt or ref/resource");
  }
  const Json name = ref->value("name", Json());
  if (!name.is_string()) return Fail(jsonrpc::kInvalidParams, "ref/prompt needs a \"name\"");
  std::vector<std::string> allowed;
  bool found = false;
  for (const PromptDef& p : prompts_) {
    if (p.name != name) continue;
    found = true;
    for (const PromptArgumentDef& a : p.arguments) {
      if (a.name == arg_name) allowed = a.allowed_values;
    }
  }
  if (!found) {
    for (const Json& p : BackendPrompts()) {
      if (p["name"] != name) continue;
      found = true;
      for (const Json& a : p["arguments"]) {
        if (a["name"] == arg_name) allowed = a["_allowed"].get<std::vector<std::string>>();
      }
    }
  }
  if (!found) return Fail(jsonrpc::kInvalidParams, "unknown prompt: " + name.get<std::string>());
  if (arg_name == "pcap_file") {
    return Ok(CompletionResult(
        CaptureFileCandidates(options_.completion_base, value, options_.roots), value));
  }
  return Ok(CompletionResult(allowed, value));
}

}  // namespace mcpcap::gateway
