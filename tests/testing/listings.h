// Reading a result's paging summary in tests.
#ifndef MCPCAP_TESTS_TESTING_LISTINGS_H_
#define MCPCAP_TESTS_TESTING_LISTINGS_H_

#include <string>
#include <vector>

#include "mcpcap/v1/capture.pb.h"

namespace mcpcap::testing {

// Names of the listings the summary says hold part of their entries.
inline std::vector<std::string> PartialListingNames(const v1::CaptureSummary& summary) {
  std::vector<std::string> names;
  for (const v1::ListingPage& page : summary.partial_listings()) names.push_back(page.listing());
  return names;
}

}  // namespace mcpcap::testing

#endif  // MCPCAP_TESTS_TESTING_LISTINGS_H_
