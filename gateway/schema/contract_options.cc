#include "gateway/schema/contract_options.h"

#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/unknown_field_set.h>

namespace mcpcap::gateway {
namespace {

namespace pb = google::protobuf;

constexpr char kToolExtension[] = "mcpcap.v1.tool";
constexpr char kRequiredExtension[] = "mcpcap.v1.required";
constexpr char kDefaultJsonExtension[] = "mcpcap.v1.default_json";
constexpr char kHiddenExtension[] = "mcpcap.v1.mcp_hidden";
constexpr char kMcpNameExtension[] = "mcpcap.v1.mcp_name";
constexpr char kUnitExtension[] = "mcpcap.v1.unit";
constexpr char kJsonValueExtension[] = "mcpcap.v1.json_value";
constexpr char kFlattenedMessage[] = "mcpcap.v1.CaptureOptions";

// Options re-serialized and read as raw fields: this works whether or not the extension was
// linked into the binary (then it is parsed as an extension, else kept as unknown fields).
void RawOptions(const pb::Message& options, pb::UnknownFieldSet* raw) {
  raw->ParseFromString(options.SerializeAsString());
}

int ExtensionNumber(const pb::DescriptorPool* pool, const char* name) {
  const pb::FieldDescriptor* ext = pool->FindExtensionByName(name);
  return ext == nullptr ? -1 : ext->number();
}

const pb::UnknownField* FindRaw(const pb::UnknownFieldSet& raw, int number) {
  const pb::UnknownField* found = nullptr;
  for (int i = 0; i < raw.field_count(); ++i) {
    if (raw.field(i).number() == number) found = &raw.field(i);  // last one wins, as in proto
  }
  return found;
}

std::string ReadString(const pb::UnknownFieldSet& fields, int number) {
  const pb::UnknownField* f = FindRaw(fields, number);
  if (f == nullptr || f->type() != pb::UnknownField::TYPE_LENGTH_DELIMITED) return "";
  return f->length_delimited();
}

// A string-valued extension of any options message, if set.
std::optional<std::string> StringOption(const pb::DescriptorPool* pool, const char* extension,
                                        const pb::Message& options) {
  const int number = ExtensionNumber(pool, extension);
  if (number < 0) return std::nullopt;
  pb::UnknownFieldSet raw;
  RawOptions(options, &raw);
  const pb::UnknownField* f = FindRaw(raw, number);
  if (f == nullptr || f->type() != pb::UnknownField::TYPE_LENGTH_DELIMITED) return std::nullopt;
  return f->length_delimited();
}

// A bool-valued field option.
bool BoolOption(const pb::FieldDescriptor* field, const char* extension) {
  const int number = ExtensionNumber(field->file()->pool(), extension);
  if (number < 0) return false;
  pb::UnknownFieldSet raw;
  RawOptions(field->options(), &raw);
  const pb::UnknownField* f = FindRaw(raw, number);
  return f != nullptr && f->type() == pb::UnknownField::TYPE_VARINT && f->varint() != 0;
}

}  // namespace

std::optional<ToolOption> GetToolOption(const pb::MethodDescriptor* method) {
  const int number = ExtensionNumber(method->file()->pool(), kToolExtension);
  if (number < 0) return std::nullopt;
  pb::UnknownFieldSet raw;
  RawOptions(method->options(), &raw);
  const pb::UnknownField* f = FindRaw(raw, number);
  if (f == nullptr || f->type() != pb::UnknownField::TYPE_LENGTH_DELIMITED) return std::nullopt;
  pb::UnknownFieldSet tool;
  if (!tool.ParseFromString(f->length_delimited())) return std::nullopt;
  // ToolOptions: name = 1, module = 2, title = 3.
  return ToolOption{ReadString(tool, 1), ReadString(tool, 2), ReadString(tool, 3)};
}

bool IsRequiredField(const pb::FieldDescriptor* field) {
  return BoolOption(field, kRequiredExtension);
}

bool IsHiddenField(const pb::FieldDescriptor* field) { return BoolOption(field, kHiddenExtension); }

std::optional<std::string> GetDefaultJson(const pb::FieldDescriptor* field) {
  return StringOption(field->file()->pool(), kDefaultJsonExtension, field->options());
}

std::optional<std::string> GetMcpName(const pb::FieldDescriptor* field) {
  std::optional<std::string> name =
      StringOption(field->file()->pool(), kMcpNameExtension, field->options());
  if (name && name->empty()) return std::nullopt;
  return name;
}

std::optional<std::string> GetUnit(const pb::FieldDescriptor* field) {
  return StringOption(field->file()->pool(), kUnitExtension, field->options());
}

std::optional<std::string> GetJsonValue(const pb::EnumValueDescriptor* value) {
  return StringOption(value->file()->pool(), kJsonValueExtension, value->options());
}

bool IsFlattenedField(const pb::FieldDescriptor* field) {
  return field->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE && !field->is_repeated() &&
         field->message_type()->full_name() == kFlattenedMessage;
}

}  // namespace mcpcap::gateway
