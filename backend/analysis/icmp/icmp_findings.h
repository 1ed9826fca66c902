// Security indicators over ICMP: ping sweeps, echo payloads that look like tunnelling, floods,
// and redirects. Each finding carries the numbers it rests on, a confidence and a next step.
#ifndef MCPCAP_BACKEND_ANALYSIS_ICMP_ICMP_FINDINGS_H_
#define MCPCAP_BACKEND_ANALYSIS_ICMP_ICMP_FINDINGS_H_

#include <cstdint>
#include <map>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "backend/analysis/icmp/icmp_echo.h"
#include "backend/dissect/ip_address.h"
#include "mcpcap/v1/capture.pb.h"

namespace mcpcap {

// Thresholds, fixed so that results are reproducible.
inline constexpr size_t kSweepMinDestinations = 10;
inline constexpr uint64_t kFloodMinPacketsPerSecond = 100;

// ICMP packets per source, per capture second: the peak second shows a flood.
class IcmpRateTracker {
 public:
  struct Source {
    int64_t current_second = 0;
    uint64_t current_count = 0;
    uint64_t peak = 0;
    int64_t peak_second = 0;
    uint64_t total = 0;
    absl::flat_hash_set<IpAddress> destinations;  // at most kMaxDestinations
    std::vector<IcmpFrame> examples;              // frames of the peak second, at most 10
    std::vector<IcmpFrame> current_examples;
  };
  static constexpr size_t kMaxDestinations = 1024;
  static constexpr size_t kMaxSources = 1 << 16;

  void Add(const IpAddress& src, const IpAddress& dst, int64_t second, uint64_t frame,
           CaptureNanos time);
  const std::map<IpAddress, Source>& sources() const { return sources_; }

 private:
  std::map<IpAddress, Source> sources_;
};

struct IcmpRedirect {
  IpAddress router;       // who sent the redirect
  IpAddress target;       // the host told to change its route
  IpAddress gateway;      // the first hop it is told to use
  IpAddress destination;  // the destination the redirect is about
  uint64_t frame = 0;
  CaptureNanos time = 0;
};

void AddIcmpFindings(const IcmpEchoTracker& echo, const IcmpRateTracker& rates,
                     const std::vector<IcmpRedirect>& redirects, uint64_t redirect_total,
                     google::protobuf::RepeatedPtrField<v1::Finding>* out);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_ICMP_ICMP_FINDINGS_H_
