#include "gateway/mcp/registry.h"

namespace mcpcap::gateway {

std::optional<std::map<std::string, std::string>> MatchUriTemplate(const std::string& uri_template,
                                                                   const std::string& uri) {
  std::map<std::string, std::string> vars;
  size_t t = 0;
  size_t u = 0;
  while (t < uri_template.size()) {
    if (uri_template[t] != '{') {
      if (u >= uri.size() || uri[u] != uri_template[t]) return std::nullopt;
      ++t;
      ++u;
      continue;
    }
    const size_t close = uri_template.find('}', t);
    if (close == std::string::npos) return std::nullopt;
    const std::string name = uri_template.substr(t + 1, close - t - 1);
    t = close + 1;
    // The value runs to the next literal character of the template (or '/' or the end).
    const char stop = t < uri_template.size() ? uri_template[t] : '\0';
    size_t end = u;
    while (end < uri.size() && uri[end] != '/' && (stop == '\0' || uri[end] != stop)) ++end;
    if (end == u) return std::nullopt;
    vars[name] = uri.substr(u, end - u);
    u = end;
  }
  if (u != uri.size()) return std::nullopt;
  return vars;
}

}  // namespace mcpcap::gateway
