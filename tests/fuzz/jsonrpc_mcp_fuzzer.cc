// libFuzzer entry point for what a hostile MCP client controls: each input line is a JSON-RPC
// message handled by the MCP engine (over a backend that answers every call with an empty
// message), through the stdio line splitter; the whole input is also framed as HTTP requests
// arriving in pieces. Nothing may crash, recurse without bound or hold more than its limits.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "gateway/http/request_framer.h"
#include "gateway/jsonrpc/message.h"
#include "gateway/mcp/server.h"
#include "gateway/schema/contract.h"
#include "gateway/transport/line_splitter.h"

namespace {

using mcpcap::gateway::Json;

class EmptyBackend : public mcpcap::gateway::Backend {
 public:
  grpc::Status Call(const std::string&, const std::string&, std::string* response) override {
    response->clear();
    return grpc::Status::OK;
  }
};

mcpcap::gateway::McpServer& Server() {
  static std::unique_ptr<mcpcap::gateway::Contract> contract =
      *mcpcap::gateway::Contract::LoadEmbedded();
  static EmptyBackend backend;
  static mcpcap::gateway::ServerOptions options = [] {
    mcpcap::gateway::ServerOptions o;
    o.roots = {"/nonexistent-root"};  // completion walks nothing
    return o;
  }();
  static mcpcap::gateway::McpServer server(*contract, backend, options);
  return server;
}

void FrameHttp(std::string_view input) {
  mcpcap::gateway::RequestLimits limits;
  limits.max_head_bytes = 4096;
  limits.max_headers = 16;
  limits.max_body_bytes = 8192;
  mcpcap::gateway::RequestFramer framer(limits);
  std::string buffered;
  const size_t step = input.empty() ? 1 : 1 + static_cast<uint8_t>(input[0]) % 61;
  for (size_t pos = 0; pos < input.size(); pos += step) {
    buffered.append(input.substr(pos, step));
    const auto state = framer.Update(buffered);
    if (state == mcpcap::gateway::RequestFramer::State::kError) return;
    if (state == mcpcap::gateway::RequestFramer::State::kComplete) {
      if (framer.length() > buffered.size()) __builtin_trap();
      buffered.erase(0, framer.length());
      framer.Reset();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  mcpcap::gateway::Session session;
  size_t notifications = 0;
  const mcpcap::gateway::NotificationSink sink = [&](const Json& n) {
    notifications += mcpcap::gateway::DumpJson(n).size();
  };
  mcpcap::gateway::LineSplitter lines(1 << 16);
  auto on_line = [&](std::string_view line) {
    const mcpcap::gateway::jsonrpc::Incoming message = mcpcap::gateway::jsonrpc::Parse(line);
    if (std::optional<Json> reply = Server().Handle(message, session, sink)) {
      notifications += mcpcap::gateway::DumpJson(*reply).size();
    }
  };
  lines.Feed(input, on_line, [] {});
  on_line(lines.Rest());
  FrameHttp(input);
  return notifications == SIZE_MAX ? 1 : 0;
}
