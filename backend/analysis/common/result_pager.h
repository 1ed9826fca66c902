// Any page of a result from one computation: the analysis runs once with every listing holding
// its first kHeldListingEntries entries (and a census of the listings' totals), and each call's
// page is then cut from that result exactly as the analysis would have cut it. What lets the
// result cache answer another page, or another page size, without reading the capture again.
#ifndef MCPCAP_BACKEND_ANALYSIS_COMMON_RESULT_PAGER_H_
#define MCPCAP_BACKEND_ANALYSIS_COMMON_RESULT_PAGER_H_

#include <google/protobuf/message.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "backend/analysis/common/listing.h"

namespace mcpcap {

// Entries each listing holds in a pageable result: pages beyond them are computed afresh.
inline constexpr uint32_t kHeldListingEntries = 2000;

// The bounds of the one computation: every listing's first `held` entries, no page token, no
// tokens minted, each listing counted in `census`.
ListingBounds PageableBounds(std::vector<ListingCount>* census,
                             uint32_t held = kHeldListingEntries);

class PageableResult {
 public:
  // `full` was computed with PageableBounds(&census). INTERNAL when a census name is not the
  // path of a repeated field of `full` (an analysis whose listing is named otherwise).
  static absl::StatusOr<std::unique_ptr<const PageableResult>> Make(
      std::unique_ptr<google::protobuf::Message> full, std::vector<ListingCount> census);

  // The result for `bounds` (the caller's page size, page token and request key), equal to
  // what the analysis returns when run with them; null when the held entries do not cover it.
  std::unique_ptr<google::protobuf::Message> Page(const ListingBounds& bounds) const;

  // Memory held, in bytes.
  uint64_t SpaceUsed() const { return space_used_; }

 private:
  PageableResult() = default;

  std::unique_ptr<google::protobuf::Message> full_;
  // The full result without its listings' entries and without its partial_listings.
  std::unique_ptr<google::protobuf::Message> skeleton_;
  std::vector<ListingCount> census_;
  uint64_t space_used_ = 0;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_COMMON_RESULT_PAGER_H_
