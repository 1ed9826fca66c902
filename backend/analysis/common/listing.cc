#include "backend/analysis/common/listing.h"

#include "backend/analysis/common/page_token.h"

namespace mcpcap {

void Listing::Report(v1::CaptureSummary* summary) const {
  if (bounds_.census != nullptr) bounds_.census->push_back({name_, total_, page_cap_});
  const bool paged = bounds_.page_listing == name_;
  if (!truncated() && !paged) return;                   // complete: nothing to say
  if (!bounds_.page_listing.empty() && !paged) return;  // left empty for another listing's page
  v1::ListingPage* page = summary->add_partial_listings();
  page->set_listing(name_);
  page->set_total(total_);
  page->set_offset(offset_);
  page->set_returned(returned());
  if (truncated()) {
    summary->set_truncated(true);
    if (!bounds_.request_key.empty() && max_ > 0) {
      page->set_next_page_token(
          EncodePageToken({name_, offset_ + returned(), bounds_.request_key}));
    }
  }
}

}  // namespace mcpcap
