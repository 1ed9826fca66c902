// mcpcap: the MCP gateway. Speaks MCP to the client, gRPC to mcpcapd (its own private one unless
// --backend names replicas), and converts between them from the contract's descriptors.
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "gateway/backend/channels.h"
#include "gateway/backend/grpc_backend.h"
#include "gateway/backend/supervisor.h"
#include "gateway/log.h"
#include "gateway/mcp/result_budget.h"
#include "gateway/mcp/schema_resource.h"
#include "gateway/mcp/server.h"
#include "gateway/mcp/status_resource.h"
#include "gateway/mcp/tool_profiles.h"
#include "gateway/schema/contract.h"
#include "gateway/transport/http_transport.h"
#include "gateway/transport/stdio_transport.h"
#include "tools/cli/dash_flags.h"
#include "tools/cli/version.h"

ABSL_FLAG(std::string, modules, "",
          "Comma-separated modules whose tools and prompts are offered: dns, dhcp, icmp, sip, "
          "tcp, capinfos, payload, packets (default: all). Filters together with --tools and "
          "--profile.");
ABSL_FLAG(std::string, tools, "",
          "Comma-separated tools to offer, e.g. analyze_capinfos,analyze_dns_packets (default: "
          "all); prompts follow the modules that keep a tool. Filters together with --modules "
          "and --profile: a tool is offered when it passes each one given.");
ABSL_FLAG(std::string, profile, "all",
          "A set of tools for small contexts, with the size of its tools/list answer (compact "
          "JSON, measured in tests/e2e/profiles.test.mjs): all (every tool, 45.3 KB), overview "
          "(analyze_capinfos, detect_protocols, get_protocol_hierarchy, list_conversations, "
          "analyze_tcp_connections, analyze_dns_packets: 13.8 KB), troubleshooting (the TCP "
          "tools, ICMP, DNS, I/O statistics and the drill-down to packets and streams: 28.2 KB), "
          "security (payloads, database queries, DNS, TCP anomalies, conversations, byte search, "
          "packets and streams: 25.1 KB). Filters together with --modules and --tools.");
ABSL_FLAG(int64_t, max_result_chars, static_cast<int64_t>(mcpcap::gateway::kDefaultMaxResultChars),
          "Characters a tool result's text may take when the caller leaves max_results to its "
          "default: a longer answer is asked again with fewer entries per listing (the rest "
          "stays reachable by cursor). A caller's max_results is obeyed. Above 50000 each tool "
          "declares it in _meta (anthropic/maxResultSizeChars) for clients that would save "
          "longer results to files. 0: no budget.");
ABSL_FLAG(int64_t, max_packets, 0,
          "Per-call packet cap: each call reads at most min(its max_packets, N) packets "
          "(0 = no cap of the gateway's).");
ABSL_FLAG(std::string, transport, "stdio",
          "MCP transport: stdio, or http (Streamable HTTP at http://HOST:PORT/mcp).");
ABSL_FLAG(std::string, host, "127.0.0.1", "Address to bind with --transport http.");
ABSL_FLAG(int32_t, port, 8080, "Port to bind with --transport http (0: any free port, logged).");
ABSL_FLAG(std::string, allowed_origins, "",
          "With --transport http: comma-separated extra Origins allowed besides localhost, "
          "127.0.0.1 and [::1] on the bound port, e.g. https://mcp.example.com (its host is "
          "then accepted in Host too).");
ABSL_FLAG(absl::Duration, session_idle_timeout, absl::Minutes(30),
          "With --transport http: end sessions idle this long, e.g. 30m, 90s.");
ABSL_FLAG(int32_t, max_sessions, 1000, "With --transport http: sessions alive at once.");
ABSL_FLAG(int32_t, max_sessions_per_client, 100,
          "With --transport http: sessions alive at once created from one client address.");
ABSL_FLAG(int64_t, max_message_bytes, 4 << 20,
          "Largest JSON-RPC message accepted: a stdio line, or an HTTP body after chunked "
          "decoding (HTTP answers 413).");
ABSL_FLAG(int32_t, max_calls, 48,
          "With --transport http: calls (tools, prompts, completion) in flight at once; ping, "
          "cancellation and other quick requests are never counted nor refused.");
ABSL_FLAG(int32_t, max_calls_per_session, 8,
          "With --transport http: calls in flight at once in one session (429 beyond).");
ABSL_FLAG(int32_t, max_calls_per_client, 32,
          "With --transport http: calls in flight at once from one client address (429 beyond).");
ABSL_FLAG(int32_t, max_connections, 1024, "With --transport http: open connections at once.");
ABSL_FLAG(int32_t, max_connections_per_client, 64,
          "With --transport http: open connections from one client address; beyond it the "
          "address's idle or slowest connection is closed, or the new one refused (503).");
ABSL_FLAG(absl::Duration, connection_idle_timeout, absl::Seconds(5),
          "With --transport http: close a connection with no request under way after this long.");
ABSL_FLAG(absl::Duration, request_timeout, absl::Seconds(10),
          "With --transport http: time from a request's first byte to its last (408 beyond).");
ABSL_FLAG(std::vector<std::string>, root, {},
          "Directories local captures must be inside (comma-separated; passed to the private "
          "mcpcapd). Default: none with stdio, the working directory with --transport http.");
ABSL_FLAG(bool, allow_private_urls, false,
          "Let the private mcpcapd download captures from loopback/private addresses.");
ABSL_FLAG(std::string, backend, "",
          "gRPC target(s) of running mcpcapd replicas, comma-separated (round-robin), e.g. "
          "127.0.0.1:50051,127.0.0.1:50052 or dns:///mcpcapd:50051. Default: start a private "
          "mcpcapd.");
ABSL_FLAG(int64_t, call_timeout_seconds, 600, "Deadline of each backend call, in seconds.");
ABSL_FLAG(std::string, backend_binary, "",
          "The mcpcapd to start (default: beside mcpcap, then ../backend/, then PATH).");
ABSL_FLAG(std::string, call, "",
          "One-shot: call this tool with the JSON arguments given as the next argument, print "
          "the result's JSON and exit (1 when the tool reports an error).");
ABSL_FLAG(bool, list_tools, false, "Print the tools/list result as JSON and exit.");

namespace mcpcap::gateway {
namespace {

constexpr int kUsageError = 2;

int UsageError(const std::string& message) {
  std::cerr << "mcpcap: " << message << "\n";
  return kUsageError;
}

// For --list-tools, which needs no backend.
class NoBackend : public Backend {
 public:
  grpc::Status Call(const std::string&, const std::string&, std::string*) override {
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, "no backend");
  }
};

// Waits on the main thread for the end: a signal, EOF, or the one-shot call being done.
class Shutdown {
 public:
  explicit Shutdown(Supervisor* supervisor) : supervisor_(supervisor) {}
  void Request(int code) {
    if (supervisor_ != nullptr) {
      supervisor_->RequestShutdown(code);
      return;
    }
    absl::MutexLock lock(&mu_);
    if (!done_) code_ = code;
    done_ = true;
  }
  // Main thread: runs the supervisor (restarts happen here) until a Request().
  int Wait() {
    if (supervisor_ != nullptr) return supervisor_->Run();
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(&done_));
    return code_;
  }

 private:
  Supervisor* supervisor_;
  absl::Mutex mu_;
  bool done_ = false;
  int code_ = 0;
};

int Main(int raw_argc, char** raw_argv) {
  std::vector<std::string> arg_storage = DashesToUnderscores(raw_argc, raw_argv);
  std::vector<char*> arg_pointers;
  for (std::string& a : arg_storage) arg_pointers.push_back(a.data());
  const int argc = raw_argc;
  char** argv = arg_pointers.data();

  // Signals are taken by a dedicated thread; every other thread (gRPC's too) blocks them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  absl::SetProgramUsageMessage(
      "MCP server for network capture analysis.\n"
      "  mcpcap [--profile overview] [--modules dns,tcp,...] [--tools NAME,...] [--max-packets N]\n"
      "         [--max-result-chars N] [--backend TARGET[,TARGET...]]\n"
      "  mcpcap --call TOOL '{\"pcap_file\": \"x.pcap\"}'     one-shot call, JSON on stdout\n"
      "  mcpcap --list-tools                                 the tool table as JSON\n"
      "  mcpcap --transport http [--host 127.0.0.1] [--port 8080]   MCP at http://HOST:PORT/mcp\n"
      "Speaks MCP on stdin/stdout by default; without --backend it runs a private mcpcapd.\n"
      "Flags may be spelled with dashes or underscores (--max-packets, --max_packets).");
  InstallVersionFlag("mcpcap");
  std::vector<char*> positional = absl::ParseCommandLine(argc, argv);

  absl::StatusOr<std::unique_ptr<Contract>> contract = Contract::LoadEmbedded();
  if (!contract.ok()) {
    Log(absl::StrCat("the compiled-in contract is broken: ", contract.status().message()));
    return 1;
  }

  ServerOptions options;
  options.version = ProjectVersion();
  const std::vector<std::string> known_modules = (*contract)->Modules();
  for (absl::string_view m :
       absl::StrSplit(absl::GetFlag(FLAGS_modules), ',', absl::SkipWhitespace())) {
    std::string name(absl::StripAsciiWhitespace(m));
    if (std::find(known_modules.begin(), known_modules.end(), name) == known_modules.end()) {
      return UsageError(absl::StrCat("unknown module '", name, "' in --modules; valid modules: ",
                                     absl::StrJoin(known_modules, ", ")));
    }
    options.modules.insert(name);
  }
  absl::StatusOr<std::set<std::string>> tools = SelectTools(
      **contract, options.modules, absl::GetFlag(FLAGS_tools), absl::GetFlag(FLAGS_profile));
  if (!tools.ok()) return UsageError(std::string(tools.status().message()));
  options.tools = std::move(*tools);
  if (absl::GetFlag(FLAGS_max_result_chars) < 0) {
    return UsageError("--max-result-chars must be 0 or more");
  }
  options.max_result_chars = static_cast<size_t>(absl::GetFlag(FLAGS_max_result_chars));
  if (absl::GetFlag(FLAGS_max_packets) < 0) return UsageError("--max-packets must be positive");
  options.max_packets = static_cast<uint64_t>(absl::GetFlag(FLAGS_max_packets));
  if (absl::GetFlag(FLAGS_call_timeout_seconds) <= 0) {
    return UsageError("--call-timeout-seconds must be positive");
  }
  const std::string transport = absl::GetFlag(FLAGS_transport);
  if (transport != "stdio" && transport != "http") {
    return UsageError("--transport must be stdio or http, not '" + transport + "'");
  }
  HttpOptions http_options;
  http_options.host = absl::GetFlag(FLAGS_host);
  http_options.port = absl::GetFlag(FLAGS_port);
  if (http_options.port < 0 || http_options.port > 65535) {
    return UsageError("--port must be 0..65535");
  }
  for (absl::string_view o :
       absl::StrSplit(absl::GetFlag(FLAGS_allowed_origins), ',', absl::SkipWhitespace())) {
    http_options.allowed_origins.emplace_back(absl::StripAsciiWhitespace(o));
  }
  const absl::Duration idle = absl::GetFlag(FLAGS_session_idle_timeout);
  if (idle < absl::Seconds(1)) return UsageError("--session-idle-timeout must be at least 1s");
  http_options.session_idle_timeout = std::chrono::seconds(absl::ToInt64Seconds(idle));
  if (absl::GetFlag(FLAGS_max_sessions) < 1) return UsageError("--max-sessions must be positive");
  http_options.max_sessions = static_cast<size_t>(absl::GetFlag(FLAGS_max_sessions));
  for (const auto& [name, value] : std::vector<std::pair<const char*, int64_t>>{
           {"--max-sessions-per-client", absl::GetFlag(FLAGS_max_sessions_per_client)},
           {"--max-message-bytes", absl::GetFlag(FLAGS_max_message_bytes)},
           {"--max-calls", absl::GetFlag(FLAGS_max_calls)},
           {"--max-calls-per-session", absl::GetFlag(FLAGS_max_calls_per_session)},
           {"--max-calls-per-client", absl::GetFlag(FLAGS_max_calls_per_client)},
           {"--max-connections", absl::GetFlag(FLAGS_max_connections)},
           {"--max-connections-per-client", absl::GetFlag(FLAGS_max_connections_per_client)}}) {
    if (value < 1) return UsageError(absl::StrCat(name, " must be positive"));
  }
  http_options.max_sessions_per_client =
      static_cast<size_t>(absl::GetFlag(FLAGS_max_sessions_per_client));
  const size_t max_message_bytes = static_cast<size_t>(absl::GetFlag(FLAGS_max_message_bytes));
  http_options.max_body_bytes = max_message_bytes;
  http_options.max_in_flight = absl::GetFlag(FLAGS_max_calls);
  http_options.max_in_flight_per_session = absl::GetFlag(FLAGS_max_calls_per_session);
  http_options.max_in_flight_per_client = absl::GetFlag(FLAGS_max_calls_per_client);
  http_options.max_connections = static_cast<size_t>(absl::GetFlag(FLAGS_max_connections));
  http_options.max_connections_per_client =
      static_cast<size_t>(absl::GetFlag(FLAGS_max_connections_per_client));
  const absl::Duration request_timeout = absl::GetFlag(FLAGS_request_timeout);
  if (request_timeout < absl::Milliseconds(100)) {
    return UsageError("--request-timeout must be at least 100ms");
  }
  http_options.request_timeout =
      std::chrono::milliseconds(absl::ToInt64Milliseconds(request_timeout));
  const absl::Duration connection_idle = absl::GetFlag(FLAGS_connection_idle_timeout);
  if (connection_idle < absl::Milliseconds(100)) {
    return UsageError("--connection-idle-timeout must be at least 100ms");
  }
  http_options.connection_idle_timeout =
      std::chrono::milliseconds(absl::ToInt64Milliseconds(connection_idle));
  const std::string call_tool = absl::GetFlag(FLAGS_call);
  if (positional.size() > (call_tool.empty() ? 1u : 2u)) {
    return UsageError(absl::StrCat("unexpected argument '", positional.back(), "'"));
  }

  if (absl::GetFlag(FLAGS_list_tools)) {
    NoBackend none;
    McpServer server(**contract, none, options);
    std::cout << DumpJson(server.ListTools(), 2) << std::endl;
    return 0;
  }

  Json call_args = Json::object();
  if (!call_tool.empty()) {
    if (positional.size() == 2) {
      call_args = Json::parse(positional[1], nullptr, /*allow_exceptions=*/false);
      if (call_args.is_discarded() || !call_args.is_object()) {
        return UsageError("--call arguments must be a JSON object, e.g. '{\"pcap_file\": \"x\"}'");
      }
    }
  }

  std::vector<std::string> roots = absl::GetFlag(FLAGS_root);
  if (roots.empty() && transport == "http") {
    // Remote clients must not read the whole file system: default to the working directory.
    char cwd[4096];
    if (getcwd(cwd, sizeof cwd) != nullptr) roots.push_back(cwd);
  }
  options.roots = roots;  // completion offers only captures a call would be allowed to read

  // The backend: given replicas, or a private mcpcapd supervised by this (main) thread.
  std::unique_ptr<ChannelProvider> channels;
  Supervisor* supervisor = nullptr;
  if (!absl::GetFlag(FLAGS_backend).empty()) {
    absl::StatusOr<std::vector<std::string>> targets = ChannelTargets(absl::GetFlag(FLAGS_backend));
    if (!targets.ok()) return UsageError(std::string(targets.status().message()));
    channels = std::make_unique<StaticChannels>(*targets);
  } else {
    absl::StatusOr<std::string> binary = FindBackendBinary(absl::GetFlag(FLAGS_backend_binary));
    if (!binary.ok()) {
      Log(binary.status().message());
      return 1;
    }
    SupervisorOptions supervisor_options;
    supervisor_options.binary = *binary;
    supervisor_options.max_packets = options.max_packets;
    for (const std::string& root : roots) {
      supervisor_options.extra_args.push_back("--root");
      supervisor_options.extra_args.push_back(root);
    }
    if (absl::GetFlag(FLAGS_allow_private_urls)) {
      supervisor_options.extra_args.push_back("--allow_private_urls");
    }
    auto owned = std::make_unique<Supervisor>(supervisor_options);
    supervisor = owned.get();
    channels = std::move(owned);
    absl::Status started = supervisor->Start();
    if (!started.ok()) {
      Log(started.message());
      if (!call_tool.empty()) return 1;
      // Serving MCP anyway lets the client see the reason in each call's error.
    }
  }
  GrpcBackend backend(*channels, std::chrono::seconds(absl::GetFlag(FLAGS_call_timeout_seconds)));
  McpServer server(**contract, backend, options);
  server.RegisterResource(ServerStatusResource(backend));
  server.RegisterResourceTemplate(ToolSchemaResources(**contract));
  Shutdown shutdown(supervisor);

  std::thread([&shutdown, signals] {
    int sig = 0;
    sigwait(&signals, &sig);
    shutdown.Request(0);
  }).detach();

  std::thread worker([&] {
    if (!call_tool.empty()) {
      const ToolSpec* tool = server.FindTool(call_tool);
      if (tool == nullptr) {
        std::vector<std::string> names;
        for (const Json& t : server.ListTools()["tools"]) names.push_back(t["name"]);
        Log(absl::StrCat("unknown tool '", call_tool, "'; tools: ", absl::StrJoin(names, ", ")));
        shutdown.Request(kUsageError);
        return;
      }
      Json result = server.CallTool(*tool, call_args);
      if (result.value("isError", false)) {
        std::cerr << result["content"][0]["text"].get<std::string>() << std::endl;
        shutdown.Request(1);
        return;
      }
      std::cout << DumpJson(result["structuredContent"], 2) << std::endl;
      shutdown.Request(0);
      return;
    }
    if (transport == "http") {
      HttpTransport http(http_options);
      shutdown.Request(http.Serve(server));
      return;
    }
    StdioTransport stdio(STDIN_FILENO, stdout, /*max_in_flight=*/16, max_message_bytes);
    shutdown.Request(stdio.Serve(server));
  });

  const int code = shutdown.Wait();  // stops the private backend before returning
  std::fflush(stdout);
  std::fflush(stderr);
  // In-flight work after a signal is abandoned on purpose: exit without static destructors.
  std::_Exit(code);
  worker.join();  // not reached
  return code;
}

}  // namespace
}  // namespace mcpcap::gateway

int main(int argc, char** argv) { return mcpcap::gateway::Main(argc, argv); }
