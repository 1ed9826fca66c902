// Which of the contract's tools a gateway offers: --modules, --tools and --profile. A small
// profile keeps tools/list (which a client pays for on every turn) small for small contexts.
#ifndef MCPCAP_GATEWAY_MCP_TOOL_PROFILES_H_
#define MCPCAP_GATEWAY_MCP_TOOL_PROFILES_H_

#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gateway/schema/contract.h"

namespace mcpcap::gateway {

struct ToolProfile {
  std::string name;
  std::string summary;             // for --help and errors
  std::vector<std::string> tools;  // empty: every tool of the contract
};

// The profiles, "all" (the default) first.
const std::vector<ToolProfile>& ToolProfiles();

// The tools offered for the flags' values (comma-separated lists; empty = flag not given). Each
// flag given filters: a tool is offered when its module is in --modules, its name in --tools
// and in --profile's set. Unknown names, and a selection that leaves no tool, are
// InvalidArgument with the valid names. Returns the empty set when nothing filters by name
// (no --tools, --profile absent or "all"); --modules alone is not counted here.
absl::StatusOr<std::set<std::string>> SelectTools(const Contract& contract,
                                                  const std::set<std::string>& modules,
                                                  const std::string& tools_flag,
                                                  const std::string& profile_flag);

}  // namespace mcpcap::gateway

#endif  // MCPCAP_GATEWAY_MCP_TOOL_PROFILES_H_
