// The result budget (--max-result-chars): an answer to a call that left max_results to its
// default must fit in N characters of text. When it does not, the gateway asks the backend again
// with fewer entries per listing (at least 1 for a page of a listing, down to 0 = statistics
// only otherwise); the answer's capture.partial_listings then says what each cut listing holds
// and gives the cursor to go on, and capture.warnings says that the page size was lowered.
// Page tokens are bound to the capture and the arguments but not to max_results, so pages of
// another size continue where the last one ended. A max_results the caller gave is obeyed.
// Characters are counted as UTF-8 bytes of the compact JSON text: never fewer than the
// characters (or UTF-16 units) a client counts.
//
// These helpers read the contract's paging fields by their .proto names (CaptureOptions'
// max_results and page_token, CaptureSummary's partial_listings and warnings, AIP-158's
// names), found by walking descriptors as everything else in the gateway.
#ifndef MCPCAP_GATEWAY_MCP_RESULT_BUDGET_H_
#define MCPCAP_GATEWAY_MCP_RESULT_BUDGET_H_

#include <google/protobuf/message.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "gateway/json/json.h"

namespace mcpcap::gateway {

// Default of --max-result-chars: under Claude Code's 25,000-token limit for a tool result
// (MAX_MCP_OUTPUT_TOKENS) and its 50,000-character threshold for saving a result to a file and
// showing the model only its path.
inline constexpr size_t kDefaultMaxResultChars = 40000;
// What we know of Claude Code (no specification; its changelog for 2.1.91 and what MCP servers
// and proxies that declare it report): an MCP tool's result over 50,000 characters is saved to a
// file unless the tool's entry in tools/list carries _meta {"anthropic/maxResultSizeChars": N},
// which raises that threshold for the tool to N, at most 500,000. A declaration at or below the
// default threshold gains nothing (and might lower it), so tools declare the budget only when it
// is larger; other clients ignore the key.
inline constexpr size_t kClientResultCharsThreshold = 50000;
inline constexpr size_t kClientResultCharsCeiling = 500000;

// What the budget may change in one request: the page size of its paging options.
struct PageSize {
  uint32_t current = 0;  // entries per listing the request asks for (its default when unset)
  uint32_t floor = 0;    // the least it may go down to: 1 for a page of a listing, else 0
};

// The page size a request's budget may lower: none when the request has no paging options or
// the caller gave max_results (explicit limits are obeyed exactly).
std::optional<PageSize> AdjustablePageSize(const google::protobuf::Message& request);

// Sets the request's max_results.
void SetMaxResults(google::protobuf::Message* request, uint32_t max_results);

// The page size to ask for next when `result` (the JSON of `response`, `chars` characters) is
// over `budget`: estimated from the size of the entries of the listings the response cut, always
// below `size.current` and at least `size.floor`. Pure, for tests.
uint32_t NextMaxResults(const google::protobuf::Message& response, const Json& result, size_t chars,
                        size_t budget, const PageSize& size);

// The "anthropic/maxResultSizeChars" a tool declares in its _meta for a budget of `budget`
// characters: none up to the client's default threshold (declaring less would only make the
// client save explicit larger answers to files), else the budget up to the client's ceiling.
std::optional<size_t> DeclaredMaxResultChars(size_t budget);

// Adds `note` to the response's capture.warnings (when it has them).
void AddCaptureWarning(google::protobuf::Message* response, const std::string& note);

}  // namespace mcpcap::gateway

#endif  // MCPCAP_GATEWAY_MCP_RESULT_BUDGET_H_
