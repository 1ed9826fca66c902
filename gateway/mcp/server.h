// The MCP engine: JSON-RPC requests in, replies out, independent of the transport. Tools come
// from the Contract, results and prompts from the Backend; it holds no analysis or prompt text.
#ifndef MCPCAP_GATEWAY_MCP_SERVER_H_
#define MCPCAP_GATEWAY_MCP_SERVER_H_

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "gateway/backend/backend.h"
#include "gateway/json/json.h"
#include "gateway/jsonrpc/message.h"
#include "gateway/schema/contract.h"

namespace mcpcap::gateway {

struct ServerOptions {
  std::set<std::string> modules;  // enabled modules; empty = all
  uint64_t max_packets = 0;       // per-call cap (0 = none)
  std::string version = "0.0.0";  // serverInfo.version
};

// Protocol revisions we speak, latest first.
const std::vector<std::string>& SupportedProtocolVersions();

class McpServer {
 public:
  McpServer(const Contract& contract, Backend& backend, ServerOptions options);

  // The reply to one message, or nothing (notifications, responses). Thread-safe: requests may
  // be handled concurrently.
  std::optional<Json> Handle(const jsonrpc::Incoming& message);

  // True for requests that wait on the backend and so deserve their own thread.
  static bool IsSlow(const jsonrpc::Incoming& message);

  // tools/list result.
  Json ListTools() const;
  // A tool enabled by --modules, or null.
  const ToolSpec* FindTool(const std::string& name) const;
  // tools/call result for an enabled tool: structuredContent, or isError with a message.
  Json CallTool(const ToolSpec& tool, const Json& arguments);

 private:
  struct Reply {
    Json result;
    int code = 0;  // JSON-RPC error code when non-zero
    std::string message;
  };
  static Reply Fail(int code, std::string message) {
    return Reply{nullptr, code, std::move(message)};
  }

  Reply Initialize(const Json& params);
  Reply ToolsCall(const Json& params);
  Reply PromptsList();
  Reply PromptsGet(const Json& params);
  bool ModuleEnabled(const std::string& module) const;

  const Contract& contract_;
  Backend& backend_;
  ServerOptions options_;
};

}  // namespace mcpcap::gateway

#endif  // MCPCAP_GATEWAY_MCP_SERVER_H_
