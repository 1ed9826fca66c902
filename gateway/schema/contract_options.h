// Reads the contract's custom options ((mcpcap.v1.tool), (required), (default_json), (unit),
// (json_value), (mcp_name), (mcp_hidden)) from any descriptor pool, generated or built at run
// time, by their wire form: no generated code needed.
#ifndef MCPCAP_GATEWAY_SCHEMA_CONTRACT_OPTIONS_H_
#define MCPCAP_GATEWAY_SCHEMA_CONTRACT_OPTIONS_H_

#include <google/protobuf/descriptor.h>

#include <optional>
#include <string>

namespace mcpcap::gateway {

struct ToolOption {
  std::string name;
  std::string module;
  std::string title;
};

// The (mcpcap.v1.tool) option of an RPC, if it has one.
std::optional<ToolOption> GetToolOption(const google::protobuf::MethodDescriptor* method);
// The (mcpcap.v1.required) option of a field.
bool IsRequiredField(const google::protobuf::FieldDescriptor* field);
// The (mcpcap.v1.mcp_hidden) option of a field: not an MCP argument.
bool IsHiddenField(const google::protobuf::FieldDescriptor* field);
// The (mcpcap.v1.default_json) option of a field, if set.
std::optional<std::string> GetDefaultJson(const google::protobuf::FieldDescriptor* field);

// The (mcpcap.v1.mcp_name) option of a field: its key in MCP JSON when not its name, if set.
std::optional<std::string> GetMcpName(const google::protobuf::FieldDescriptor* field);

// The (mcpcap.v1.unit) option of a google.protobuf.Duration field ("ms", "s", "us"), if set.
std::optional<std::string> GetUnit(const google::protobuf::FieldDescriptor* field);
// The (mcpcap.v1.json_value) option of an enum value, if set.
std::optional<std::string> GetJsonValue(const google::protobuf::EnumValueDescriptor* value);

// True for a field the gateway offers as top-level arguments (the CaptureOptions message).
bool IsFlattenedField(const google::protobuf::FieldDescriptor* field);

}  // namespace mcpcap::gateway

#endif  // MCPCAP_GATEWAY_SCHEMA_CONTRACT_OPTIONS_H_
