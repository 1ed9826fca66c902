// How the contract's types appear in MCP JSON: enum values as lowercase words, Timestamps as
// RFC 3339 strings, Durations as numbers in the field's unit under a key that names it. One
// place for these rules, shared by results, input arguments and schemas.
#ifndef MCPCAP_GATEWAY_CONVERT_JSON_VALUES_H_
#define MCPCAP_GATEWAY_CONVERT_JSON_VALUES_H_

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "gateway/json/json.h"

namespace mcpcap::gateway {

// "high" for SEVERITY_HIGH: the (json_value) option, else the name without the enum's
// UPPER_SNAKE prefix, in lowercase.
const std::string& EnumJsonName(const google::protobuf::EnumValueDescriptor* value);
// The value whose JSON name or full name equals `text`, ignoring case; null when none does. The
// zero (UNSPECIFIED) value is never matched by name.
const google::protobuf::EnumValueDescriptor* FindEnumValue(
    const google::protobuf::EnumDescriptor* type, absl::string_view text);
// JSON names of every value but the zero one, in declaration order.
std::vector<std::string> EnumJsonNames(const google::protobuf::EnumDescriptor* type);

bool IsTimestamp(const google::protobuf::Descriptor* type);
bool IsDuration(const google::protobuf::Descriptor* type);

// The field's name in MCP JSON (tool arguments, results, schemas, messages): its (mcp_name)
// option, else its .proto name.
const std::string& McpName(const google::protobuf::FieldDescriptor* field);
// The field of `type` whose McpName is `name`, or null: a field renamed by (mcp_name) is not
// found by its .proto name.
const google::protobuf::FieldDescriptor* FindFieldByMcpName(
    const google::protobuf::Descriptor* type, absl::string_view name);
// The field's JSON key in results: its McpName, with "_<unit>" appended for a Duration with a
// (unit) option.
const std::string& JsonKey(const google::protobuf::FieldDescriptor* field);

// `text` with every whole-word occurrence (letters, digits and '_' make a word) of a `from`
// replaced by its `to`: the .proto names a backend message or prompt uses, as MCP spells them.
std::string RenameWords(const std::string& text,
                        const std::vector<std::pair<std::string, std::string>>& renames);

// "2023-11-14T22:13:20.010Z": UTC, with 0, 3, 6 or 9 fractional digits as needed.
std::string FormatRfc3339(int64_t seconds, int32_t nanos);
// A Duration as a number in `unit` ("ms", "s", "us"; seconds when empty or unknown).
Json DurationNumber(int64_t seconds, int32_t nanos, absl::string_view unit);

// A Timestamp or Duration message as its JSON value (see above); `field` gives the unit.
Json WellKnownToJson(const google::protobuf::Message& message,
                     const google::protobuf::FieldDescriptor* field);

}  // namespace mcpcap::gateway

#endif  // MCPCAP_GATEWAY_CONVERT_JSON_VALUES_H_
