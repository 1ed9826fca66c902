// MCP Streamable HTTP (2025-11-25) at /mcp with cpp-httplib: POST carries one JSON-RPC message;
// a request is answered with plain JSON, or with an SSE stream when notifications (progress,
// log messages) precede its reply; notifications and responses get 202. Sessions per
// Mcp-Session-Id, Host/Origin validation, and bounds on sessions, body size and requests in
// flight. GET offers no server-initiated stream (405).
#ifndef MCPCAP_GATEWAY_TRANSPORT_HTTP_TRANSPORT_H_
#define MCPCAP_GATEWAY_TRANSPORT_HTTP_TRANSPORT_H_

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "gateway/transport/transport.h"

namespace mcpcap::gateway {

struct HttpOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (logged)
  std::vector<std::string> allowed_origins;
  std::chrono::seconds session_idle_timeout{30 * 60};
  size_t max_sessions = 1000;
  size_t max_body_bytes = 4 << 20;  // decoded (chunked is counted after decoding)
  int max_in_flight = 48;  // calls (tools, prompts, completion) in flight, all sessions together
  int max_in_flight_per_session = 8;
  int max_in_flight_per_client = 32;  // per remote address
  size_t max_sessions_per_client = 100;
  size_t max_connections = 1024;
  size_t max_connections_per_client = 64;                   // per remote address
  std::chrono::milliseconds request_timeout{10000};         // first to last byte of one request
  std::chrono::milliseconds connection_idle_timeout{5000};  // no request under way
};

class HttpTransport : public Transport {
 public:
  explicit HttpTransport(HttpOptions options);
  ~HttpTransport() override;

  // Binds, logs "serving MCP at http://HOST:PORT/mcp" and serves until the process ends.
  // Returns 1 when the address cannot be bound.
  int Serve(McpServer& server) override;

 private:
  struct Impl;
  HttpOptions options_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mcpcap::gateway

#endif  // MCPCAP_GATEWAY_TRANSPORT_HTTP_TRANSPORT_H_
