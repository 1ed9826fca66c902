// The conformance suite's fixture tools, prompts and resources (exact names and contents from
// `conformance server --scenario NAME` of @modelcontextprotocol/conformance 0.1.13).
#ifndef MCPCAP_TESTS_CONFORMANCE_FIXTURES_H_
#define MCPCAP_TESTS_CONFORMANCE_FIXTURES_H_

#include "gateway/mcp/server.h"

namespace mcpcap::gateway::fixtures {

void RegisterTools(McpServer& server);
void RegisterPrompts(McpServer& server);
void RegisterResources(McpServer& server);

}  // namespace mcpcap::gateway::fixtures

#endif  // MCPCAP_TESTS_CONFORMANCE_FIXTURES_H_
