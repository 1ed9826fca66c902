#include "gateway/convert/message_to_json.h"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "gateway/convert/json_values.h"

namespace mcpcap::gateway {
namespace {

namespace pb = google::protobuf;
using FD = pb::FieldDescriptor;

Json Number(double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); }

Json EnumName(const pb::EnumDescriptor* type, int number) {
  const pb::EnumValueDescriptor* v = type->FindValueByNumber(number);
  return v != nullptr ? Json(EnumJsonName(v)) : Json(number);  // unknown values keep their number
}

// A message field's value: Timestamps and Durations as their JSON scalars, others as objects.
Json MessageValue(const pb::Message& value, const FD* f) {
  const pb::Descriptor* d = value.GetDescriptor();
  if (IsTimestamp(d) || IsDuration(d)) return WellKnownToJson(value, f);
  return MessageToJson(value);
}

// Map keys as JSON object keys, sortable as the text they become.
std::string MapKey(const pb::Message& entry, const FD* key) {
  const pb::Reflection* r = entry.GetReflection();
  switch (key->cpp_type()) {
    case FD::CPPTYPE_STRING:
      return r->GetString(entry, key);
    case FD::CPPTYPE_INT32:
      return std::to_string(r->GetInt32(entry, key));
    case FD::CPPTYPE_INT64:
      return std::to_string(r->GetInt64(entry, key));
    case FD::CPPTYPE_UINT32:
      return std::to_string(r->GetUInt32(entry, key));
    case FD::CPPTYPE_UINT64:
      return std::to_string(r->GetUInt64(entry, key));
    case FD::CPPTYPE_BOOL:
      return r->GetBool(entry, key) ? "true" : "false";
    default:
      return "";
  }
}

std::string Base64(const std::string& in) {
  static const char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned v = (static_cast<unsigned char>(in[i]) << 16) |
                 (static_cast<unsigned char>(in[i + 1]) << 8) |
                 static_cast<unsigned char>(in[i + 2]);
    out += {kAlphabet[v >> 18], kAlphabet[(v >> 12) & 63], kAlphabet[(v >> 6) & 63],
            kAlphabet[v & 63]};
  }
  if (i < in.size()) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) v |= static_cast<unsigned char>(in[i + 1]) << 8;
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < in.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

Json Singular(const pb::Message& m, const FD* f) {
  const pb::Reflection* r = m.GetReflection();
  switch (f->cpp_type()) {
    case FD::CPPTYPE_INT32:
      return r->GetInt32(m, f);
    case FD::CPPTYPE_INT64:
      return r->GetInt64(m, f);
    case FD::CPPTYPE_UINT32:
      return r->GetUInt32(m, f);
    case FD::CPPTYPE_UINT64:
      return r->GetUInt64(m, f);
    case FD::CPPTYPE_DOUBLE:
      return Number(r->GetDouble(m, f));
    case FD::CPPTYPE_FLOAT:
      return Number(r->GetFloat(m, f));
    case FD::CPPTYPE_BOOL:
      return r->GetBool(m, f);
    case FD::CPPTYPE_ENUM:
      return EnumName(f->enum_type(), r->GetEnumValue(m, f));
    case FD::CPPTYPE_STRING:
      return f->type() == FD::TYPE_BYTES ? Json(Base64(r->GetString(m, f)))
                                         : Json(r->GetString(m, f));
    case FD::CPPTYPE_MESSAGE:
      return MessageValue(r->GetMessage(m, f), f);
  }
  return nullptr;
}

Json Element(const pb::Message& m, const FD* f, int i) {
  const pb::Reflection* r = m.GetReflection();
  switch (f->cpp_type()) {
    case FD::CPPTYPE_INT32:
      return r->GetRepeatedInt32(m, f, i);
    case FD::CPPTYPE_INT64:
      return r->GetRepeatedInt64(m, f, i);
    case FD::CPPTYPE_UINT32:
      return r->GetRepeatedUInt32(m, f, i);
    case FD::CPPTYPE_UINT64:
      return r->GetRepeatedUInt64(m, f, i);
    case FD::CPPTYPE_DOUBLE:
      return Number(r->GetRepeatedDouble(m, f, i));
    case FD::CPPTYPE_FLOAT:
      return Number(r->GetRepeatedFloat(m, f, i));
    case FD::CPPTYPE_BOOL:
      return r->GetRepeatedBool(m, f, i);
    case FD::CPPTYPE_ENUM:
      return EnumName(f->enum_type(), r->GetRepeatedEnumValue(m, f, i));
    case FD::CPPTYPE_STRING:
      return f->type() == FD::TYPE_BYTES ? Json(Base64(r->GetRepeatedString(m, f, i)))
                                         : Json(r->GetRepeatedString(m, f, i));
    case FD::CPPTYPE_MESSAGE:
      return MessageValue(r->GetRepeatedMessage(m, f, i), f);
  }
  return nullptr;
}

Json MapToJson(const pb::Message& m, const FD* f) {
  const pb::Reflection* r = m.GetReflection();
  const FD* key = f->message_type()->map_key();
  const FD* value = f->message_type()->map_value();
  std::vector<std::pair<std::string, Json>> entries;
  const int n = r->FieldSize(m, f);
  for (int i = 0; i < n; ++i) {
    const pb::Message& entry = r->GetRepeatedMessage(m, f, i);
    entries.emplace_back(MapKey(entry, key), Singular(entry, value));
  }
  // Maps have no order on the wire; sorted keys make results deterministic.
  std::stable_sort(entries.begin(), entries.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  Json out = Json::object();
  for (auto& [k, v] : entries) out[k] = std::move(v);
  return out;
}

}  // namespace

Json MessageToJson(const pb::Message& message) {
  const pb::Descriptor* d = message.GetDescriptor();
  const pb::Reflection* r = message.GetReflection();
  std::vector<const FD*> fields;
  for (int i = 0; i < d->field_count(); ++i) fields.push_back(d->field(i));
  std::sort(fields.begin(), fields.end(),
            [](const FD* a, const FD* b) { return a->number() < b->number(); });
  Json out = Json::object();
  for (const FD* f : fields) {
    const std::string& key = JsonKey(f);
    if (f->is_map()) {
      out[key] = MapToJson(message, f);
    } else if (f->is_repeated()) {
      Json list = Json::array();
      const int n = r->FieldSize(message, f);
      for (int i = 0; i < n; ++i) list.push_back(Element(message, f, i));
      out[key] = std::move(list);
    } else if (f->has_presence() && !r->HasField(message, f)) {
      continue;  // unset `optional` scalar, unset message or oneof member
    } else if (f->cpp_type() == FD::CPPTYPE_ENUM && r->GetEnumValue(message, f) == 0) {
      continue;  // an UNSPECIFIED enum says nothing
    } else {
      out[key] = Singular(message, f);
    }
  }
  return out;
}

}  // namespace mcpcap::gateway
