#include "gateway/transport/stdio_transport.h"

#include <unistd.h>

#include <cerrno>
#include <thread>

#include "gateway/jsonrpc/message.h"
#include "gateway/log.h"

namespace mcpcap::gateway {

int StdioTransport::Serve(McpServer& server) {
  std::string pending;
  char buf[65536];
  while (true) {
    const ssize_t n = read(in_fd_, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // EOF or a broken stdin: the client is gone
    pending.append(buf, static_cast<size_t>(n));
    size_t start = 0;
    for (size_t nl; (nl = pending.find('\n', start)) != std::string::npos; start = nl + 1) {
      std::string line = pending.substr(start, nl - start);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.find_first_not_of(" \t") == std::string::npos) continue;
      Dispatch(server, line);
    }
    pending.erase(0, start);
  }
  if (pending.find_first_not_of(" \t\r") != std::string::npos) Dispatch(server, pending);
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [&] { return in_flight_ == 0; });
  return 0;
}

void StdioTransport::Dispatch(McpServer& server, const std::string& line) {
  jsonrpc::Incoming message = jsonrpc::Parse(line);
  // Notifications of a request (progress, log messages) are lines like any other.
  NotificationSink sink = [this](const Json& notification) { Write(DumpJson(notification)); };
  if (!McpServer::IsSlow(message)) {
    if (std::optional<Json> reply = server.Handle(message, session_, sink)) {
      Write(DumpJson(*reply));
    }
    return;
  }
  {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return in_flight_ < max_in_flight_; });
    ++in_flight_;
  }
  std::thread([this, &server, sink, message = std::move(message)] {
    if (std::optional<Json> reply = server.Handle(message, session_, sink)) {
      Write(DumpJson(*reply));
    }
    std::lock_guard<std::mutex> lock(mu_);
    --in_flight_;
    cv_.notify_all();
  }).detach();
}

void StdioTransport::Write(const std::string& text) {
  std::lock_guard<std::mutex> lock(write_mu_);
  std::fwrite(text.data(), 1, text.size(), out_);
  std::fputc('\n', out_);
  if (std::fflush(out_) != 0) Log("cannot write to stdout");
}

}  // namespace mcpcap::gateway
