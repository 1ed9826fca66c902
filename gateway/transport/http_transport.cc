#include "gateway/transport/http_transport.h"

#include <httplib.h>

#include <algorithm>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gateway/http/call_shares.h"
#include "gateway/http/guarded_server.h"
#include "gateway/http/host_check.h"
#include "gateway/http/response_stream.h"
#include "gateway/http/session_store.h"
#include "gateway/jsonrpc/message.h"
#include "gateway/log.h"

namespace mcpcap::gateway {
namespace {

constexpr char kPath[] = "/mcp";
constexpr char kSessionHeader[] = "Mcp-Session-Id";
constexpr char kVersionHeader[] = "MCP-Protocol-Version";
// An SSE comment this often keeps proxies from closing a quiet stream.
constexpr std::chrono::seconds kKeepAlive{15};
// How often a waiting request looks whether its client is still connected.
constexpr std::chrono::milliseconds kClientCheck{250};

void SendError(httplib::Response& res, int status, int code, const std::string& message) {
  res.status = status;
  res.set_content(DumpJson(jsonrpc::Error(nullptr, code, message)), "application/json");
}

bool Supported(const std::string& version) {
  const std::vector<std::string>& v = SupportedProtocolVersions();
  return std::find(v.begin(), v.end(), version) != v.end();
}

bool Has(const std::string& haystack, const char* needle) {
  return haystack.find(needle) != std::string::npos;
}

ConnectionPolicy PolicyOf(const HttpOptions& o) {
  ConnectionPolicy p;
  p.request.max_body_bytes = o.max_body_bytes;
  p.max_connections = o.max_connections;
  p.max_connections_per_client = o.max_connections_per_client;
  p.request_timeout = o.request_timeout;
  p.idle_timeout = o.connection_idle_timeout;
  // Each request in flight holds a worker (waiting, or writing its SSE stream); the extra
  // workers keep pings and new sessions served when all of those are busy.
  p.workers = o.max_in_flight + 16;
  return p;
}

}  // namespace

struct HttpTransport::Impl {
  Impl(const HttpOptions& o, McpServer& s)
      : options(o),
        server(s),
        store(o.session_idle_timeout, o.max_sessions, o.max_sessions_per_client),
        shares({o.max_in_flight, o.max_in_flight_per_session, o.max_in_flight_per_client}),
        http(PolicyOf(o)) {}

  void Post(const httplib::Request& req, httplib::Response& res);
  void Delete(const httplib::Request& req, httplib::Response& res);
  // Hands a request to its own thread and answers with JSON or SSE.
  void Run(jsonrpc::Incoming message, SessionStore::Lease lease, bool sse_allowed,
           const std::string& client, httplib::Response& res);

  const HttpOptions options;
  McpServer& server;
  SessionStore store;
  CallShares shares;
  std::unique_ptr<HostCheck> hosts;
  GuardedServer http;

  // Calls running on threads of their own use this Impl: once the listener stops, they are
  // cancelled and waited for before it goes away.
  std::mutex calls_mu;
  std::condition_variable calls_done;
  std::map<uint64_t, std::shared_ptr<SessionStore::Lease>> calls;
  uint64_t next_call = 0;
  void CancelAndWaitForCalls();
};

void HttpTransport::Impl::CancelAndWaitForCalls() {
  std::unique_lock<std::mutex> lock(calls_mu);
  for (auto& [key, lease] : calls) (*lease)->mcp.CancelAll();
  calls_done.wait(lock, [this] { return calls.empty(); });
}

HttpTransport::HttpTransport(HttpOptions options) : options_(std::move(options)) {}
HttpTransport::~HttpTransport() = default;

void HttpTransport::Impl::Post(const httplib::Request& req, httplib::Response& res) {
  if (!Has(req.get_header_value("Content-Type"), "application/json")) {
    return SendError(res, 415, jsonrpc::kInvalidRequest,
                     "Unsupported Media Type: the body must be application/json");
  }
  const std::string accept = req.get_header_value("Accept");
  const bool sse_allowed = accept.empty() || Has(accept, "text/event-stream") || Has(accept, "*/*");
  jsonrpc::Incoming message = jsonrpc::Parse(req.body);
  if (message.kind == jsonrpc::Incoming::Kind::kInvalid) {
    res.status = 400;
    res.set_content(DumpJson(message.error), "application/json");
    return;
  }
  const std::string session_id = req.get_header_value(kSessionHeader);
  const bool initialize =
      message.kind == jsonrpc::Incoming::Kind::kRequest && message.method == "initialize";

  if (initialize && session_id.empty()) {
    SessionStore::Refusal refusal = SessionStore::Refusal::kNone;
    SessionStore::Lease lease = store.Create(req.remote_addr, &refusal);
    if (refusal == SessionStore::Refusal::kOwnerFull) {
      res.set_header("Retry-After", "60");
      return SendError(
          res, 429, jsonrpc::kInternalError,
          absl::StrCat("Too many sessions from this address (", options.max_sessions_per_client,
                       "); end unused ones (DELETE) or retry later"));
    }
    if (!lease) {
      return SendError(res, 503, jsonrpc::kInternalError,
                       "Too many sessions; end unused ones (DELETE) or retry later");
    }
    const std::string id = lease->id;
    std::optional<Json> reply = server.Handle(message, lease->mcp, nullptr);
    if (!reply || !reply->contains("result")) {
      lease = SessionStore::Lease();
      store.Remove(id);
    } else {
      res.set_header(kSessionHeader, id);
    }
    res.set_content(reply ? DumpJson(*reply) : "", "application/json");
    return;
  }
  if (session_id.empty()) {
    return SendError(res, 400, jsonrpc::kInvalidRequest,
                     "Bad Request: Mcp-Session-Id header required (initialize first)");
  }
  SessionStore::Lease lease = store.Find(session_id);
  if (!lease) {
    return SendError(res, 404, jsonrpc::kInvalidRequest,
                     "Session not found: it ended or expired; initialize a new one");
  }
  // Absent means 2025-03-26 per the spec; any revision we speak is accepted.
  const std::string version = req.get_header_value(kVersionHeader);
  if (!version.empty() && !Supported(version)) {
    return SendError(res, 400, jsonrpc::kInvalidRequest,
                     "Bad Request: unsupported MCP-Protocol-Version " + version);
  }
  if (message.kind != jsonrpc::Incoming::Kind::kRequest) {
    server.Handle(message, lease->mcp, nullptr);  // notifications/cancelled acts at once
    res.status = 202;
    return;
  }
  if (!McpServer::IsSlow(message)) {
    // ping, tools/list and the like answer at once: never queued, never refused for load.
    std::optional<Json> reply = server.Handle(message, lease->mcp, nullptr);
    res.set_content(reply ? DumpJson(*reply) : "", "application/json");
    return;
  }
  Run(std::move(message), std::move(lease), sse_allowed, req.remote_addr, res);
}

void HttpTransport::Impl::Run(jsonrpc::Incoming message, SessionStore::Lease lease,
                              bool sse_allowed, const std::string& client, httplib::Response& res) {
  const std::string session_id = lease->id;
  switch (shares.Acquire(session_id, client)) {
    case CallShares::Verdict::kAdmitted:
      break;
    case CallShares::Verdict::kSessionBusy:
      res.set_header("Retry-After", "1");
      return SendError(res, 429, jsonrpc::kInternalError,
                       absl::StrCat("This session already has ", options.max_in_flight_per_session,
                                    " calls in flight; retry later"));
    case CallShares::Verdict::kClientBusy:
      res.set_header("Retry-After", "1");
      return SendError(res, 429, jsonrpc::kInternalError,
                       absl::StrCat("This address already has ", options.max_in_flight_per_client,
                                    " calls in flight; retry later"));
    case CallShares::Verdict::kServerBusy:
      res.set_header("Retry-After", "1");
      return SendError(res, 503, jsonrpc::kInternalError,
                       "Too many requests in flight; retry later");
  }
  auto stream = std::make_shared<ResponseStream>();
  auto held = std::make_shared<SessionStore::Lease>(std::move(lease));
  const Json id = message.id;
  NotificationSink notify;
  if (sse_allowed) notify = [stream](const Json& n) { stream->Notify(n); };
  // The engine runs apart from the HTTP thread so its notifications can be streamed live.
  uint64_t call;
  {
    std::lock_guard<std::mutex> lock(calls_mu);
    call = next_call++;
    calls.emplace(call, held);
  }
  auto forget = [this, call] {
    std::lock_guard<std::mutex> lock(calls_mu);
    calls.erase(call);
    calls_done.notify_all();
  };
  try {
    std::thread([this, stream, held, notify, session_id, client, forget,
                 message = std::move(message)] {
      stream->Finish(server.Handle(message, (*held)->mcp, notify));
      shares.Release(session_id, client);
      forget();
    }).detach();
  } catch (const std::system_error& e) {  // out of threads: refuse rather than leak the slot
    shares.Release(session_id, client);
    forget();
    return SendError(res, 503, jsonrpc::kInternalError, std::string("cannot start: ") + e.what());
  }
  // A client that went away cancels its call, down to the backend (gRPC TryCancel).
  const int socket = GuardedServer::CurrentSocket();
  auto cancel_if_gone = [held, id, socket] {
    if (!GuardedServer::PeerGone(socket)) return false;
    (*held)->mcp.Cancel(id);
    return true;
  };

  while (!stream->WaitFirst(kClientCheck)) cancel_if_gone();
  if (stream->WaitReplyOnly()) {
    if (stream->reply()) {
      res.set_content(DumpJson(*stream->reply()), "application/json");
    } else {
      res.set_content("", "text/event-stream");  // cancelled: the spec wants no reply
    }
    return;
  }
  res.set_header("Cache-Control", "no-cache");
  res.set_chunked_content_provider("text/event-stream", [stream, cancel_if_gone](
                                                            size_t, httplib::DataSink& sink) {
    std::string out;
    bool more = true;
    for (auto quiet = std::chrono::milliseconds(0); more && out.empty(); quiet += kClientCheck) {
      more = stream->NextEvents(&out, kClientCheck);
      if (!more || !out.empty()) break;
      if (cancel_if_gone()) return false;
      if (quiet >= kKeepAlive) out = ":\n\n";
    }
    if (!out.empty() && !sink.write(out.data(), out.size())) {
      cancel_if_gone();
      return false;
    }
    if (!more) sink.done();
    return true;
  });
}

void HttpTransport::Impl::Delete(const httplib::Request& req, httplib::Response& res) {
  const std::string session_id = req.get_header_value(kSessionHeader);
  if (session_id.empty()) {
    return SendError(res, 400, jsonrpc::kInvalidRequest,
                     "Bad Request: Mcp-Session-Id header required");
  }
  if (!store.Remove(session_id)) {
    return SendError(res, 404, jsonrpc::kInvalidRequest, "Session not found");
  }
  res.status = 200;
}

int HttpTransport::Serve(McpServer& server) {
  impl_ = std::make_unique<Impl>(options_, server);
  Impl& impl = *impl_;
  GuardedServer& http = impl.http;
  http.set_payload_max_length(options_.max_body_bytes);
  http.set_pre_routing_handler([&impl](const httplib::Request& req, httplib::Response& res) {
    if (!impl.hosts->HostAllowed(req.get_header_value("Host"))) {
      SendError(res, 403, jsonrpc::kInvalidRequest, "Forbidden: Host not allowed");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (!impl.hosts->OriginAllowed(req.get_header_value("Origin"))) {
      SendError(res, 403, jsonrpc::kInvalidRequest, "Forbidden: Origin not allowed");
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  http.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown";
        try {
          std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        Log("HTTP handler error: " + what);
        SendError(res, 500, jsonrpc::kInternalError, "Internal error: " + what);
      });
  http.Post(kPath,
            [&impl](const httplib::Request& req, httplib::Response& res) { impl.Post(req, res); });
  http.Delete(kPath, [&impl](const httplib::Request& req, httplib::Response& res) {
    impl.Delete(req, res);
  });
  // No server-initiated stream: the spec's answer is 405.
  http.Get(kPath, [](const httplib::Request&, httplib::Response& res) {
    res.status = 405;
    res.set_header("Allow", "POST, DELETE");
  });

  int port = options_.port;
  if (port == 0) {
    port = http.bind_to_any_port(options_.host);
  } else if (!http.bind_to_port(options_.host, port)) {
    port = -1;
  }
  if (port <= 0) {
    Log(absl::StrCat("cannot listen on ", options_.host, ":", options_.port));
    return 1;
  }
  impl.hosts = std::make_unique<HostCheck>(options_.host, port, options_.allowed_origins);
  const bool v6 = options_.host.find(':') != std::string::npos;
  Log(absl::StrCat("serving MCP at http://", v6 ? "[" : "", options_.host, v6 ? "]" : "", ":", port,
                   kPath));
  const bool served = http.listen_after_bind();
  impl.CancelAndWaitForCalls();
  return served ? 0 : 1;
}

}  // namespace mcpcap::gateway
