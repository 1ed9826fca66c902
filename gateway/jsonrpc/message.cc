#include "gateway/jsonrpc/message.h"

namespace mcpcap::gateway::jsonrpc {

Json Result(const Json& id, Json result) {
  return Json{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

Json Error(const Json& id, int code, const std::string& message) {
  return Json{{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}};
}

Incoming Parse(std::string_view text) {
  // The parser itself is iterative; the callback drops every value past the depth limit, so
  // what is built stays shallow whatever the input.
  bool too_deep = false;
  Json::parser_callback_t limit_depth = [&too_deep](int depth, Json::parse_event_t event, Json&) {
    const bool opens =
        event == Json::parse_event_t::object_start || event == Json::parse_event_t::array_start;
    if (depth >= kMaxJsonDepth && (opens || too_deep)) {
      too_deep = true;
      return false;
    }
    return true;
  };
  Json message = Json::parse(text.begin(), text.end(), limit_depth, /*allow_exceptions=*/false);
  Incoming in;
  if (message.is_discarded()) {
    in.error = Error(nullptr, kParseError, "Parse error: the message is not valid JSON");
    return in;
  }
  if (too_deep) {
    in.error = Error(nullptr, kInvalidRequest,
                     "Invalid Request: arrays and objects nest deeper than " +
                         std::to_string(kMaxJsonDepth) + " levels");
    return in;
  }
  return Classify(std::move(message));
}

Incoming Classify(Json message) {
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
  if (params != message.end()) in.params = std::move(*params);
  return in;
}

}  // namespace mcpcap::gateway::jsonrpc
