// Diagnostics go to stderr, one line each: stdout belongs to the MCP protocol.
#ifndef MCPCAP_GATEWAY_LOG_H_
#define MCPCAP_GATEWAY_LOG_H_

#include "absl/strings/string_view.h"

namespace mcpcap::gateway {

// Writes "mcpcap: <text>\n" to stderr atomically with respect to other Log calls.
void Log(absl::string_view text);

}  // namespace mcpcap::gateway

#endif  // MCPCAP_GATEWAY_LOG_H_
