// A queue that knows the heap bytes it holds without walking its entries: each entry is measured
// once, when it is added, and the same figure is taken back when it leaves. Parsers keep their
// requests waiting for a response in it, so MemoryBytes() stays O(1) per packet.
//
//   MeteredDeque<Pending> pending_{[](const Pending& p) { return HeapBytes(p.query); }};
//   pending_.push_back(std::move(p));
//   Pending done = pending_.take_front();
//
// An answer filled into an entry just before it leaves (an error message) is not counted: it is
// held for the time of one message.
#ifndef MCPCAP_BACKEND_PAYLOAD_COMMON_METERED_DEQUE_H_
#define MCPCAP_BACKEND_PAYLOAD_COMMON_METERED_DEQUE_H_

#include <cstddef>
#include <deque>
#include <utility>

#include "backend/payload/common/heap_bytes.h"

namespace mcpcap::payload {

template <typename T>
class MeteredDeque {
 public:
  using Measure = size_t (*)(const T&);  // heap bytes of one entry
  explicit MeteredDeque(Measure measure) : measure_(measure) {}

  bool empty() const { return entries_.empty(); }
  size_t size() const { return entries_.size(); }
  T& front() { return entries_.front().value; }
  const T& front() const { return entries_.front().value; }
  T& back() { return entries_.back().value; }
  T& operator[](size_t i) { return entries_[i].value; }
  const T& operator[](size_t i) const { return entries_[i].value; }

  void push_back(T value) {
    const size_t bytes = measure_(value);
    held_ += bytes;
    entries_.push_back(Entry{std::move(value), bytes});
  }
  void pop_front() {
    held_ -= entries_.front().bytes;
    entries_.pop_front();
  }
  T take_front() {
    T value = std::move(entries_.front().value);
    pop_front();
    return value;
  }
  // The index of the first entry for which pred(entry) holds, or size().
  template <typename Pred>
  size_t find_if(Pred pred) const {
    for (size_t i = 0; i < entries_.size(); ++i) {
      if (pred(entries_[i].value)) return i;
    }
    return entries_.size();
  }
  T take(size_t i) {
    T value = std::move(entries_[i].value);
    held_ -= entries_[i].bytes;
    entries_.erase(entries_.begin() + static_cast<std::ptrdiff_t>(i));
    return value;
  }
  // Removes the first n entries.
  void erase_front(size_t n) {
    for (size_t i = 0; i < n; ++i) held_ -= entries_[i].bytes;
    entries_.erase(entries_.begin(), entries_.begin() + static_cast<std::ptrdiff_t>(n));
  }
  void clear() {
    entries_.clear();
    held_ = 0;
  }

  // The deque's blocks and what its entries allocated.
  size_t MemoryBytes() const { return DequeBytes<Entry>(entries_.size()) + held_; }

 private:
  struct Entry {
    T value;
    size_t bytes;
  };
  std::deque<Entry> entries_;
  size_t held_ = 0;
  Measure measure_;
};

}  // namespace mcpcap::payload

#endif  // MCPCAP_BACKEND_PAYLOAD_COMMON_METERED_DEQUE_H_
