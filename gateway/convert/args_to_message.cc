#include "gateway/convert/args_to_message.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gateway/convert/json_values.h"
#include "gateway/schema/contract_options.h"

namespace mcpcap::gateway {
namespace {

namespace pb = google::protobuf;
using FD = pb::FieldDescriptor;

std::string Shown(const Json& v) {
  std::string text = DumpJson(v);
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return text;
}

std::string TypeName(const Json& v) {
  switch (v.type()) {
    case Json::value_t::string:
      return "a string";
    case Json::value_t::boolean:
      return "a boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
      return "an integer";
    case Json::value_t::number_float:
      return "a number";
    case Json::value_t::array:
      return "an array";
    case Json::value_t::object:
      return "an object";
    default:
      return "null";
  }
}

absl::Status WrongType(const std::string& path, const char* expected, const Json& v) {
  return absl::InvalidArgumentError(absl::StrCat("argument '", path, "' must be ", expected,
                                                 ", got ", TypeName(v), " ", Shown(v)));
}

// An integer argument as int128-ish pair: accepts integers, integral floats and digit strings.
bool ToInteger(const Json& v, bool* negative, uint64_t* magnitude) {
  if (v.is_number_unsigned()) {
    *negative = false;
    *magnitude = v.get<uint64_t>();
    return true;
  }
  if (v.is_number_integer()) {
    int64_t i = v.get<int64_t>();
    *negative = i < 0;
    *magnitude = i < 0 ? static_cast<uint64_t>(-(i + 1)) + 1 : static_cast<uint64_t>(i);
    return true;
  }
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (!std::isfinite(d) || d != std::floor(d) || std::fabs(d) >= 1.8446744073709552e19) {
      return false;
    }
    *negative = d < 0;
    *magnitude = static_cast<uint64_t>(std::fabs(d));
    return true;
  }
  if (v.is_string()) {
    std::string s(absl::StripAsciiWhitespace(v.get<std::string>()));
    if (s.empty()) return false;
    *negative = s[0] == '-';
    if (*negative) s.erase(0, 1);
    if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos) return false;
    return absl::SimpleAtoi(s, magnitude);
  }
  return false;
}

absl::Status SetScalar(pb::Message* m, const FD* f, const Json& v, const std::string& path,
                       bool repeated) {
  const pb::Reflection* r = m->GetReflection();
  switch (f->cpp_type()) {
    case FD::CPPTYPE_STRING: {
      if (!v.is_string()) return WrongType(path, "a string", v);
      std::string s = v.get<std::string>();
      // C APIs downstream (paths, filters, URLs) would stop at the NUL and act on a prefix.
      if (s.find('\0') != std::string::npos) {
        return absl::InvalidArgumentError(
            absl::StrCat("argument '", path, "' must not contain a NUL character"));
      }
      repeated ? r->AddString(m, f, std::move(s)) : r->SetString(m, f, std::move(s));
      return absl::OkStatus();
    }
    case FD::CPPTYPE_INT32:
    case FD::CPPTYPE_INT64:
    case FD::CPPTYPE_UINT32:
    case FD::CPPTYPE_UINT64: {
      bool negative = false;
      uint64_t mag = 0;
      if (!ToInteger(v, &negative, &mag)) return WrongType(path, "an integer", v);
      const bool is_signed =
          f->cpp_type() == FD::CPPTYPE_INT32 || f->cpp_type() == FD::CPPTYPE_INT64;
      const bool wide = f->cpp_type() == FD::CPPTYPE_INT64 || f->cpp_type() == FD::CPPTYPE_UINT64;
      const uint64_t max_positive =
          is_signed ? (wide ? INT64_MAX : INT32_MAX) : (wide ? UINT64_MAX : UINT32_MAX);
      const uint64_t max_negative = is_signed ? (wide ? uint64_t{1} << 63 : uint64_t{1} << 31) : 0;
      if ((negative && mag > max_negative) || (!negative && mag > max_positive)) {
        return absl::InvalidArgumentError(absl::StrCat("argument '", path,
                                                       "' is out of range: ", Shown(v),
                                                       is_signed ? "" : " (must be 0 or more)"));
      }
      if (negative && mag == 0) negative = false;
      switch (f->cpp_type()) {
        case FD::CPPTYPE_INT32: {
          int32_t x = negative ? static_cast<int32_t>(-static_cast<int64_t>(mag))
                               : static_cast<int32_t>(mag);
          repeated ? r->AddInt32(m, f, x) : r->SetInt32(m, f, x);
          break;
        }
        case FD::CPPTYPE_INT64: {
          int64_t x = negative ? static_cast<int64_t>(~mag + 1) : static_cast<int64_t>(mag);
          repeated ? r->AddInt64(m, f, x) : r->SetInt64(m, f, x);
          break;
        }
        case FD::CPPTYPE_UINT32:
          repeated ? r->AddUInt32(m, f, static_cast<uint32_t>(mag))
                   : r->SetUInt32(m, f, static_cast<uint32_t>(mag));
          break;
        default:
          repeated ? r->AddUInt64(m, f, mag) : r->SetUInt64(m, f, mag);
          break;
      }
      return absl::OkStatus();
    }
    case FD::CPPTYPE_DOUBLE:
    case FD::CPPTYPE_FLOAT: {
      double d = 0;
      if (v.is_number()) {
        d = v.get<double>();
      } else if (!v.is_string() || !absl::SimpleAtod(v.get<std::string>(), &d) ||
                 !std::isfinite(d)) {
        return WrongType(path, "a number", v);
      }
      if (f->cpp_type() == FD::CPPTYPE_DOUBLE) {
        repeated ? r->AddDouble(m, f, d) : r->SetDouble(m, f, d);
      } else {
        repeated ? r->AddFloat(m, f, static_cast<float>(d))
                 : r->SetFloat(m, f, static_cast<float>(d));
      }
      return absl::OkStatus();
    }
    case FD::CPPTYPE_BOOL: {
      bool b = false;
      if (v.is_boolean()) {
        b = v.get<bool>();
      } else if (v.is_number_integer() && (v.get<int64_t>() == 0 || v.get<int64_t>() == 1)) {
        b = v.get<int64_t>() == 1;
      } else if (v.is_string()) {
        std::string s = absl::AsciiStrToLower(absl::StripAsciiWhitespace(v.get<std::string>()));
        if (s == "true" || s == "1" || s == "yes" || s == "on") {
          b = true;
        } else if (s == "false" || s == "0" || s == "no" || s == "off") {
          b = false;
        } else {
          return WrongType(path, "a boolean", v);
        }
      } else {
        return WrongType(path, "a boolean", v);
      }
      repeated ? r->AddBool(m, f, b) : r->SetBool(m, f, b);
      return absl::OkStatus();
    }
    case FD::CPPTYPE_ENUM: {
      const pb::EnumDescriptor* e = f->enum_type();
      const pb::EnumValueDescriptor* value = nullptr;
      if (v.is_string()) value = FindEnumValue(e, v.get<std::string>());
      if (v.is_number_integer()) {
        // Read at full width: 2^32 + 1 must not wrap to the value 1.
        const bool fits = v.is_number_unsigned()
                              ? v.get<uint64_t>() <= INT32_MAX
                              : v.get<int64_t>() >= INT32_MIN && v.get<int64_t>() <= INT32_MAX;
        if (fits) value = e->FindValueByNumber(static_cast<int>(v.get<int64_t>()));
      }
      if (value == nullptr) {
        return absl::InvalidArgumentError(absl::StrCat("argument '", path, "' must be one of ",
                                                       absl::StrJoin(EnumJsonNames(e), ", "),
                                                       ", got ", Shown(v)));
      }
      repeated ? r->AddEnumValue(m, f, value->number()) : r->SetEnumValue(m, f, value->number());
      return absl::OkStatus();
    }
    case FD::CPPTYPE_MESSAGE:
      break;  // handled by the caller
  }
  return absl::InternalError("unsupported field type");
}

absl::Status FillMessage(const Json& obj, pb::Message* m, const std::string& prefix);

absl::Status SetField(pb::Message* m, const FD* f, const Json& v, const std::string& path) {
  const pb::Reflection* r = m->GetReflection();
  if (f->is_map()) {
    if (!v.is_object()) return WrongType(path, "an object", v);
    const FD* key = f->message_type()->map_key();
    const FD* value = f->message_type()->map_value();
    for (auto it = v.begin(); it != v.end(); ++it) {
      pb::Message* entry = r->AddMessage(m, f);
      const std::string entry_path = absl::StrCat(path, ".", it.key());
      absl::Status s = SetScalar(entry, key, Json(it.key()), entry_path, false);
      if (!s.ok()) return s;
      s = value->cpp_type() == FD::CPPTYPE_MESSAGE
              ? (it.value().is_object()
                     ? FillMessage(it.value(), entry->GetReflection()->MutableMessage(entry, value),
                                   entry_path + ".")
                     : WrongType(entry_path, "an object", it.value()))
              : SetScalar(entry, value, it.value(), entry_path, false);
      if (!s.ok()) return s;
    }
    return absl::OkStatus();
  }
  if (f->is_repeated()) {
    if (!v.is_array()) return WrongType(path, "an array", v);
    for (size_t i = 0; i < v.size(); ++i) {
      const std::string item_path = absl::StrCat(path, "[", i, "]");
      absl::Status s;
      if (f->cpp_type() == FD::CPPTYPE_MESSAGE) {
        s = v[i].is_object() ? FillMessage(v[i], r->AddMessage(m, f), item_path + ".")
                             : WrongType(item_path, "an object", v[i]);
      } else {
        s = SetScalar(m, f, v[i], item_path, true);
      }
      if (!s.ok()) return s;
    }
    return absl::OkStatus();
  }
  if (f->cpp_type() == FD::CPPTYPE_MESSAGE) {
    if (!v.is_object()) return WrongType(path, "an object", v);
    return FillMessage(v, r->MutableMessage(m, f), path + ".");
  }
  return SetScalar(m, f, v, path, false);
}

absl::Status FillMessage(const Json& obj, pb::Message* m, const std::string& prefix) {
  const pb::Descriptor* d = m->GetDescriptor();
  std::vector<std::string> unknown;
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    const FD* f = FindFieldByMcpName(d, it.key());
    if (f == nullptr) {
      unknown.push_back(prefix + it.key());
      continue;
    }
    if (it.value().is_null()) continue;
    absl::Status s = SetField(m, f, it.value(), prefix + it.key());
    if (!s.ok()) return s;
  }
  if (!unknown.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("unknown argument",
                                                   unknown.size() > 1 ? "s" : "", " '",
                                                   absl::StrJoin(unknown, "', '"), "'"));
  }
  return absl::OkStatus();
}

// The names a request accepts at the top level, flattened options included.
std::vector<std::string> AcceptedNames(const pb::Descriptor* d) {
  std::vector<std::string> names;
  for (int i = 0; i < d->field_count(); ++i) {
    const FD* f = d->field(i);
    if (IsHiddenField(f)) continue;
    if (IsFlattenedField(f)) {
      for (int j = 0; j < f->message_type()->field_count(); ++j) {
        if (!IsHiddenField(f->message_type()->field(j))) {
          names.push_back(McpName(f->message_type()->field(j)));
        }
      }
    } else {
      names.push_back(McpName(f));
    }
  }
  return names;
}

}  // namespace

absl::Status ArgsToMessage(const Json& args, pb::Message* request) {
  if (!args.is_null() && !args.is_object()) {
    return absl::InvalidArgumentError(
        absl::StrCat("arguments must be a JSON object, got ", TypeName(args)));
  }
  const pb::Descriptor* d = request->GetDescriptor();
  const pb::Reflection* r = request->GetReflection();
  std::vector<std::string> unknown;
  std::vector<std::string> given;
  if (args.is_object()) {
    for (auto it = args.begin(); it != args.end(); ++it) {
      const std::string& name = it.key();
      const Json& value = it.value();
      const FD* f = FindFieldByMcpName(d, name);
      if (f != nullptr && IsHiddenField(f)) f = nullptr;  // a gRPC-only field
      const FD* target = f;
      pb::Message* owner = request;
      if (f == nullptr || IsFlattenedField(f)) {
        // Not a field of the request itself: maybe one of a flattened options message.
        target = nullptr;
        for (int i = 0; i < d->field_count() && target == nullptr; ++i) {
          const FD* holder = d->field(i);
          if (!IsFlattenedField(holder)) continue;
          const FD* inner = FindFieldByMcpName(holder->message_type(), name);
          if (inner != nullptr && !IsHiddenField(inner)) {
            target = inner;
            owner = r->MutableMessage(request, holder);
          }
        }
      }
      if (target == nullptr) {
        unknown.push_back(name);
        continue;
      }
      if (value.is_null()) continue;  // "not given", like Python's None
      absl::Status s = SetField(owner, target, value, name);
      if (!s.ok()) return s;
      given.push_back(name);
    }
  }
  if (!unknown.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "unknown argument", unknown.size() > 1 ? "s" : "", " '", absl::StrJoin(unknown, "', '"),
        "'; accepted: ", absl::StrJoin(AcceptedNames(d), ", ")));
  }
  for (int i = 0; i < d->field_count(); ++i) {
    const FD* f = d->field(i);
    if (!IsRequiredField(f)) continue;
    if (std::find(given.begin(), given.end(), McpName(f)) == given.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("missing required argument '", McpName(f), "'"));
    }
  }
  return absl::OkStatus();
}

std::string ArgumentNameOf(const pb::Descriptor* request, const std::string& field_path) {
  // Each step of the path by its MCP name; a flattened holder ("options.") disappears. A step
  // that is not a field (an index, a map key, an unknown name) ends the translation.
  std::string out;
  const pb::Descriptor* type = request;
  size_t pos = 0;
  while (pos <= field_path.size()) {
    size_t end = field_path.find('.', pos);
    if (end == std::string::npos) end = field_path.size();
    const std::string step = field_path.substr(pos, end - pos);
    const FD* f = type == nullptr ? nullptr : type->FindFieldByName(step);
    if (f == nullptr) {
      absl::StrAppend(&out, out.empty() ? "" : ".", field_path.substr(pos));
      break;
    }
    if (!(type == request && IsFlattenedField(f))) {
      absl::StrAppend(&out, out.empty() ? "" : ".", McpName(f));
    }
    type = f->cpp_type() == FD::CPPTYPE_MESSAGE && !f->is_map() ? f->message_type() : nullptr;
    pos = end + 1;
  }
  return out.empty() ? field_path : out;
}

void CapMaxPackets(pb::Message* request, uint64_t cap) {
  if (cap == 0) return;
  const pb::Descriptor* d = request->GetDescriptor();
  for (int i = 0; i < d->field_count(); ++i) {
    const FD* holder = d->field(i);
    if (!IsFlattenedField(holder)) continue;
    pb::Message* options = request->GetReflection()->MutableMessage(request, holder);
    const FD* f = options->GetDescriptor()->FindFieldByName("max_packets");
    if (f == nullptr || f->cpp_type() != FD::CPPTYPE_UINT64) continue;
    const pb::Reflection* r = options->GetReflection();
    const uint64_t asked = r->GetUInt64(*options, f);
    r->SetUInt64(options, f, asked == 0 ? cap : std::min(asked, cap));
  }
}

}  // namespace mcpcap::gateway
