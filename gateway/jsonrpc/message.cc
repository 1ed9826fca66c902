#include "gateway/jsonrpc/message.h"

namespace mcpcap::gateway::jsonrpc {

Json Result(const Json& id, Json result) {
  return Json{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

Json Error(const Json& id, int code, const std::string& message) {
  return Json{{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}};
}

Incoming Parse(std::string_view line) {
  Json message = Json::parse(line.begin(), line.end(), nullptr, /*allow_exceptions=*/false);
  if (message.is_discarded()) {
    Incoming in;
    in.error = Error(nullptr, kParseError, "Parse error: the line is not valid JSON");
    return in;
  }
  return Classify(message);
}

Incoming Classify(const Json& message) {
  Incoming in;
  auto invalid = [&](const Json& id, const std::string& why) {
    in.kind = Incoming::Kind::kInvalid;
    in.error = Error(id, kInvalidRequest, "Invalid Request: " + why);
    return in;
  };
  if (message.is_array()) return invalid(nullptr, "batches are not supported");
  if (!message.is_object()) return invalid(nullptr, "a message must be a JSON object");
  // Echo a usable id in the error, so the client can match it.
  Json id = nullptr;
  auto id_it = message.find("id");
  const bool has_id = id_it != message.end();
  if (has_id && (id_it->is_string() || id_it->is_number_integer())) id = *id_it;
  auto version = message.find("jsonrpc");
  if (version == message.end() || *version != "2.0") {
    return invalid(id, "\"jsonrpc\" must be \"2.0\"");
  }
  auto method = message.find("method");
  if (method == message.end()) {
    if (message.contains("result") || message.contains("error")) {
      in.kind = Incoming::Kind::kResponse;
      in.id = id;
      return in;
    }
    return invalid(id, "missing \"method\"");
  }
  if (!method->is_string()) return invalid(id, "\"method\" must be a string");
  if (has_id && !id_it->is_string() && !id_it->is_number_integer()) {
    return invalid(nullptr, "\"id\" must be a string or an integer");
  }
  auto params = message.find("params");
  if (params != message.end() && !params->is_object() && !params->is_array()) {
    return invalid(id, "\"params\" must be an object");
  }
  in.kind = has_id ? Incoming::Kind::kRequest : Incoming::Kind::kNotification;
  in.id = id;
  in.method = method->get<std::string>();
  in.params = params == message.end() ? Json(nullptr) : *params;
  return in;
}

}  // namespace mcpcap::gateway::jsonrpc
