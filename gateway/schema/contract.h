// The tool table, derived at start-up from the contract's embedded descriptor set.
#ifndef MCPCAP_GATEWAY_SCHEMA_CONTRACT_H_
#define MCPCAP_GATEWAY_SCHEMA_CONTRACT_H_

#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "gateway/json/json.h"

namespace mcpcap::gateway {

// Bytes of compact JSON each tool's outputSchema may take in tools/list: twenty tools and their
// input schemas must stay under 60,000 bytes.
inline constexpr size_t kToolOutputSchemaBytes = 1800;

struct ToolSpec {
  std::string name;    // MCP tool name, from (mcpcap.v1.tool).name
  std::string module;  // --modules name
  std::string title;
  std::string description;  // the RPC's comment
  std::string method_path;  // "/mcpcap.v1.CaptureAnalysisService/AnalyzeCapinfos"
  const google::protobuf::Descriptor* request = nullptr;
  const google::protobuf::Descriptor* response = nullptr;
  Json input_schema;
  Json output_schema;       // as tools/list offers it (CompactOutputSchema)
  Json full_output_schema;  // every field (the resource mcpcap://schemas/{tool})
};

class Contract {
 public:
  static constexpr char kAnalysisService[] = "mcpcap.v1.CaptureAnalysisService";
  static constexpr char kPromptsService[] = "mcpcap.v1.PromptService";

  // The contract compiled into this binary.
  static absl::StatusOr<std::unique_ptr<Contract>> LoadEmbedded();
  // A serialized FileDescriptorSet (with source info for descriptions).
  static absl::StatusOr<std::unique_ptr<Contract>> FromDescriptorSet(std::string_view bytes);

  // Every tool, in the order of the service's RPCs.
  const std::vector<ToolSpec>& tools() const { return tools_; }
  const ToolSpec* FindTool(std::string_view name) const;
  // Sorted, distinct module names of the tools.
  std::vector<std::string> Modules() const;

  // A new empty message of a contract type (built over the embedded pool).
  std::unique_ptr<google::protobuf::Message> NewMessage(
      const google::protobuf::Descriptor* type) const;

  const google::protobuf::DescriptorPool& pool() const { return pool_; }

  // Text from the backend (an error message, a prompt) as an MCP client reads it: the .proto
  // names of fields renamed by (mcp_name) in the tools' messages spelled as MCP spells them
  // ("pass its next_page_token as page_token" -> "pass its next_cursor as cursor"). A name that
  // some field of the tools keeps unrenamed is left alone.
  std::string ToMcpText(const std::string& text) const;

 private:
  Contract() = default;
  absl::Status Build();
  // ToMcpText on every "description" of a schema.
  void RenameInDescriptions(Json* schema) const;

  google::protobuf::DescriptorPool pool_;
  mutable google::protobuf::DynamicMessageFactory factory_{&pool_};
  std::vector<ToolSpec> tools_;
  std::vector<std::pair<std::string, std::string>> renames_;  // for ToMcpText
};

}  // namespace mcpcap::gateway

#endif  // MCPCAP_GATEWAY_SCHEMA_CONTRACT_H_
