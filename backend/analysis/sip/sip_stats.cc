#include "backend/analysis/sip/sip_stats.h"

#include "absl/strings/str_cat.h"
#include "backend/analysis/common/listing.h"

namespace mcpcap {
namespace {

// Copies a sorted set into a listing bounded by `listings`.
void FillList(const std::set<std::string>& values, const char* name, const ListingBounds& listings,
              google::protobuf::RepeatedPtrField<std::string>* out, v1::CaptureSummary* summary) {
  Listing listing(name, listings);
  for (const std::string& v : values) {
    if (listing.Admit()) *out->Add() = v;
  }
  listing.Report(summary);
}

}  // namespace

void SipStatsTally::AddDistinct(std::set<std::string>* set, absl::string_view value, bool* capped) {
  if (value.empty()) return;
  if (set->size() >= kMaxDistinct && set->find(std::string(value)) == set->end()) {
    *capped = true;
    return;
  }
  set->emplace(value);
}

void SipStatsTally::OnMessage(const SipMessage& m, const SipOrigin& o) {
  if (m.is_request) {
    ++requests_;
    ++methods_[m.method];
  } else {
    ++responses_;
    ++response_classes_[absl::StrCat(m.status_code / 100, "xx")];
    ++status_codes_[absl::StrCat(m.status_code)];
  }
  ++transports_[o.tcp ? "tcp" : "udp"];
  AddDistinct(&call_ids_, m.HeaderOr("call-id"), &capped_);
  AddDistinct(&user_agents_, m.HeaderOr("user-agent"), &capped_);
  AddDistinct(&servers_, m.HeaderOr("server"), &capped_);
}

void SipStatsTally::Fill(const ListingBounds& listings, v1::SipStatistics* out,
                         v1::CaptureSummary* summary) const {
  out->set_requests(requests_);
  out->set_responses(responses_);
  out->mutable_methods()->insert(methods_.begin(), methods_.end());
  out->mutable_response_classes()->insert(response_classes_.begin(), response_classes_.end());
  out->mutable_status_codes()->insert(status_codes_.begin(), status_codes_.end());
  out->mutable_transports()->insert(transports_.begin(), transports_.end());
  out->set_unique_call_ids(call_ids_.size());
  FillList(call_ids_, "statistics.call_ids", listings, out->mutable_call_ids(), summary);
  FillList(user_agents_, "statistics.user_agents", listings, out->mutable_user_agents(), summary);
  FillList(servers_, "statistics.servers", listings, out->mutable_servers(), summary);
  out->set_encrypted_packets(encrypted_packets_);
  if (capped_) {
    summary->add_warnings(absl::StrCat("more than ", kMaxDistinct,
                                       " distinct Call-ID/User-Agent/Server values: the rest are "
                                       "counted as messages but not listed"));
  }
}

}  // namespace mcpcap
