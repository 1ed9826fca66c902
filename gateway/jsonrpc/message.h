// JSON-RPC 2.0 framing for MCP: one message per line, classified without throwing.
#ifndef MCPCAP_GATEWAY_JSONRPC_MESSAGE_H_
#define MCPCAP_GATEWAY_JSONRPC_MESSAGE_H_

#include <string>
#include <string_view>

#include "gateway/json/json.h"

namespace mcpcap::gateway::jsonrpc {

enum ErrorCode : int {
  kParseError = -32700,
  kInvalidRequest = -32600,
  kMethodNotFound = -32601,
  kInvalidParams = -32602,
  kInternalError = -32603,
};

struct Incoming {
  enum class Kind {
    kRequest,       // has method and id: needs exactly one reply
    kNotification,  // has method, no id: never replied to
    kResponse,      // a reply to a request of ours (we send none: ignored)
    kInvalid,       // `error` holds the reply to send
  };
  Kind kind = Kind::kInvalid;
  Json id;  // string or integer for requests; null otherwise
  std::string method;
  Json params;  // object, array or null (absent)
  Json error;   // for kInvalid: a complete error response
};

// Arrays and objects may nest this deep in a message; deeper input is refused while it is
// parsed, so nothing (copying, destroying, dumping) ever recurses through it.
inline constexpr int kMaxJsonDepth = 128;

// Classifies one message (a stdio line or an HTTP body): kParseError for invalid JSON,
// kInvalidRequest for nesting past kMaxJsonDepth. Never throws, never recurses on the input.
Incoming Parse(std::string_view text);
// Classifies an already parsed value, which must respect kMaxJsonDepth.
Incoming Classify(Json message);

Json Result(const Json& id, Json result);
Json Error(const Json& id, int code, const std::string& message);

}  // namespace mcpcap::gateway::jsonrpc

#endif  // MCPCAP_GATEWAY_JSONRPC_MESSAGE_H_
