// The n smallest items by an order, kept while items stream in (a bounded max-heap), so a
// listing of "the first n by packet number" needs memory for n items, not for all of them.
#ifndef MCPCAP_BACKEND_ANALYSIS_COMMON_FIRST_N_H_
#define MCPCAP_BACKEND_ANALYSIS_COMMON_FIRST_N_H_

#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

namespace mcpcap {

template <typename T, typename Less>
class FirstN {
 public:
  FirstN(size_t n, Less less) : n_(n), less_(std::move(less)) {}

  void Add(T item) {
    if (n_ == 0) return;
    if (heap_.size() < n_) {
      heap_.push_back(std::move(item));
      std::push_heap(heap_.begin(), heap_.end(), less_);
    } else if (less_(item, heap_.front())) {
      std::pop_heap(heap_.begin(), heap_.end(), less_);
      heap_.back() = std::move(item);
      std::push_heap(heap_.begin(), heap_.end(), less_);
    }
  }

  // The items kept, smallest first. Leaves the container empty.
  std::vector<T> TakeSorted() {
    std::sort_heap(heap_.begin(), heap_.end(), less_);
    return std::move(heap_);
  }

 private:
  size_t n_;
  Less less_;
  std::vector<T> heap_;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_COMMON_FIRST_N_H_
