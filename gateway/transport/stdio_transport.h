// MCP over stdio: newline-delimited JSON-RPC on stdin/stdout. Requests that wait on the backend
// run on their own threads (bounded), so a slow analysis does not block pings or other calls;
// replies and notifications are written whole, one at a time.
#ifndef MCPCAP_GATEWAY_TRANSPORT_STDIO_TRANSPORT_H_
#define MCPCAP_GATEWAY_TRANSPORT_STDIO_TRANSPORT_H_

#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>

#include "gateway/transport/transport.h"

namespace mcpcap::gateway {

class StdioTransport : public Transport {
 public:
  // Reads from `in_fd`, writes to `out`; at most `max_in_flight` concurrent slow requests;
  // a line (one message) longer than `max_line_bytes` is answered with an error and skipped.
  StdioTransport(int in_fd, std::FILE* out, int max_in_flight = 16,
                 size_t max_line_bytes = kDefaultMaxLineBytes)
      : in_fd_(in_fd), out_(out), max_in_flight_(max_in_flight), max_line_bytes_(max_line_bytes) {}

  static constexpr size_t kDefaultMaxLineBytes = 4 << 20;

  int Serve(McpServer& server) override;

 private:
  void Dispatch(McpServer& server, std::string_view line);
  void Write(const std::string& text);

  int in_fd_;
  std::FILE* out_;
  int max_in_flight_;
  size_t max_line_bytes_;
  Session session_;  // stdio is one connection, so one MCP session

  std::mutex write_mu_;
  std::mutex mu_;
  std::condition_variable cv_;
  int in_flight_ = 0;
};

}  // namespace mcpcap::gateway

#endif  // MCPCAP_GATEWAY_TRANSPORT_STDIO_TRANSPORT_H_
