#include "gateway/schema/contract.h"

#include <google/protobuf/descriptor.pb.h>

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "gateway/convert/json_values.h"
#include "gateway/schema/comments.h"
#include "gateway/schema/contract_options.h"
#include "gateway/schema/json_schema.h"
#include "mcpcap/proto/descriptor_set.h"

namespace mcpcap::gateway {

namespace pb = google::protobuf;

absl::StatusOr<std::unique_ptr<Contract>> Contract::LoadEmbedded() {
  return FromDescriptorSet(mcpcap::proto::DescriptorSetBytes());
}

absl::StatusOr<std::unique_ptr<Contract>> Contract::FromDescriptorSet(std::string_view bytes) {
  pb::FileDescriptorSet set;
  if (!set.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::InvalidArgumentError("the contract's descriptor set does not parse");
  }
  std::unique_ptr<Contract> contract(new Contract());
  // --include_imports lists dependencies first, so files build in order.
  for (const pb::FileDescriptorProto& file : set.file()) {
    if (contract->pool_.BuildFile(file) == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("cannot build ", file.name()));
    }
  }
  absl::Status status = contract->Build();
  if (!status.ok()) return status;
  return contract;
}

absl::Status Contract::Build() {
  const pb::ServiceDescriptor* service = pool_.FindServiceByName(kAnalysisService);
  if (service == nullptr) {
    return absl::NotFoundError(absl::StrCat("service ", kAnalysisService, " missing"));
  }
  // Request fields without a comment borrow the first comment of a same-named request field
  // (pcap_file, server_ip, ... are documented once in the contract).
  std::map<std::string, std::string> shared_docs;
  for (int i = 0; i < service->method_count(); ++i) {
    if (!GetToolOption(service->method(i))) continue;  // e.g. Analyze, which wraps the others
    const pb::Descriptor* req = service->method(i)->input_type();
    for (int j = 0; j < req->field_count(); ++j) {
      std::string doc = CommentOf(req->field(j));
      if (!doc.empty()) shared_docs.emplace(req->field(j)->name(), doc);
    }
  }
  FallbackDoc fallback = [&shared_docs](const pb::FieldDescriptor* f) -> std::string {
    auto it = shared_docs.find(f->name());
    return it == shared_docs.end() ? "" : it->second;
  };

  for (int i = 0; i < service->method_count(); ++i) {
    const pb::MethodDescriptor* m = service->method(i);
    std::optional<ToolOption> option = GetToolOption(m);
    if (!option || option->name.empty()) continue;  // an RPC that is not a tool
    ToolSpec tool;
    tool.name = option->name;
    tool.module = option->module;
    tool.title = option->title;
    tool.description = CommentOf(m);
    if (tool.description.empty()) tool.description = option->title;
    tool.method_path = absl::StrCat("/", service->full_name(), "/", m->name());
    tool.request = m->input_type();
    tool.response = m->output_type();
    tool.input_schema = InputSchema(tool.request, fallback);
    tool.full_output_schema = OutputSchema(tool.response);
    tool.output_schema = CompactOutputSchema(tool.full_output_schema, kToolOutputSchemaBytes);
    tools_.push_back(std::move(tool));
  }
  if (tools_.empty()) return absl::NotFoundError("the contract defines no tools");

  // Every field name of the tools' messages and the MCP names it goes by.
  std::map<std::string, std::set<std::string>> spellings;
  std::set<const pb::Descriptor*> seen;
  std::vector<const pb::Descriptor*> todo;
  for (const ToolSpec& t : tools_) todo.insert(todo.end(), {t.request, t.response});
  while (!todo.empty()) {
    const pb::Descriptor* d = todo.back();
    todo.pop_back();
    if (!seen.insert(d).second) continue;
    for (int i = 0; i < d->field_count(); ++i) {
      const pb::FieldDescriptor* f = d->field(i);
      spellings[f->name()].insert(McpName(f));
      if (f->message_type() != nullptr) todo.push_back(f->message_type());
    }
  }
  for (const auto& [name, mcp] : spellings) {
    if (mcp.size() == 1 && *mcp.begin() != name) renames_.emplace_back(name, *mcp.begin());
  }
  // Descriptions are read by the model: the fields they name, as it names them.
  for (ToolSpec& t : tools_) {
    t.description = ToMcpText(t.description);
    RenameInDescriptions(&t.input_schema);
  }
  return absl::OkStatus();
}

void Contract::RenameInDescriptions(Json* schema) const {
  if (schema->is_array()) {
    for (Json& item : *schema) RenameInDescriptions(&item);
    return;
  }
  if (!schema->is_object()) return;
  for (auto it = schema->begin(); it != schema->end(); ++it) {
    if (it.key() == "description" && it.value().is_string()) {
      it.value() = ToMcpText(it.value().get<std::string>());
    } else {
      RenameInDescriptions(&it.value());
    }
  }
}

std::string Contract::ToMcpText(const std::string& text) const {
  return RenameWords(text, renames_);
}

const ToolSpec* Contract::FindTool(std::string_view name) const {
  for (const ToolSpec& t : tools_) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

std::vector<std::string> Contract::Modules() const {
  std::set<std::string> modules;
  for (const ToolSpec& t : tools_) modules.insert(t.module);
  return {modules.begin(), modules.end()};
}

std::unique_ptr<pb::Message> Contract::NewMessage(const pb::Descriptor* type) const {
  return std::unique_ptr<pb::Message>(factory_.GetPrototype(type)->New());
}

}  // namespace mcpcap::gateway
