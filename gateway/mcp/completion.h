// completion/complete helpers: capture files for a pcap_file argument, prefix filtering.
#ifndef MCPCAP_GATEWAY_MCP_COMPLETION_H_
#define MCPCAP_GATEWAY_MCP_COMPLETION_H_

#include <string>
#include <vector>

#include "gateway/json/json.h"

namespace mcpcap::gateway {

// Files ending in .pcap, .pcapng or .cap (optionally .gz) whose path starts with `prefix`:
// relative to `base` for a relative prefix, absolute for an absolute one. With `roots`, only
// files whose real path (symlinks resolved) is inside one of them, as a tool call would accept;
// a prefix naming a directory outside the roots walks the roots instead. The walk is bounded
// (depth, entries visited) so a huge tree cannot stall the reply; the result is sorted.
std::vector<std::string> CaptureFileCandidates(const std::string& base, const std::string& prefix,
                                               const std::vector<std::string>& roots = {});

// The CompleteResult for `candidates` starting with `prefix`: at most 100 values, with the
// total and hasMore as the spec describes.
Json CompletionResult(const std::vector<std::string>& candidates, const std::string& prefix);

}  // namespace mcpcap::gateway

#endif  // MCPCAP_GATEWAY_MCP_COMPLETION_H_
