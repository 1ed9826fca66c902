// MCP tool arguments (a JSON object) -> a request message, by walking its descriptor.
// Lax where the meaning is unambiguous ("80" for an integer, 80.0 for 80, "true" for a boolean),
// strict otherwise, with messages that name the argument and what was expected.
#ifndef MCPCAP_GATEWAY_CONVERT_ARGS_TO_MESSAGE_H_
#define MCPCAP_GATEWAY_CONVERT_ARGS_TO_MESSAGE_H_

#include <google/protobuf/message.h>

#include <string>

#include "absl/status/status.h"
#include "gateway/json/json.h"

namespace mcpcap::gateway {

// Fills `request` from `args`, whose keys are the fields' MCP names (McpName: a field renamed
// by (mcp_name) is unknown under its .proto name). CaptureOptions fields are taken from the top
// level into the options field. Rejects unknown argument names and missing (required) arguments;
// null means "not given". Returns InvalidArgument with a readable message on any problem.
absl::Status ArgsToMessage(const Json& args, google::protobuf::Message* request);

// The tool argument behind a field path of `request` ("options.bpf_filter" -> "bpf_filter",
// since CaptureOptions fields are top-level arguments; "options.page_token" -> "cursor", its
// (mcp_name)); what is not a field path of `request` is left unchanged.
std::string ArgumentNameOf(const google::protobuf::Descriptor* request,
                           const std::string& field_path);

// Caps options.max_packets of a request at `cap` (0 = no cap): min(caller's, cap), where the
// caller's 0 means "no limit" and so becomes `cap`.
void CapMaxPackets(google::protobuf::Message* request, uint64_t cap);

}  // namespace mcpcap::gateway

#endif  // MCPCAP_GATEWAY_CONVERT_ARGS_TO_MESSAGE_H_
