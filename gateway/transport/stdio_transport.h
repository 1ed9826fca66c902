// MCP over stdio: newline-delimited JSON-RPC on stdin/stdout. Requests that wait on the backend
// run on their own threads (bounded), so a slow analysis does not block pings or other calls;
// replies and notifications are written whole, one at a time.
#ifndef MCPCAP_GATEWAY_TRANSPORT_STDIO_TRANSPORT_H_
#define MCPCAP_GATEWAY_TRANSPORT_STDIO_TRANSPORT_H_

#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string>

#include "gateway/transport/transport.h"

namespace mcpcap::gateway {

class StdioTransport : public Transport {
 public:
  // Reads from `in_fd`, writes to `out`; at most `max_in_flight` concurrent slow requests.
  StdioTransport(int in_fd, std::FILE* out, int max_in_flight = 16)
      : in_fd_(in_fd), out_(out), max_in_flight_(max_in_flight) {}

  int Serve(McpServer& server) override;

 private:
  void Dispatch(McpServer& server, const std::string& line);
  void Write(const std::string& text);

  int in_fd_;
  std::FILE* out_;
  int max_in_flight_;
  Session session_;  // stdio is one connection, so one MCP session

  std::mutex write_mu_;
  std::mutex mu_;
  std::condition_variable cv_;
  int in_flight_ = 0;
};

}  // namespace mcpcap::gateway

#endif  // MCPCAP_GATEWAY_TRANSPORT_STDIO_TRANSPORT_H_
