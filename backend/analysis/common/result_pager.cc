#include "backend/analysis/common/result_pager.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "backend/base/status_macros.h"
#include "mcpcap/v1/capture.pb.h"

namespace mcpcap {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// The repeated field a listing's path names: the message holding it (through singular message
// fields) and the field. `create` makes missing parents; otherwise an absent parent gives null.
struct ListingField {
  Message* parent = nullptr;
  const FieldDescriptor* field = nullptr;
};

absl::StatusOr<const FieldDescriptor*> ListingFieldOf(const google::protobuf::Descriptor* type,
                                                      const std::string& path,
                                                      std::vector<const FieldDescriptor*>* via) {
  std::vector<std::string> parts = absl::StrSplit(path, '.');
  const FieldDescriptor* field = nullptr;
  for (size_t i = 0; i < parts.size(); ++i) {
    field = type == nullptr ? nullptr : type->FindFieldByName(parts[i]);
    const bool last = i + 1 == parts.size();
    if (field == nullptr || field->is_repeated() != last ||
        (!last && field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE)) {
      return absl::InternalError(absl::StrCat("listing '", path, "' is not the path of a ",
                                              "repeated field of ", type->full_name()));
    }
    if (!last) {
      via->push_back(field);
      type = field->message_type();
    }
  }
  return field;
}

ListingField Resolve(Message* root, const std::string& path, bool create) {
  std::vector<const FieldDescriptor*> via;
  absl::StatusOr<const FieldDescriptor*> field = ListingFieldOf(root->GetDescriptor(), path, &via);
  if (!field.ok()) return {};
  Message* parent = root;
  for (const FieldDescriptor* f : via) {
    if (!create && !parent->GetReflection()->HasField(*parent, f)) return {};
    parent = parent->GetReflection()->MutableMessage(parent, f);
  }
  return {parent, *field};
}

const Message* ResolveConst(const Message& root, const std::string& path,
                            const FieldDescriptor** field) {
  std::vector<const FieldDescriptor*> via;
  absl::StatusOr<const FieldDescriptor*> f = ListingFieldOf(root.GetDescriptor(), path, &via);
  if (!f.ok()) return nullptr;
  const Message* parent = &root;
  for (const FieldDescriptor* step : via) {
    if (!parent->GetReflection()->HasField(*parent, step)) return nullptr;
    parent = &parent->GetReflection()->GetMessage(*parent, step);
  }
  *field = *f;
  return parent;
}

// Appends element `i` of `field` in `from` to the same field in `to`.
void AppendElement(const Message& from, const FieldDescriptor* field, int i, Message* to) {
  const Reflection* in = from.GetReflection();
  const Reflection* out = to->GetReflection();
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_MESSAGE:
      out->AddMessage(to, field)->CopyFrom(in->GetRepeatedMessage(from, field, i));
      break;
    case FieldDescriptor::CPPTYPE_STRING:
      out->AddString(to, field, in->GetRepeatedString(from, field, i));
      break;
    case FieldDescriptor::CPPTYPE_INT32:
      out->AddInt32(to, field, in->GetRepeatedInt32(from, field, i));
      break;
    case FieldDescriptor::CPPTYPE_INT64:
      out->AddInt64(to, field, in->GetRepeatedInt64(from, field, i));
      break;
    case FieldDescriptor::CPPTYPE_UINT32:
      out->AddUInt32(to, field, in->GetRepeatedUInt32(from, field, i));
      break;
    case FieldDescriptor::CPPTYPE_UINT64:
      out->AddUInt64(to, field, in->GetRepeatedUInt64(from, field, i));
      break;
    case FieldDescriptor::CPPTYPE_DOUBLE:
      out->AddDouble(to, field, in->GetRepeatedDouble(from, field, i));
      break;
    case FieldDescriptor::CPPTYPE_FLOAT:
      out->AddFloat(to, field, in->GetRepeatedFloat(from, field, i));
      break;
    case FieldDescriptor::CPPTYPE_BOOL:
      out->AddBool(to, field, in->GetRepeatedBool(from, field, i));
      break;
    case FieldDescriptor::CPPTYPE_ENUM:
      out->AddEnumValue(to, field, in->GetRepeatedEnumValue(from, field, i));
      break;
  }
}

// The result's CaptureSummary (`capture`), where partial listings are described.
v1::CaptureSummary* SummaryOf(Message* result) {
  const FieldDescriptor* capture = result->GetDescriptor()->FindFieldByName("capture");
  if (capture == nullptr || capture->message_type() != v1::CaptureSummary::descriptor()) {
    return nullptr;
  }
  return static_cast<v1::CaptureSummary*>(result->GetReflection()->MutableMessage(result, capture));
}

}  // namespace

ListingBounds PageableBounds(std::vector<ListingCount>* census, uint32_t held) {
  ListingBounds bounds;
  bounds.max = held;
  bounds.census = census;
  return bounds;
}

absl::StatusOr<std::unique_ptr<const PageableResult>> PageableResult::Make(
    std::unique_ptr<Message> full, std::vector<ListingCount> census) {
  std::unique_ptr<PageableResult> result(new PageableResult());
  result->skeleton_.reset(full->New());
  result->skeleton_->CopyFrom(*full);
  for (const ListingCount& listing : census) {
    std::vector<const FieldDescriptor*> via;
    RETURN_IF_ERROR(ListingFieldOf(full->GetDescriptor(), listing.name, &via).status());
    ListingField f = Resolve(result->skeleton_.get(), listing.name, /*create=*/false);
    if (f.parent != nullptr) f.parent->GetReflection()->ClearField(f.parent, f.field);
  }
  if (v1::CaptureSummary* summary = SummaryOf(result->skeleton_.get())) {
    summary->clear_partial_listings();
    summary->clear_truncated();
  }
  result->full_ = std::move(full);
  result->census_ = std::move(census);
  result->space_used_ = result->full_->SpaceUsedLong() + result->skeleton_->SpaceUsedLong();
  for (const ListingCount& listing : result->census_) {
    result->space_used_ += sizeof(ListingCount) + listing.name.capacity();
  }
  return std::unique_ptr<const PageableResult>(std::move(result));
}

std::unique_ptr<Message> PageableResult::Page(const ListingBounds& bounds) const {
  if (!bounds.page_listing.empty() &&
      std::none_of(census_.begin(), census_.end(),
                   [&](const ListingCount& l) { return l.name == bounds.page_listing; })) {
    return nullptr;  // a listing this result did not count: let the analysis answer
  }
  std::unique_ptr<Message> page(skeleton_->New());
  page->CopyFrom(*skeleton_);
  v1::CaptureSummary* summary = SummaryOf(page.get());
  for (const ListingCount& listing : census_) {
    const uint64_t offset = bounds.OffsetFor(listing.name);
    const uint64_t begin = std::min(offset, listing.total);
    const uint64_t end =
        std::min(listing.total, offset + std::min(bounds.MaxFor(listing.name), listing.page_cap));
    const FieldDescriptor* field = nullptr;
    const Message* held = ResolveConst(*full_, listing.name, &field);
    const uint64_t held_entries =
        held == nullptr ? 0 : static_cast<uint64_t>(held->GetReflection()->FieldSize(*held, field));
    if (end > held_entries && end > begin) return nullptr;  // beyond what was kept
    if (end > begin) {
      ListingField out = Resolve(page.get(), listing.name, /*create=*/true);
      for (uint64_t i = begin; i < end; ++i) {
        AppendElement(*held, field, static_cast<int>(i), out.parent);
      }
    }
    if (summary != nullptr) {
      Listing cut(listing.name, bounds, listing.page_cap);
      cut.Count(listing.total);
      cut.Report(summary);
    }
  }
  return page;
}

}  // namespace mcpcap
