#include "backend/service/request_strings.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "backend/base/error_details.h"
#include "google/protobuf/descriptor.h"

namespace mcpcap {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

absl::Status NulError(const std::string& path) {
  return FieldError(path,
                    absl::StrCat(path, " contains a NUL byte (\\0); strings may not contain NUL"));
}

// Parsed messages nest at most 100 deep (protobuf's recursion limit), so recursion is bounded.
absl::Status CheckMessage(const Message& message, const std::string& prefix) {
  const Reflection* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    const std::string path =
        prefix.empty() ? field->name() : absl::StrCat(prefix, ".", field->name());
    if (field->type() == FieldDescriptor::TYPE_STRING) {
      if (field->is_repeated()) {
        const int n = reflection->FieldSize(message, field);
        for (int i = 0; i < n; ++i) {
          std::string scratch;
          const std::string& value =
              reflection->GetRepeatedStringReference(message, field, i, &scratch);
          if (value.find('\0') != std::string::npos)
            return NulError(absl::StrCat(path, "[", i, "]"));
        }
      } else {
        std::string scratch;
        if (reflection->GetStringReference(message, field, &scratch).find('\0') !=
            std::string::npos) {
          return NulError(path);
        }
      }
    } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (field->is_repeated()) {
        const int n = reflection->FieldSize(message, field);
        for (int i = 0; i < n; ++i) {
          absl::Status nested =
              CheckMessage(reflection->GetRepeatedMessage(message, field, i), path);
          if (!nested.ok()) return nested;
        }
      } else {
        absl::Status nested = CheckMessage(reflection->GetMessage(message, field), path);
        if (!nested.ok()) return nested;
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckRequestStrings(const Message& request) { return CheckMessage(request, ""); }

}  // namespace mcpcap
