// JSON Schemas of contract messages: a request as MCP tool arguments, a response as the
// tool's outputSchema. Derived by walking descriptors, so a new field or RPC needs no code here.
#ifndef MCPCAP_GATEWAY_SCHEMA_JSON_SCHEMA_H_
#define MCPCAP_GATEWAY_SCHEMA_JSON_SCHEMA_H_

#include <google/protobuf/descriptor.h>

#include <functional>
#include <string>

#include "gateway/json/json.h"

namespace mcpcap::gateway {

// Description of a field that has no comment of its own (may return "").
using FallbackDoc = std::function<std::string(const google::protobuf::FieldDescriptor*)>;

// Input schema: CaptureOptions fields flattened to the top level, fields named by McpName,
// `default` from (default_json), `required` from (required), no other properties allowed.
Json InputSchema(const google::protobuf::Descriptor* request, const FallbackDoc& fallback = {});

// Output schema: every field as MessageToJson writes it; required = the fields always present
// (non-optional scalars, repeated and map fields).
Json OutputSchema(const google::protobuf::Descriptor* response);

// What tools/list offers of an output schema: `full` as deep as fits `max_bytes` of compact JSON
// (at least the top-level fields and their types), deeper objects reduced to their type and no
// $defs. Every result that matches `full` matches it. tools/list must stay small for twenty tools;
// the whole schema is the resource mcpcap://schemas/{tool}.
Json CompactOutputSchema(const Json& full, size_t max_bytes);

}  // namespace mcpcap::gateway

#endif  // MCPCAP_GATEWAY_SCHEMA_JSON_SCHEMA_H_
