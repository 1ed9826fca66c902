// The whole output schema of every tool as MCP resources, mcpcap://schemas/{tool}: tools/list
// offers each outputSchema cut to fit its budget (CompactOutputSchema), programs that want every
// nested field read it here.
#ifndef MCPCAP_GATEWAY_MCP_SCHEMA_RESOURCE_H_
#define MCPCAP_GATEWAY_MCP_SCHEMA_RESOURCE_H_

#include "gateway/mcp/registry.h"
#include "gateway/schema/contract.h"

namespace mcpcap::gateway {

inline constexpr char kToolSchemaUriTemplate[] = "mcpcap://schemas/{tool}";

// The template; reading a tool the contract does not define answers "Resource not found".
ResourceTemplateDef ToolSchemaResources(const Contract& contract);

}  // namespace mcpcap::gateway

#endif  // MCPCAP_GATEWAY_MCP_SCHEMA_RESOURCE_H_
