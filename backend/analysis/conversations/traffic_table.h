// The table both conversation tools build: rows by key, in the order their first frame came
// (the order tshark breaks ties in), bounded so that a capture of millions of flows costs a known
// amount of memory; frames of rows past the bound are counted, not tabled.
#ifndef MCPCAP_BACKEND_ANALYSIS_CONVERSATIONS_TRAFFIC_TABLE_H_
#define MCPCAP_BACKEND_ANALYSIS_CONVERSATIONS_TRAFFIC_TABLE_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "backend/analysis/common/listing.h"
#include "mcpcap/v1/capture.pb.h"

namespace mcpcap {

// Rows a table holds at most: 2.6 times the 100k flows of a large capture, ~45 MB at ~170 bytes
// a row (row, index entry and sort slot).
inline constexpr size_t kMaxTableRows = size_t{1} << 18;

template <typename Key, typename Row>
class TrafficTable {
 public:
  explicit TrafficTable(size_t max_rows = kMaxTableRows) : max_rows_(max_rows) {}

  // The row of `key`, appended (value-initialized) when new; null when the table is full, and
  // the frame is counted as left out.
  Row* Find(const Key& key) {
    auto it = index_.find(key);
    if (it != index_.end()) return &rows_[it->second];
    if (rows_.size() >= max_rows_) {
      ++dropped_frames_;
      return nullptr;
    }
    index_.emplace(key, rows_.size());
    return &rows_.emplace_back();
  }

  const std::vector<Row>& rows() const { return rows_; }

  // The rows of one page of the listing in the order `less` gives, first-come first among
  // equals; counts every row in the listing.
  template <typename Less>
  std::vector<const Row*> SortedPage(Less less, Listing* listing) const {
    std::vector<size_t> order(rows_.size());
    std::iota(order.begin(), order.end(), size_t{0});
    const auto by = [&](size_t a, size_t b) {
      if (less(rows_[a], rows_[b])) return true;
      if (less(rows_[b], rows_[a])) return false;
      return a < b;
    };
    const size_t keep = std::min(order.size(), listing->keep());
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(keep), order.end(),
                      by);
    order.resize(keep);
    listing->Count(rows_.size());
    listing->Page(&order);
    std::vector<const Row*> page;
    page.reserve(order.size());
    for (size_t i : order) page.push_back(&rows_[i]);
    return page;
  }

  // Says in the summary what the bound left out, if anything.
  void Warn(const std::string& what, v1::CaptureSummary* summary) const {
    if (dropped_frames_ == 0) return;
    summary->add_warnings(absl::StrCat(dropped_frames_, " frames of ", what, " beyond the first ",
                                       max_rows_, " are not counted"));
  }

 private:
  size_t max_rows_;
  absl::flat_hash_map<Key, size_t> index_;
  std::vector<Row> rows_;
  uint64_t dropped_frames_ = 0;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_CONVERSATIONS_TRAFFIC_TABLE_H_
