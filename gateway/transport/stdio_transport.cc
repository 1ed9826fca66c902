#include "gateway/transport/stdio_transport.h"

#include <unistd.h>

#include <cerrno>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gateway/jsonrpc/message.h"
#include "gateway/log.h"
#include "gateway/transport/line_splitter.h"

namespace mcpcap::gateway {

int StdioTransport::Serve(McpServer& server) {
  LineSplitter lines(max_line_bytes_);
  const auto on_line = [&](std::string_view line) {
    if (line.find_first_not_of(" \t\r") != std::string_view::npos) Dispatch(server, line);
  };
  const auto on_overlong = [&] {
    Write(DumpJson(jsonrpc::Error(
        nullptr, jsonrpc::kInvalidRequest,
        absl::StrCat("Invalid Request: a message is longer than the ", max_line_bytes_,
                     "-byte line limit; skipped to the next newline"))));
  };
  char buf[65536];
  while (true) {
    const ssize_t n = read(in_fd_, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // EOF or a broken stdin: the client is gone
    lines.Feed(std::string_view(buf, static_cast<size_t>(n)), on_line, on_overlong);
  }
  on_line(lines.Rest());
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [&] { return in_flight_ == 0; });
  return 0;
}

void StdioTransport::Dispatch(McpServer& server, std::string_view line) {
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
