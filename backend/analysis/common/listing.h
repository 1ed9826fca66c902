// Listings in results are bounded: the first `max` entries are kept, the total stays exact, and
// a cut listing is named in the result's CaptureSummary so a reader knows it is incomplete.
#ifndef MCPCAP_BACKEND_ANALYSIS_COMMON_LISTING_H_
#define MCPCAP_BACKEND_ANALYSIS_COMMON_LISTING_H_

#include <cstdint>
#include <string>

#include "mcpcap/v1/capture.pb.h"

namespace mcpcap {

class Listing {
 public:
  Listing(std::string name, uint32_t max) : name_(std::move(name)), max_(max) {}

  // Counts one entry; true when it should be added to the listing.
  bool Admit() {
    ++total_;
    return total_ <= max_;
  }
  uint64_t total() const { return total_; }
  bool truncated() const { return total_ > max_; }

  // Records the cut, if any, in the result's summary.
  void Report(v1::CaptureSummary* summary) const {
    if (!truncated()) return;
    summary->set_truncated(true);
    summary->add_truncated_listings(name_);
  }

 private:
  std::string name_;
  uint32_t max_;
  uint64_t total_ = 0;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_COMMON_LISTING_H_
