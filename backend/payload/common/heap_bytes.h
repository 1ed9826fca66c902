// How many bytes a value holds on the heap, for memory budgets: the one rule by which parsers and
// the payload scan count what they hold. A figure covers what the value allocated (capacities,
// not sizes), not the value's own object, which its owner counts with sizeof.
//
//   size_t bytes = sizeof(*this) + HeapBytes(name_) + HeapBytes(query_);
#ifndef MCPCAP_BACKEND_PAYLOAD_COMMON_HEAP_BYTES_H_
#define MCPCAP_BACKEND_PAYLOAD_COMMON_HEAP_BYTES_H_

#include <cstddef>
#include <deque>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "backend/payload/common/app_events.h"

namespace mcpcap::payload {

// A string's buffer, when it outgrew the bytes kept inside the object.
inline size_t HeapBytes(const std::string& s) {
  static const size_t kInline = std::string().capacity();
  return s.capacity() > kInline ? s.capacity() + 1 : 0;
}

// A vector of plain values (bytes, numbers).
template <typename T, typename = std::enable_if_t<std::is_trivially_copyable_v<T>>>
size_t HeapBytes(const std::vector<T>& v) {
  return v.capacity() * sizeof(T);
}

size_t HeapBytes(const std::vector<std::string>& v);
size_t HeapBytes(const std::vector<std::pair<std::string, std::string>>& v);
size_t HeapBytes(const AppMessage& m);
size_t HeapBytes(const DbQuery& q);
size_t HeapBytes(const Credential& c);
size_t HeapBytes(const FlowFacts& f);

// The blocks and block map a std::deque of `size` elements allocates (libstdc++'s layout: blocks
// of 512 bytes or one element, a map of at least 8 block pointers; an empty deque has one block).
template <typename T>
size_t DequeBytes(size_t size) {
  constexpr size_t kPerBlock = sizeof(T) < 512 ? 512 / sizeof(T) : 1;
  const size_t blocks = size / kPerBlock + 1;
  const size_t map = blocks + 2 < 8 ? 8 : blocks + 2;
  return blocks * kPerBlock * sizeof(T) + map * sizeof(void*);
}
template <typename T>
size_t DequeBytes(const std::deque<T>& d) {
  return DequeBytes<T>(d.size());
}

// The slots and control bytes of an open-addressing hash table (absl::flat_hash_map/set) of
// `capacity` slots of `slot_bytes` each.
inline size_t HashTableBytes(size_t capacity, size_t slot_bytes) {
  return capacity == 0 ? 0 : capacity * (slot_bytes + 1) + 16;
}

}  // namespace mcpcap::payload

#endif  // MCPCAP_BACKEND_PAYLOAD_COMMON_HEAP_BYTES_H_
