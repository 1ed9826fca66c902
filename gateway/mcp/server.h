// The MCP engine: JSON-RPC requests in, replies out, independent of the transport. Tools come
// from the Contract, results and prompts from the Backend; it holds no analysis or prompt text.
// Code may register more tools, prompts and resources (the conformance fixture server does).
// Per-connection state lives in a Session; notifications of a request go to the transport's
// NotificationSink through a RequestContext.
#ifndef MCPCAP_GATEWAY_MCP_SERVER_H_
#define MCPCAP_GATEWAY_MCP_SERVER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "gateway/backend/backend.h"
#include "gateway/json/json.h"
#include "gateway/jsonrpc/message.h"
#include "gateway/mcp/registry.h"
#include "gateway/mcp/request_context.h"
#include "gateway/mcp/result_budget.h"
#include "gateway/mcp/session.h"
#include "gateway/schema/contract.h"

namespace mcpcap::gateway {

struct ServerOptions {
  std::set<std::string> modules;        // enabled modules; empty = all
  uint64_t max_packets = 0;             // per-call cap (0 = none)
  std::string version = "0.0.0";        // serverInfo.version
  std::string name = "mcpcap";          // serverInfo.name
  bool contract_tools = true;           // offer the contract's analyses
  bool backend_prompts = true;          // offer the backend's prompts
  std::string completion_base = ".";    // what a relative pcap_file is relative to
  std::vector<std::string> roots = {};  // directories captures must be inside (empty: any)
  // Offered tools by name (--tools, --profile), besides `modules`; empty = all. The backend's
  // prompts are offered for the modules that keep a tool.
  std::set<std::string> tools = {};
  // Characters a result's text may take when the caller left max_results to its default
  // (result_budget.h); 0 = no budget.
  size_t max_result_chars = kDefaultMaxResultChars;
};

// Protocol revisions we speak, latest first.
const std::vector<std::string>& SupportedProtocolVersions();

class McpServer {
 public:
  McpServer(const Contract& contract, Backend& backend, ServerOptions options);

  // Registration happens before serving (not thread-safe against Handle).
  void RegisterTool(ToolDef tool);
  void RegisterPrompt(PromptDef prompt);
  void RegisterResource(ResourceDef resource);
  void RegisterResourceTemplate(ResourceTemplateDef resource_template);

  // The reply to one message of `session`, or nothing (notifications, responses, cancelled
  // requests). Notifications about a request go to `sink` before the reply is returned.
  // Thread-safe: requests may be handled concurrently. Never throws.
  std::optional<Json> Handle(const jsonrpc::Incoming& message, Session& session,
                             const NotificationSink& sink);
  // The same on a built-in session, dropping notifications (tests, simple callers).
  std::optional<Json> Handle(const jsonrpc::Incoming& message);

  // True for requests that may wait (on the backend or a handler) and so deserve their own
  // thread; notifications/cancelled must never wait behind them.
  static bool IsSlow(const jsonrpc::Incoming& message);

  // tools/list result.
  Json ListTools() const;
  // A tool enabled by --modules, --tools and --profile, or null.
  const ToolSpec* FindTool(const std::string& name) const;
  // tools/call result for an enabled tool: structuredContent, or isError with a message.
  Json CallTool(const ToolSpec& tool, const Json& arguments);
  Json CallTool(const ToolSpec& tool, const Json& arguments, RequestContext& ctx);

 private:
  struct Reply {
    Json result;
    int code = 0;  // JSON-RPC error code when non-zero
    std::string message;
  };
  static Reply Fail(int code, std::string message) {
    return Reply{nullptr, code, std::move(message)};
  }
  static Reply Ok(Json result) { return Reply{std::move(result), 0, ""}; }

  Reply Dispatch(const std::string& method, const Json& params, RequestContext& ctx);
  void HandleNotification(const jsonrpc::Incoming& message, Session& session);
  Reply Initialize(const Json& params);
  Reply SetLevel(const Json& params, Session& session);
  Reply ToolsCall(const Json& params, RequestContext& ctx);
  Reply PromptsList();
  Reply PromptsGet(const Json& params);
  Reply Complete(const Json& params);
  Reply ResourcesList();
  Reply ResourceTemplatesList();
  Reply ResourcesRead(const Json& params);
  Reply Subscribe(const Json& params, Session& session, bool subscribe);
  bool ModuleEnabled(const std::string& module) const;
  bool ToolEnabled(const ToolSpec& tool) const;
  // Modules whose prompts are offered: those that keep an offered tool (all when empty).
  std::set<std::string> PromptModules() const;
  bool PromptModuleEnabled(const std::string& module) const;
  // One backend call of a tool: its reply parsed, or the tool error to return.
  struct BackendReply {
    std::unique_ptr<google::protobuf::Message> response;  // null when the call failed
    Json error;                                           // the tool error, on failure
    std::string label;  // the failure for the last progress notification ("cancelled", a reason)
  };
  BackendReply CallBackend(const ToolSpec& tool, const google::protobuf::Message& request,
                           const CallHooks& hooks, RequestContext& ctx);
  bool HasResources() const { return !resources_.empty() || !templates_.empty(); }
  // The backend's prompts for the enabled modules, as MCP Prompt objects (with the
  // proto's allowed values kept aside under "_allowed" per argument, for completion).
  Json BackendPrompts();

  const Contract& contract_;
  Backend& backend_;
  ServerOptions options_;
  Session default_session_;
  std::vector<ToolDef> tools_;
  std::vector<PromptDef> prompts_;
  std::vector<ResourceDef> resources_;
  std::vector<ResourceTemplateDef> templates_;
};

}  // namespace mcpcap::gateway

#endif  // MCPCAP_GATEWAY_MCP_SERVER_H_
