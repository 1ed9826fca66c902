// Counters behind `statistics` of analyze_sip_packets: every message counts, listings are paged
// (ListingBounds) with exact totals.
#ifndef MCPCAP_BACKEND_ANALYSIS_SIP_SIP_STATS_H_
#define MCPCAP_BACKEND_ANALYSIS_SIP_SIP_STATS_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "backend/analysis/common/listing.h"
#include "backend/analysis/sip/sip_fields.h"
#include "mcpcap/v1/capture.pb.h"
#include "mcpcap/v1/sip.pb.h"

namespace mcpcap {

class SipStatsTally {
 public:
  void OnMessage(const SipMessage& m, const SipOrigin& o);
  void OnEncryptedPacket() { ++encrypted_packets_; }
  uint64_t messages() const { return requests_ + responses_; }
  void Fill(const ListingBounds& listings, v1::SipStatistics* out,
            v1::CaptureSummary* summary) const;

 private:
  // Distinct values kept per set; beyond it new values are not listed (memory stays bounded).
  static constexpr size_t kMaxDistinct = 1u << 20;
  static void AddDistinct(std::set<std::string>* set, absl::string_view value, bool* capped);

  uint64_t requests_ = 0;
  uint64_t responses_ = 0;
  uint64_t encrypted_packets_ = 0;
  std::map<std::string, uint64_t> methods_, response_classes_, status_codes_, transports_;
  std::set<std::string> call_ids_, user_agents_, servers_;
  bool capped_ = false;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_SIP_SIP_STATS_H_
