#include "gateway/schema/json_schema.h"

#include <map>
#include <set>
#include <vector>

#include "gateway/convert/json_values.h"
#include "gateway/schema/comments.h"
#include "gateway/schema/contract_options.h"

namespace mcpcap::gateway {
namespace {

namespace pb = google::protobuf;
using FD = pb::FieldDescriptor;

enum class Mode { kInput, kOutput };

// One schema being built: the messages open above (recursion stops there) and, for output
// schemas, the message types used by more than one field, described once under "$defs".
struct Walk {
  Mode mode;
  std::vector<const pb::Descriptor*> stack;
  std::set<const pb::Descriptor*> shared;
  Json defs = Json::object();
};

Json MessageSchema(const pb::Descriptor* d, Walk& w);

// Schema of one value of the field (an element for repeated fields).
Json ValueSchema(const FD* f, Walk& w) {
  const Mode mode = w.mode;
  Json s = Json::object();
  switch (f->cpp_type()) {
    case FD::CPPTYPE_STRING:
      s["type"] = "string";
      if (f->type() == FD::TYPE_BYTES) s["contentEncoding"] = "base64";
      break;
    case FD::CPPTYPE_INT32:
      s["type"] = "integer";
      if (mode == Mode::kInput) {
        s["minimum"] = -2147483648LL;
        s["maximum"] = 2147483647LL;
      }
      break;
    case FD::CPPTYPE_UINT32:
      s["type"] = "integer";
      // Arguments are never negative; the gateway refuses values past 2^32-1 itself, and a
      // field's real bound (a port, max_results) is in its description: a maximum of 4294967295
      // would only cost tools/list bytes.
      if (mode == Mode::kInput) s["minimum"] = 0;
      break;
    case FD::CPPTYPE_INT64:
      s["type"] = "integer";
      break;
    case FD::CPPTYPE_UINT64:
      s["type"] = "integer";
      if (mode == Mode::kInput) s["minimum"] = 0;
      break;
    case FD::CPPTYPE_DOUBLE:
    case FD::CPPTYPE_FLOAT:
      // Results write NaN and infinities as null; anyOf rather than a type array, which
      // single-type schema dialects (e.g. Gemini's) reject.
      if (mode == Mode::kOutput) {
        s["anyOf"] = Json::array({Json{{"type", "number"}}, Json{{"type", "null"}}});
      } else {
        s["type"] = "number";
      }
      break;
    case FD::CPPTYPE_BOOL:
      s["type"] = "boolean";
      break;
    case FD::CPPTYPE_ENUM:
      s["type"] = "string";
      // Output schemas give the shape only; the values are documented in the contract.
      if (mode == Mode::kInput) s["enum"] = EnumJsonNames(f->enum_type());
      break;
    case FD::CPPTYPE_MESSAGE:
      if (IsTimestamp(f->message_type())) {
        s["type"] = "string";
        s["format"] = "date-time";
      } else if (IsDuration(f->message_type())) {
        s["type"] = "number";
      } else {
        s = MessageSchema(f->message_type(), w);
      }
      break;
  }
  return s;
}

Json FieldSchema(const FD* f, Walk& w, const FallbackDoc& fallback) {
  const Mode mode = w.mode;
  Json s;
  if (f->is_map()) {
    s = Json{{"type", "object"},
             {"additionalProperties", ValueSchema(f->message_type()->map_value(), w)}};
  } else if (f->is_repeated()) {
    s = Json{{"type", "array"}, {"items", ValueSchema(f, w)}};
  } else {
    s = ValueSchema(f, w);
  }
  // Output schemas carry the shape only (no prose, bounds or required lists): every client pays
  // for tools/list on every turn, and a result's keys are named to be read; the prose stays in
  // the contract (reflection, the .proto files).
  std::string doc = mode == Mode::kInput ? CommentOf(f) : std::string();
  if (doc.empty() && fallback) doc = fallback(f);
  if (!doc.empty()) {
    // A message type's own description stays under the field's, which says more in context.
    s.erase("description");
    Json with_doc = Json{{"description", doc}};
    with_doc.update(s);
    s = std::move(with_doc);
  }
  if (mode == Mode::kInput) {
    if (std::optional<std::string> def = GetDefaultJson(f)) {
      Json parsed = Json::parse(*def, nullptr, /*allow_exceptions=*/false);
      if (!parsed.is_discarded()) s["default"] = parsed;
    }
  }
  return s;
}

Json DescribeMessage(const pb::Descriptor* d, Walk& w) {
  w.stack.push_back(d);
  Json s = Json::object();
  const std::string doc = w.mode == Mode::kInput ? CommentOf(d) : std::string();
  if (!doc.empty()) s["description"] = doc;
  s["type"] = "object";
  Json props = Json::object();
  for (int i = 0; i < d->field_count(); ++i) {
    const FD* f = d->field(i);
    props[w.mode == Mode::kInput ? McpName(f) : JsonKey(f)] = FieldSchema(f, w, {});
  }
  s["properties"] = props;
  w.stack.pop_back();
  return s;
}

Json MessageSchema(const pb::Descriptor* d, Walk& w) {
  if (w.shared.count(d) != 0) {
    const std::string ref = "#/$defs/" + d->name();
    if (!w.defs.contains(d->name())) {
      w.defs[d->name()] = Json{{"type", "object"}};  // taken: a recursive use refers to it
      w.defs[d->name()] = DescribeMessage(d, w);
    }
    return Json{{"$ref", ref}};
  }
  for (const pb::Descriptor* open : w.stack) {
    if (open == d) return Json{{"type", "object"}};  // recursion: stop describing
  }
  return DescribeMessage(d, w);
}

// Message types that more than one field of the tree under `root` uses (each type's fields
// counted once); Timestamps and Durations are scalars in JSON.
std::set<const pb::Descriptor*> SharedTypes(const pb::Descriptor* root) {
  std::map<const pb::Descriptor*, int> uses;
  std::set<const pb::Descriptor*> seen{root};
  std::vector<const pb::Descriptor*> todo{root};
  while (!todo.empty()) {
    const pb::Descriptor* d = todo.back();
    todo.pop_back();
    for (int i = 0; i < d->field_count(); ++i) {
      const FD* f = d->field(i);
      if (f->cpp_type() != FD::CPPTYPE_MESSAGE) continue;
      const pb::Descriptor* type =
          f->is_map() ? f->message_type()->map_value()->message_type() : f->message_type();
      if (type == nullptr || IsTimestamp(type) || IsDuration(type)) continue;
      ++uses[type];
      if (seen.insert(type).second) todo.push_back(type);
    }
  }
  std::set<const pb::Descriptor*> shared;
  for (const auto& [type, n] : uses) {
    if (n > 1) shared.insert(type);
  }
  return shared;
}

}  // namespace

Json InputSchema(const pb::Descriptor* request, const FallbackDoc& fallback) {
  Walk w{Mode::kInput, {request}, {}};
  Json props = Json::object();
  Json required = Json::array();
  auto add = [&](const FD* f) {
    props[McpName(f)] = FieldSchema(f, w, fallback);
    if (IsRequiredField(f)) required.push_back(McpName(f));
  };
  for (int i = 0; i < request->field_count(); ++i) {
    const FD* f = request->field(i);
    if (IsHiddenField(f)) continue;  // gRPC callers only
    if (IsFlattenedField(f)) {
      const pb::Descriptor* options = f->message_type();
      for (int j = 0; j < options->field_count(); ++j) {
        if (!IsHiddenField(options->field(j))) add(options->field(j));
      }
    } else {
      add(f);
    }
  }
  Json s = Json{{"type", "object"}, {"properties", props}};
  if (!required.empty()) s["required"] = required;
  s["additionalProperties"] = false;
  return s;
}

Json OutputSchema(const pb::Descriptor* response) {
  // A type used in several places is described once: DNS alone has five lists of records.
  Walk w{Mode::kOutput, {}, SharedTypes(response)};
  Json s = DescribeMessage(response, w);
  if (!w.defs.empty()) s["$defs"] = std::move(w.defs);
  return s;
}

namespace {

// `node` with objects `levels` deep or deeper reduced to their type, $refs inlined (so the cut
// applies to them too: a bounded depth ends recursive types).
Json CutBelow(const Json& node, const Json& defs, int levels) {
  auto ref = node.find("$ref");
  if (ref != node.end() && ref->is_string()) {
    const std::string name = ref->get<std::string>().substr(sizeof("#/$defs/") - 1);
    auto def = defs.find(name);
    return def == defs.end() ? Json{{"type", "object"}} : CutBelow(*def, defs, levels);
  }
  Json out = Json::object();
  for (const auto& [key, value] : node.items()) {
    if (key == "$defs") continue;
    if (key == "properties" || key == "required") {
      if (levels <= 0) continue;
      if (key == "required") {
        out[key] = value;
        continue;
      }
      Json props = Json::object();
      for (const auto& [name, field] : value.items()) {
        props[name] = CutBelow(field, defs, levels - 1);
      }
      out[key] = std::move(props);
    } else if ((key == "items" || key == "additionalProperties") && value.is_object()) {
      out[key] = CutBelow(value, defs, levels);
    } else {
      out[key] = value;
    }
  }
  return out;
}

}  // namespace

Json CompactOutputSchema(const Json& full, size_t max_bytes) {
  static const Json kNoDefs = Json::object();
  auto defs = full.find("$defs");
  const Json& definitions = defs == full.end() ? kNoDefs : *defs;
  constexpr int kDeepest = 8;
  Json cut;
  for (int levels = kDeepest; levels >= 1; --levels) {
    cut = CutBelow(full, definitions, levels);
    if (levels == 1 || cut.dump().size() <= max_bytes) break;
  }
  return cut;
}

}  // namespace mcpcap::gateway
