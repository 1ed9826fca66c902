// Names and the texts they stand for (prepared statements, portals), at most `max_entries`, with
// the heap bytes of names and texts counted as they come and go, so MemoryBytes() is O(1).
//
//   BoundedTextMap<uint32_t> statements_{kMaxStatements};
//   statements_.Put(id, text);                  // false: full, and `id` is new
//   const std::string* text = statements_.Find(id);
#ifndef MCPCAP_BACKEND_PAYLOAD_COMMON_BOUNDED_TEXT_MAP_H_
#define MCPCAP_BACKEND_PAYLOAD_COMMON_BOUNDED_TEXT_MAP_H_

#include <cstddef>
#include <string>
#include <type_traits>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "backend/payload/common/heap_bytes.h"

namespace mcpcap::payload {

template <typename Key>
class BoundedTextMap {
 public:
  explicit BoundedTextMap(size_t max_entries) : max_entries_(max_entries) {}

  // Sets the text of `key`. A new key is refused (false) once max_entries are held.
  template <typename K>
  bool Put(const K& key, std::string text) {
    auto it = map_.find(key);
    if (it == map_.end()) {
      if (map_.size() >= max_entries_) return false;
      it = map_.emplace(Key(key), std::string()).first;
      held_ += KeyBytes(it->first);
    }
    held_ -= HeapBytes(it->second);
    it->second = std::move(text);
    held_ += HeapBytes(it->second);
    return true;
  }

  // The text of `key`, or nullptr.
  template <typename K>
  const std::string* Find(const K& key) const {
    const auto it = map_.find(key);
    return it == map_.end() ? nullptr : &it->second;
  }

  template <typename K>
  void Erase(const K& key) {
    const auto it = map_.find(key);
    if (it == map_.end()) return;
    held_ -= KeyBytes(it->first) + HeapBytes(it->second);
    map_.erase(it);
  }

  size_t size() const { return map_.size(); }

  // The table's slots and the names and texts they hold.
  size_t MemoryBytes() const {
    return HashTableBytes(map_.capacity(), sizeof(typename Map::value_type)) + held_;
  }

 private:
  using Map = absl::flat_hash_map<Key, std::string>;
  static size_t KeyBytes([[maybe_unused]] const Key& key) {
    if constexpr (std::is_same_v<Key, std::string>) {
      return HeapBytes(key);
    } else {
      return 0;
    }
  }

  size_t max_entries_;
  Map map_;
  size_t held_ = 0;
};

}  // namespace mcpcap::payload

#endif  // MCPCAP_BACKEND_PAYLOAD_COMMON_BOUNDED_TEXT_MAP_H_
