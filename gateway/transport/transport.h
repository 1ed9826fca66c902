// The seam between MCP and how its messages travel: stdio now, Streamable HTTP later. A
// transport frames messages, feeds them to the McpServer and delivers the replies.
#ifndef MCPCAP_GATEWAY_TRANSPORT_TRANSPORT_H_
#define MCPCAP_GATEWAY_TRANSPORT_TRANSPORT_H_

#include "gateway/mcp/server.h"

namespace mcpcap::gateway {

class Transport {
 public:
  virtual ~Transport() = default;
  // Serves until the client goes away; in-flight requests are finished first. Returns an exit
  // code for the process.
  virtual int Serve(McpServer& server) = 0;
};

}  // namespace mcpcap::gateway

#endif  // MCPCAP_GATEWAY_TRANSPORT_TRANSPORT_H_
