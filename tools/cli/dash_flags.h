// Both binaries document their flags with dashes (--max-packets); absl spells them with
// underscores. This rewrites flag names (not values) before absl parses them.
#ifndef MCPCAP_TOOLS_CLI_DASH_FLAGS_H_
#define MCPCAP_TOOLS_CLI_DASH_FLAGS_H_

#include <algorithm>
#include <string>
#include <vector>

namespace mcpcap {

inline std::vector<std::string> DashesToUnderscores(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  for (size_t i = 1; i < args.size(); ++i) {
    std::string& a = args[i];
    if (a == "--") break;
    if (a.size() < 3 || a[0] != '-') continue;
    const size_t name_start = a[1] == '-' ? 2 : 1;
    const size_t name_end = std::min(a.find('='), a.size());
    for (size_t j = name_start; j < name_end; ++j) {
      if (a[j] == '-') a[j] = '_';
    }
  }
  return args;
}

}  // namespace mcpcap

#endif  // MCPCAP_TOOLS_CLI_DASH_FLAGS_H_
