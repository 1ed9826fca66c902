// MCP logging levels (RFC 5424 names, in order of severity).
#ifndef MCPCAP_GATEWAY_MCP_LOG_LEVEL_H_
#define MCPCAP_GATEWAY_MCP_LOG_LEVEL_H_

#include <optional>
#include <string>

namespace mcpcap::gateway {

enum class LogLevel { kDebug, kInfo, kNotice, kWarning, kError, kCritical, kAlert, kEmergency };

const char* LogLevelName(LogLevel level);
std::optional<LogLevel> ParseLogLevel(const std::string& name);

}  // namespace mcpcap::gateway

#endif  // MCPCAP_GATEWAY_MCP_LOG_LEVEL_H_
