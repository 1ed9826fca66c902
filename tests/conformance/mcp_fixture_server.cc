// Test-only MCP server for the conformance suite: the gateway's own engine and HTTP transport
// with the suite's fixtures registered instead of the contract's analyses.
//   mcp_fixture_server [PORT]   (0 or absent: any free port; the URL is logged on stderr)
#include <signal.h>

#include <cstdlib>
#include <iostream>

#include "gateway/transport/http_transport.h"
#include "tests/conformance/fixtures.h"

namespace {

class NoBackend : public mcpcap::gateway::Backend {
 public:
  grpc::Status Call(const std::string&, const std::string&, std::string*) override {
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, "no backend in the fixture server");
  }
};

}  // namespace

int main(int argc, char** argv) {
  using namespace mcpcap::gateway;
  signal(SIGPIPE, SIG_IGN);
  auto contract = Contract::LoadEmbedded();
  if (!contract.ok()) {
    std::cerr << "contract: " << contract.status() << "\n";
    return 1;
  }
  NoBackend backend;
  ServerOptions options;
  options.name = "mcpcap-conformance-fixtures";
  options.version = "1.0.0";
  options.contract_tools = false;
  options.backend_prompts = false;
  McpServer server(**contract, backend, options);
  fixtures::RegisterTools(server);
  fixtures::RegisterPrompts(server);
  fixtures::RegisterResources(server);
  HttpOptions http;
  http.port = argc > 1 ? std::atoi(argv[1]) : 0;
  HttpTransport transport(http);
  return transport.Serve(server);
}
