// The backend's state as an MCP resource: mcpcap://server/status, the JSON of
// ServerStatusService.GetServerStatus (result cache entries, memory, hits and misses; captures
// held), read through the gateway's backend channel. With several --backend replicas it is the
// state of the one that answered.
#ifndef MCPCAP_GATEWAY_MCP_STATUS_RESOURCE_H_
#define MCPCAP_GATEWAY_MCP_STATUS_RESOURCE_H_

#include "gateway/backend/backend.h"
#include "gateway/mcp/registry.h"

namespace mcpcap::gateway {

inline constexpr char kServerStatusUri[] = "mcpcap://server/status";

// The resource; reading it throws std::runtime_error with the backend's error when the call
// fails (resources/read answers it as an internal error).
ResourceDef ServerStatusResource(Backend& backend);

}  // namespace mcpcap::gateway

#endif  // MCPCAP_GATEWAY_MCP_STATUS_RESOURCE_H_
