#include "gateway/mcp/log_level.h"

namespace mcpcap::gateway {
namespace {

constexpr const char* kNames[] = {"debug", "info",     "notice", "warning",
                                  "error", "critical", "alert",  "emergency"};

}  // namespace

const char* LogLevelName(LogLevel level) { return kNames[static_cast<int>(level)]; }

std::optional<LogLevel> ParseLogLevel(const std::string& name) {
  for (int i = 0; i < static_cast<int>(sizeof(kNames) / sizeof(kNames[0])); ++i) {
    if (name == kNames[i]) return static_cast<LogLevel>(i);
  }
  return std::nullopt;
}

}  // namespace mcpcap::gateway
