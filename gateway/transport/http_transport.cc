#include "gateway/transport/http_transport.h"

#include <httplib.h>

#include <algorithm>
#include <system_error>
#include <thread>

#include "absl/strings/str_cat.h"
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
// An SSE comment this often lets a dead client be noticed during a long call.
constexpr std::chrono::seconds kKeepAlive{15};

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

}  // namespace

struct HttpTransport::Impl {
  Impl(const HttpOptions& o, McpServer& s)
      : options(o), server(s), store(o.session_idle_timeout, o.max_sessions) {}

  void Post(const httplib::Request& req, httplib::Response& res);
  void Delete(const httplib::Request& req, httplib::Response& res);
  // Hands a request to its own thread and answers with JSON or SSE.
  void Run(jsonrpc::Incoming message, SessionStore::Lease lease, bool sse_allowed,
           httplib::Response& res);

  const HttpOptions options;
  McpServer& server;
  SessionStore store;
  std::unique_ptr<HostCheck> hosts;
  std::atomic<int> in_flight{0};
  httplib::Server http;
};

HttpTransport::HttpTransport(HttpOptions options) : options_(std::move(options)) {}
HttpTransport::~HttpTransport() = default;

void HttpTransport::Impl::Post(const httplib::Request& req, httplib::Response& res) {
  if (!Has(req.get_header_value("Content-Type"), "application/json")) {
    return SendError(res, 415, jsonrpc::kInvalidRequest,
                     "Unsupported Media Type: the body must be application/json");
  }
  const std::string accept = req.get_header_value("Accept");
  const bool sse_allowed = accept.empty() || Has(accept, "text/event-stream") || Has(accept, "*/*");
  const Json body = Json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) {
    return SendError(res, 400, jsonrpc::kParseError, "Parse error: the body is not valid JSON");
  }
  jsonrpc::Incoming message = jsonrpc::Classify(body);
  if (message.kind == jsonrpc::Incoming::Kind::kInvalid) {
    res.status = 400;
    res.set_content(DumpJson(message.error), "application/json");
    return;
  }
  const std::string session_id = req.get_header_value(kSessionHeader);
  const bool initialize =
      message.kind == jsonrpc::Incoming::Kind::kRequest && message.method == "initialize";

  if (initialize && session_id.empty()) {
    SessionStore::Lease lease = store.Create();
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
  Run(std::move(message), std::move(lease), sse_allowed, res);
}

void HttpTransport::Impl::Run(jsonrpc::Incoming message, SessionStore::Lease lease,
                              bool sse_allowed, httplib::Response& res) {
  if (in_flight.fetch_add(1) >= options.max_in_flight) {
    --in_flight;
    res.set_header("Retry-After", "1");
    return SendError(res, 503, jsonrpc::kInternalError, "Too many requests in flight; retry later");
  }
  auto stream = std::make_shared<ResponseStream>();
  auto held = std::make_shared<SessionStore::Lease>(std::move(lease));
  NotificationSink notify;
  if (sse_allowed) notify = [stream](const Json& n) { stream->Notify(n); };
  // The engine runs apart from the HTTP thread so its notifications can be streamed live.
  try {
    std::thread([this, stream, held, notify, message = std::move(message)] {
      stream->Finish(server.Handle(message, (*held)->mcp, notify));
      --in_flight;
    }).detach();
  } catch (const std::system_error& e) {  // out of threads: refuse rather than leak the slot
    --in_flight;
    return SendError(res, 503, jsonrpc::kInternalError, std::string("cannot start: ") + e.what());
  }

  if (stream->WaitReplyOnly()) {
    if (stream->reply()) {
      res.set_content(DumpJson(*stream->reply()), "application/json");
    } else {
      res.set_content("", "text/event-stream");  // cancelled: the spec wants no reply
    }
    return;
  }
  res.set_header("Cache-Control", "no-cache");
  res.set_chunked_content_provider("text/event-stream", [stream](size_t, httplib::DataSink& sink) {
    std::string out;
    const bool more =
        stream->NextEvents(&out, std::chrono::duration_cast<std::chrono::milliseconds>(kKeepAlive));
    if (more && out.empty()) out = ":\n\n";
    if (!out.empty() && !sink.write(out.data(), out.size())) return false;
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
  httplib::Server& http = impl.http;
  // Each request in flight holds a thread (waiting, or writing its SSE stream); the extra
  // threads keep pings and new sessions served when all of those are busy.
  const int threads = options_.max_in_flight + 16;
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
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
  return http.listen_after_bind() ? 0 : 1;
}

}  // namespace mcpcap::gateway
