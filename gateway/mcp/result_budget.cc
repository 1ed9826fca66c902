#include "gateway/mcp/result_budget.h"

#include <algorithm>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "gateway/convert/json_values.h"
#include "gateway/schema/contract_options.h"

namespace mcpcap::gateway {
namespace {

namespace pb = google::protobuf;
using FD = pb::FieldDescriptor;

constexpr uint32_t kFallbackMaxResults = 10;  // when the contract gives max_results no default

// The flattened paging options of a request (CaptureOptions), if it has them.
const FD* OptionsField(const pb::Descriptor* request) {
  for (int i = 0; i < request->field_count(); ++i) {
    if (IsFlattenedField(request->field(i))) return request->field(i);
  }
  return nullptr;
}

const FD* MaxResultsField(const pb::Descriptor* options) {
  const FD* f = options->FindFieldByName("max_results");
  return f != nullptr && f->cpp_type() == FD::CPPTYPE_UINT32 && !f->is_repeated() ? f : nullptr;
}

// The singular message field `name` of `d`, or null.
const FD* MessageField(const pb::Descriptor* d, const char* name) {
  const FD* f = d->FindFieldByName(name);
  return f != nullptr && f->cpp_type() == FD::CPPTYPE_MESSAGE && !f->is_repeated() ? f : nullptr;
}

// The JSON array of a listing named by its dotted field path in the response, or null.
const Json* ListingArray(const pb::Descriptor* response, const Json& result,
                         const std::string& path) {
  const pb::Descriptor* type = response;
  const Json* node = &result;
  for (absl::string_view step : absl::StrSplit(path, '.')) {
    if (type == nullptr || !node->is_object()) return nullptr;
    const FD* f = type->FindFieldByName(std::string(step));
    if (f == nullptr) return nullptr;
    auto it = node->find(JsonKey(f));
    if (it == node->end()) return nullptr;
    node = &*it;
    type = f->cpp_type() == FD::CPPTYPE_MESSAGE && !f->is_map() ? f->message_type() : nullptr;
  }
  return node->is_array() ? node : nullptr;
}

}  // namespace

std::optional<PageSize> AdjustablePageSize(const pb::Message& request) {
  const FD* holder = OptionsField(request.GetDescriptor());
  if (holder == nullptr) return std::nullopt;
  const pb::Reflection* r = request.GetReflection();
  const pb::Message& options = r->GetMessage(request, holder);
  const FD* max_results = MaxResultsField(options.GetDescriptor());
  if (max_results == nullptr || !max_results->has_presence()) return std::nullopt;
  if (options.GetReflection()->HasField(options, max_results)) return std::nullopt;  // the caller's
  PageSize size;
  size.current = kFallbackMaxResults;
  if (std::optional<std::string> def = GetDefaultJson(max_results)) {
    uint32_t n = 0;
    if (absl::SimpleAtoi(*def, &n)) size.current = n;
  }
  const FD* token = options.GetDescriptor()->FindFieldByName("page_token");
  if (token != nullptr && token->cpp_type() == FD::CPPTYPE_STRING && !token->is_repeated() &&
      !options.GetReflection()->GetString(options, token).empty()) {
    size.floor = 1;  // a page of 0 entries would never get on
  }
  if (size.current <= size.floor) return std::nullopt;  // nothing left to lower
  return size;
}

void SetMaxResults(pb::Message* request, uint32_t max_results) {
  const FD* holder = OptionsField(request->GetDescriptor());
  if (holder == nullptr) return;
  pb::Message* options = request->GetReflection()->MutableMessage(request, holder);
  const FD* f = MaxResultsField(options->GetDescriptor());
  if (f != nullptr) options->GetReflection()->SetUInt32(options, f, max_results);
}

uint32_t NextMaxResults(const pb::Message& response, const Json& result, size_t chars,
                        size_t budget, const PageSize& size) {
  const uint32_t below = size.current > size.floor ? size.current - 1 : size.floor;
  // What the cut listings' entries take, each listing's per entry; the rest would stay.
  double per_entry = 0;
  size_t listing_chars = 0;
  const pb::Descriptor* d = response.GetDescriptor();
  const FD* capture = MessageField(d, "capture");
  const FD* pages =
      capture == nullptr ? nullptr : capture->message_type()->FindFieldByName("partial_listings");
  if (pages != nullptr && pages->is_repeated() && pages->cpp_type() == FD::CPPTYPE_MESSAGE) {
    const pb::Message& summary = response.GetReflection()->GetMessage(response, capture);
    const pb::Reflection* sr = summary.GetReflection();
    for (int i = 0; i < sr->FieldSize(summary, pages); ++i) {
      const pb::Message& page = sr->GetRepeatedMessage(summary, pages, i);
      const FD* name = page.GetDescriptor()->FindFieldByName("listing");
      if (name == nullptr || name->cpp_type() != FD::CPPTYPE_STRING) continue;
      const Json* entries = ListingArray(d, result, page.GetReflection()->GetString(page, name));
      if (entries == nullptr || entries->empty()) continue;
      const size_t n = DumpJson(*entries).size();
      listing_chars += n;
      per_entry += static_cast<double>(n) / static_cast<double>(entries->size());
    }
  }
  uint32_t estimate = size.current / 2;  // nothing measurable: halve
  // Aim a little below the budget: the entries of a listing differ in size.
  const double target = static_cast<double>(budget) * 0.95;
  const double fixed = static_cast<double>(chars - std::min(chars, listing_chars));
  if (per_entry > 0 && fixed < target) {
    estimate = static_cast<uint32_t>(std::min<double>((target - fixed) / per_entry, size.current));
  }
  return std::max(size.floor, std::min(below, estimate));
}

std::optional<size_t> DeclaredMaxResultChars(size_t budget) {
  if (budget <= kClientResultCharsThreshold) return std::nullopt;
  return std::min(budget, kClientResultCharsCeiling);
}

void AddCaptureWarning(pb::Message* response, const std::string& note) {
  const FD* capture = MessageField(response->GetDescriptor(), "capture");
  if (capture == nullptr) return;
  pb::Message* summary = response->GetReflection()->MutableMessage(response, capture);
  const FD* warnings = summary->GetDescriptor()->FindFieldByName("warnings");
  if (warnings == nullptr || !warnings->is_repeated() ||
      warnings->cpp_type() != FD::CPPTYPE_STRING) {
    return;
  }
  summary->GetReflection()->AddString(summary, warnings, note);
}

}  // namespace mcpcap::gateway
