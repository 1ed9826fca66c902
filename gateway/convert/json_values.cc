#include "gateway/convert/json_values.h"

#include <cmath>
#include <mutex>
#include <unordered_map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "gateway/schema/contract_options.h"

namespace mcpcap::gateway {
namespace {

namespace pb = google::protobuf;

// Descriptors live as long as their pool (the process); their derived names are computed once.
// Options are read by re-parsing their wire form, too slow to repeat for every value of a
// 10,000-entry listing.
template <typename Key>
class NameCache {
 public:
  template <typename Compute>
  const std::string& Get(const Key* key, Compute&& compute) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = names_.find(key);
    if (it == names_.end()) it = names_.emplace(key, compute(key)).first;
    return it->second;
  }

 private:
  std::mutex mutex_;
  std::unordered_map<const Key*, std::string> names_;
};

// "CaptureFormat" -> "CAPTURE_FORMAT_", as buf's ENUM_VALUE_PREFIX rule spells it.
std::string EnumPrefix(const pb::EnumDescriptor* type) {
  std::string out;
  const std::string& name = type->name();
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (absl::ascii_isupper(c) && i > 0 &&
        (absl::ascii_islower(name[i - 1]) || absl::ascii_isdigit(name[i - 1]) ||
         (i + 1 < name.size() && absl::ascii_islower(name[i + 1])))) {
      out += '_';
    }
    out += absl::ascii_toupper(c);
  }
  return out + "_";
}

std::string ComputeEnumJsonName(const pb::EnumValueDescriptor* value) {
  if (std::optional<std::string> spelled = GetJsonValue(value)) return *spelled;
  std::string name = value->name();
  const std::string prefix = EnumPrefix(value->type());
  if (absl::StartsWith(name, prefix) && name.size() > prefix.size()) name.erase(0, prefix.size());
  return absl::AsciiStrToLower(name);
}

// The (unit) of a Duration field, "" for any other field or when it has none.
const std::string& DurationUnit(const pb::FieldDescriptor* field) {
  static auto* cache = new NameCache<pb::FieldDescriptor>();
  return cache->Get(field, [](const pb::FieldDescriptor* f) -> std::string {
    if (f->cpp_type() != pb::FieldDescriptor::CPPTYPE_MESSAGE || !IsDuration(f->message_type())) {
      return "";
    }
    return GetUnit(f).value_or("");
  });
}

std::string ComputeMcpName(const pb::FieldDescriptor* field) {
  return GetMcpName(field).value_or(field->name());
}

std::string ComputeJsonKey(const pb::FieldDescriptor* field) {
  const std::string& unit = DurationUnit(field);
  const std::string& name = McpName(field);
  return unit.empty() ? name : absl::StrCat(name, "_", unit);
}

bool IsWordChar(char c) { return absl::ascii_isalnum(c) || c == '_'; }

}  // namespace

const std::string& EnumJsonName(const pb::EnumValueDescriptor* value) {
  static auto* cache = new NameCache<pb::EnumValueDescriptor>();
  return cache->Get(value, ComputeEnumJsonName);
}

const pb::EnumValueDescriptor* FindEnumValue(const pb::EnumDescriptor* type,
                                             absl::string_view text) {
  for (int i = 0; i < type->value_count(); ++i) {
    const pb::EnumValueDescriptor* v = type->value(i);
    if (v->number() == 0) continue;
    if (absl::EqualsIgnoreCase(EnumJsonName(v), text) || absl::EqualsIgnoreCase(v->name(), text)) {
      return v;
    }
  }
  return nullptr;
}

std::vector<std::string> EnumJsonNames(const pb::EnumDescriptor* type) {
  std::vector<std::string> names;
  for (int i = 0; i < type->value_count(); ++i) {
    if (type->value(i)->number() != 0) names.push_back(EnumJsonName(type->value(i)));
  }
  return names;
}

bool IsTimestamp(const pb::Descriptor* type) {
  return type->full_name() == "google.protobuf.Timestamp";
}

bool IsDuration(const pb::Descriptor* type) {
  return type->full_name() == "google.protobuf.Duration";
}

const std::string& McpName(const pb::FieldDescriptor* field) {
  static auto* cache = new NameCache<pb::FieldDescriptor>();
  return cache->Get(field, ComputeMcpName);
}

const pb::FieldDescriptor* FindFieldByMcpName(const pb::Descriptor* type, absl::string_view name) {
  for (int i = 0; i < type->field_count(); ++i) {
    if (McpName(type->field(i)) == name) return type->field(i);
  }
  return nullptr;
}

const std::string& JsonKey(const pb::FieldDescriptor* field) {
  static auto* cache = new NameCache<pb::FieldDescriptor>();
  return cache->Get(field, ComputeJsonKey);
}

std::string RenameWords(const std::string& text,
                        const std::vector<std::pair<std::string, std::string>>& renames) {
  if (renames.empty()) return text;
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    if (!IsWordChar(text[i])) {
      out += text[i++];
      continue;
    }
    size_t end = i;
    while (end < text.size() && IsWordChar(text[end])) ++end;
    const absl::string_view word(text.data() + i, end - i);
    bool renamed = false;
    for (const auto& [from, to] : renames) {
      if (word == from) {
        out += to;
        renamed = true;
        break;
      }
    }
    if (!renamed) out.append(word.data(), word.size());
    i = end;
  }
  return out;
}

std::string FormatRfc3339(int64_t seconds, int32_t nanos) {
  const absl::Time t = absl::FromUnixSeconds(seconds) + absl::Nanoseconds(nanos);
  std::string out = absl::FormatTime("%Y-%m-%dT%H:%M:%S", t, absl::UTCTimeZone());
  if (nanos > 0) {
    if (nanos % 1000000 == 0) {
      absl::StrAppendFormat(&out, ".%03d", nanos / 1000000);
    } else if (nanos % 1000 == 0) {
      absl::StrAppendFormat(&out, ".%06d", nanos / 1000);
    } else {
      absl::StrAppendFormat(&out, ".%09d", nanos);
    }
  }
  return out + "Z";
}

Json DurationNumber(int64_t seconds, int32_t nanos, absl::string_view unit) {
  double per_second = 1.0;
  if (unit == "ms") per_second = 1e3;
  if (unit == "us") per_second = 1e6;
  // Whole units and nanoseconds apart, so a long span keeps its nanoseconds.
  const double value =
      static_cast<double>(seconds) * per_second + static_cast<double>(nanos) * per_second / 1e9;
  if (!std::isfinite(value)) return nullptr;
  // Nanosecond resolution in the unit, without binary noise such as 0.30000000000000004.
  const double resolution = per_second / 1e9;
  const double rounded = std::round(value / resolution) * resolution;
  const int digits = unit == "ms" ? 6 : unit == "us" ? 3 : 9;
  return std::stod(absl::StrFormat("%.*f", digits, rounded));
}

Json WellKnownToJson(const pb::Message& message, const pb::FieldDescriptor* field) {
  const pb::Descriptor* d = message.GetDescriptor();
  const pb::Reflection* r = message.GetReflection();
  const int64_t seconds = r->GetInt64(message, d->FindFieldByName("seconds"));
  const int32_t nanos = r->GetInt32(message, d->FindFieldByName("nanos"));
  if (IsTimestamp(d)) return FormatRfc3339(seconds, nanos);
  return DurationNumber(seconds, nanos, field == nullptr ? "" : DurationUnit(field));
}

}  // namespace mcpcap::gateway
