// The n smallest items by an order, kept while items stream in (a bounded max-heap), so a
// listing of "the first n by packet number" needs memory for n items, not for all of them.
// Items the order ties keep the order they came in: the first n of a listing are then the same
// whatever n is, so that pages of different sizes add up to one listing.
#ifndef MCPCAP_BACKEND_ANALYSIS_COMMON_FIRST_N_H_
#define MCPCAP_BACKEND_ANALYSIS_COMMON_FIRST_N_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace mcpcap {

template <typename T, typename Less>
class FirstN {
 public:
  FirstN(size_t n, Less less) : n_(n), less_(std::move(less)) {}

  void Add(T item) {
    if (n_ == 0) return;
    Entry entry{std::move(item), added_++};
    const auto less = Order();
    if (heap_.size() < n_) {
      heap_.push_back(std::move(entry));
      std::push_heap(heap_.begin(), heap_.end(), less);
    } else if (less(entry, heap_.front())) {
      std::pop_heap(heap_.begin(), heap_.end(), less);
      heap_.back() = std::move(entry);
      std::push_heap(heap_.begin(), heap_.end(), less);
    }
  }

  // The items kept, smallest first. Leaves the container empty.
  std::vector<T> TakeSorted() {
    std::sort_heap(heap_.begin(), heap_.end(), Order());
    std::vector<T> sorted;
    sorted.reserve(heap_.size());
    for (Entry& e : heap_) sorted.push_back(std::move(e.item));
    heap_.clear();
    return sorted;
  }

 private:
  struct Entry {
    T item;
    uint64_t sequence;  // arrival: breaks the order's ties
  };

  auto Order() const {
    return [this](const Entry& a, const Entry& b) {
      if (less_(a.item, b.item)) return true;
      if (less_(b.item, a.item)) return false;
      return a.sequence < b.sequence;
    };
  }

  size_t n_;
  Less less_;
  uint64_t added_ = 0;
  std::vector<Entry> heap_;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_COMMON_FIRST_N_H_
