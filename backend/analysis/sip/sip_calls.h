// Groups SIP messages by Call-ID into calls (dialogs and transactions) with their method and
// status sequence and an outcome an analyst can read at a glance.
#ifndef MCPCAP_BACKEND_ANALYSIS_SIP_SIP_CALLS_H_
#define MCPCAP_BACKEND_ANALYSIS_SIP_SIP_CALLS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "backend/analysis/common/listing.h"
#include "backend/analysis/sip/sip_fields.h"
#include "mcpcap/v1/sip.pb.h"

namespace mcpcap {

class SipCallTracker {
 public:
  void OnMessage(const SipMessage& m, const SipOrigin& o);
  // How the call of this Call-ID ended; UNSPECIFIED for an unknown Call-ID.
  v1::SipCallOutcome OutcomeOf(const std::string& call_id) const;
  // Fills `calls`, a listing bounded by `listings`.
  void Fill(const ListingBounds& listings, v1::AnalyzeSipPacketsResponse* out) const;

 private:
  static constexpr size_t kMaxCalls = 1u << 18;  // further Call-IDs are counted, not tracked
  static constexpr size_t kMaxSequence = 64;     // entries kept per call
  struct Call {
    std::string call_id, from, to, method;
    std::vector<std::string> sequence;
    uint64_t first_frame = 0, last_frame = 0, messages = 0;
    CaptureNanos first_time = 0, last_time = 0;  // last_time: the latest of any message
    CaptureNanos last_frame_time = 0;            // capture time of last_frame
    uint16_t final_status = 0;                   // last final response to `method`
    bool any_response = false;
    bool invite_answered = false;  // a 2xx to INVITE
    bool bye = false, cancel = false;
  };
  static v1::SipCallOutcome Outcome(const Call& c);

  absl::flat_hash_map<std::string, size_t> index_;
  std::vector<Call> calls_;  // in order of first appearance
  uint64_t untracked_messages_ = 0;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_SIP_SIP_CALLS_H_
