// Listings in results are bounded and paged one listing at a time (AIP-158 style): the first
// `max` entries are kept, the total stays exact, and a listing that holds only part of its
// entries is described in the result's CaptureSummary (`partial_listings`) with a page token
// for the rest. A call carrying such a token fills only that listing, from where the earlier
// page ended.
#ifndef MCPCAP_BACKEND_ANALYSIS_COMMON_LISTING_H_
#define MCPCAP_BACKEND_ANALYSIS_COMMON_LISTING_H_

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "mcpcap/v1/capture.pb.h"

namespace mcpcap {

inline constexpr uint32_t kDefaultMaxResults = 10;  // entries per listing when not asked
inline constexpr uint32_t kMaxResultsCap = 10000;   // at most, whatever is asked

inline constexpr uint32_t kNoPageCap = UINT32_MAX;

// A listing's name (the dotted path of its repeated field in the response), its whole size, and
// the most entries a page of it holds whatever the page size asked (see Listing).
struct ListingCount {
  std::string name;
  uint64_t total = 0;
  uint32_t page_cap = kNoPageCap;
};

// How every listing of one call is bounded: its page size, and the page a token asked for.
struct ListingBounds {
  uint32_t max = kDefaultMaxResults;  // entries per listing (0: statistics only)
  // Set by a page token: the one listing to fill, and the index of its first entry.
  std::string page_listing;
  uint64_t offset = 0;
  // Binds minted page tokens to this request (capture and arguments); empty: mint none.
  std::string request_key;
  // When set, every listing's Report adds its name and total here, in order: what the result
  // cache needs to page a result later (result_pager.h).
  std::vector<ListingCount>* census = nullptr;

  // Entries `name` keeps: a page of another listing keeps none of this one.
  uint32_t MaxFor(const std::string& name) const {
    return page_listing.empty() || page_listing == name ? max : 0;
  }
  uint64_t OffsetFor(const std::string& name) const { return page_listing == name ? offset : 0; }
};

class Listing {
 public:
  // `page_cap` bounds this listing's pages below the page size (a brief view). A census run
  // keeps the full page size and records the cap, for the pages cut later.
  Listing(std::string name, const ListingBounds& bounds, uint32_t page_cap = kNoPageCap)
      : name_(std::move(name)),
        bounds_(bounds),
        page_cap_(page_cap),
        max_(bounds.census != nullptr ? bounds.MaxFor(name_)
                                      : std::min(bounds.MaxFor(name_), page_cap)),
        offset_(bounds.OffsetFor(name_)) {}

  // Counts one entry; true when it belongs to this page of the listing.
  bool Admit() {
    ++total_;
    return total_ > offset_ && total_ <= offset_ + max_;
  }
  // Counts `n` entries at once (a listing filled from a sorted collection).
  void Count(uint64_t n) { total_ += n; }
  uint64_t total() const { return total_; }
  // Entries in this page.
  uint64_t returned() const {
    return total_ <= offset_ ? 0 : std::min<uint64_t>(total_ - offset_, max_);
  }
  // True when entries are left after this page.
  bool truncated() const { return total_ > offset_ + max_; }
  // The page of a sorted collection: drops the entries before the offset, keeps `max`.
  template <typename T>
  void Page(std::vector<T>* sorted) const {
    const size_t skip = std::min<size_t>(sorted->size(), offset_);
    sorted->erase(sorted->begin(), sorted->begin() + static_cast<std::ptrdiff_t>(skip));
    if (sorted->size() > max_) sorted->resize(max_);
  }
  // How many entries a sorted collection must keep to serve this page (FirstN's bound).
  size_t keep() const { return static_cast<size_t>(offset_ + max_); }

  // Describes a partial page, with the token for the next one, in the result's summary (and
  // counts the listing in the bounds' census).
  void Report(v1::CaptureSummary* summary) const;

 private:
  std::string name_;
  ListingBounds bounds_;
  uint32_t page_cap_;
  uint32_t max_;
  uint64_t offset_;
  uint64_t total_ = 0;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_COMMON_LISTING_H_
