// Tools, prompts and resources registered in code, besides the contract's tools and the
// backend's prompts. The product registers none; the conformance fixture server registers the
// suite's fixtures on the same engine.
#ifndef MCPCAP_GATEWAY_MCP_REGISTRY_H_
#define MCPCAP_GATEWAY_MCP_REGISTRY_H_

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gateway/json/json.h"
#include "gateway/mcp/request_context.h"

namespace mcpcap::gateway {

struct ToolDef {
  std::string name;
  std::string description;
  Json input_schema = Json{{"type", "object"}};
  // Returns a CallToolResult ({"content": [...], "isError": ...}).
  std::function<Json(const Json& arguments, RequestContext& ctx)> handler;
};

struct PromptArgumentDef {
  std::string name;
  std::string description;
  bool required = false;
  std::vector<std::string> allowed_values;  // offered by completion/complete
};

struct PromptDef {
  std::string name;
  std::string description;
  std::vector<PromptArgumentDef> arguments;
  // Returns a GetPromptResult ({"messages": [...]}).
  std::function<Json(const std::map<std::string, std::string>& arguments)> handler;
};

struct ResourceDef {
  std::string uri;
  std::string name;
  std::string description;
  std::string mime_type;
  // Returns the "contents" array of a ReadResourceResult.
  std::function<Json(const std::string& uri)> read;
};

struct ResourceTemplateDef {
  std::string uri_template;  // RFC 6570 level 1: "test://template/{id}/data"
  std::string name;
  std::string description;
  std::string mime_type;
  // Called with the URI and its variables when the URI matches the template.
  std::function<Json(const std::string& uri, const std::map<std::string, std::string>& vars)> read;
};

// Matches `uri` against a level-1 URI template; variables do not span '/'.
std::optional<std::map<std::string, std::string>> MatchUriTemplate(const std::string& uri_template,
                                                                   const std::string& uri);

}  // namespace mcpcap::gateway

#endif  // MCPCAP_GATEWAY_MCP_REGISTRY_H_
