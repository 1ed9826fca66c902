#include "backend/analysis/sip/sip_calls.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "backend/analysis/common/listing.h"
#include "backend/analysis/common/result_parts.h"

namespace mcpcap {

void SipCallTracker::OnMessage(const SipMessage& m, const SipOrigin& o) {
  const std::string call_id(m.HeaderOr("call-id"));
  if (call_id.empty()) return;
  auto it = index_.find(call_id);
  if (it == index_.end()) {
    if (calls_.size() >= kMaxCalls) {
      ++untracked_messages_;
      return;
    }
    it = index_.emplace(call_id, calls_.size()).first;
    Call c;
    c.call_id = call_id;
    c.from = std::string(m.HeaderOr("from"));
    c.to = std::string(m.HeaderOr("to"));
    c.first_frame = o.frame;
    c.first_time = c.last_time = o.time;
    calls_.push_back(std::move(c));
  }
  Call& c = calls_[it->second];
  ++c.messages;
  c.last_frame = o.frame;
  c.last_frame_time = o.time;
  c.last_time = std::max(c.last_time, o.time);
  const std::string cseq_method = CSeqMethod(m);
  if (c.method.empty()) {
    // Calls seen from the middle start with whatever CSeq says they answer.
    c.method = m.is_request ? absl::AsciiStrToUpper(m.method) : cseq_method;
  }
  if (c.sequence.size() < kMaxSequence) {
    c.sequence.push_back(m.is_request ? m.method : absl::StrCat(m.status_code));
  }
  if (m.is_request) {
    const std::string method = absl::AsciiStrToUpper(m.method);
    if (method == "BYE") c.bye = true;
    if (method == "CANCEL") c.cancel = true;
    return;
  }
  if (cseq_method != c.method) return;  // e.g. the 200 answering BYE or CANCEL
  c.any_response = true;
  if (m.status_code >= 200) c.final_status = m.status_code;
  if (cseq_method == "INVITE" && m.status_code / 100 == 2) c.invite_answered = true;
}

v1::SipCallOutcome SipCallTracker::Outcome(const Call& c) {
  if (c.method == "INVITE") {
    if (c.invite_answered) {
      return c.bye ? v1::SIP_CALL_OUTCOME_COMPLETED : v1::SIP_CALL_OUTCOME_ANSWERED;
    }
    if (c.cancel || c.final_status == 487) return v1::SIP_CALL_OUTCOME_CANCELLED;
  }
  if (c.final_status / 100 == 2) {
    if (c.method == "REGISTER") return v1::SIP_CALL_OUTCOME_REGISTRATION;
    if (c.method == "OPTIONS") return v1::SIP_CALL_OUTCOME_OPTIONS;
    return v1::SIP_CALL_OUTCOME_COMPLETED;
  }
  if (c.final_status / 100 == 3) return v1::SIP_CALL_OUTCOME_REDIRECTED;
  if (c.final_status >= 400) return v1::SIP_CALL_OUTCOME_FAILED;
  return c.any_response ? v1::SIP_CALL_OUTCOME_IN_PROGRESS : v1::SIP_CALL_OUTCOME_UNANSWERED;
}

v1::SipCallOutcome SipCallTracker::OutcomeOf(const std::string& call_id) const {
  auto it = index_.find(call_id);
  return it == index_.end() ? v1::SIP_CALL_OUTCOME_UNSPECIFIED : Outcome(calls_[it->second]);
}

void SipCallTracker::Fill(const ListingBounds& listings, v1::AnalyzeSipPacketsResponse* out) const {
  Listing listing("calls", listings);
  for (const Call& c : calls_) {
    if (!listing.Admit()) continue;
    v1::SipCall* call = out->add_calls();
    call->set_call_id(c.call_id);
    for (const std::string& s : c.sequence) call->add_sequence(s);
    call->set_outcome(Outcome(c));
    call->set_from_header(c.from);
    call->set_to_header(c.to);
    FillPacketRef(c.first_frame, c.first_time, call->mutable_first_packet());
    FillPacketRef(c.last_frame, c.last_frame_time, call->mutable_last_packet());
    SetDurationNanos(c.last_time - c.first_time, call->mutable_duration());
    call->set_method(c.method);
    if (c.final_status != 0) call->set_final_status_code(c.final_status);
    call->set_messages(c.messages);
  }
  listing.Report(out->mutable_capture());
  if (untracked_messages_ > 0) {
    out->mutable_capture()->add_warnings(
        absl::StrCat("more than ", kMaxCalls, " Call-IDs: ", untracked_messages_,
                     " messages of later calls are in the statistics but not in `calls`"));
  }
}

}  // namespace mcpcap
