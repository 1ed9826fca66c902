// A bounded table of per-flow state keyed on the full 5-tuple. When it is full, creating a flow
// evicts the least recently active one through a callback, so the caller can keep that flow's
// results in summary form; memory therefore grows with the limit, never with the packet count.
//
//   FlowTable<Conn> table(kMaxFlows, [&](const FlowKey& k, Conn& c) { summary.Add(k, c); });
//   DirectedFlowKey dk = FlowKeyOf(pkt);
//   Conn& conn = table.FindOrCreate(dk.key, now);
#ifndef MCPCAP_BACKEND_FLOW_FLOW_TABLE_H_
#define MCPCAP_BACKEND_FLOW_FLOW_TABLE_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <limits>
#include <memory>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "backend/flow/capture_time.h"
#include "backend/flow/flow_key.h"

namespace mcpcap {

template <typename State>
class FlowTable {
 public:
  // Receives a flow as it leaves the table (eviction for room or idleness, or Drain).
  using EvictCallback = std::function<void(const FlowKey& key, State& state)>;

  explicit FlowTable(size_t max_flows, EvictCallback on_evict = nullptr)
      : max_flows_(max_flows == 0 ? 1 : std::min<size_t>(max_flows, kNone - 1)),
        on_evict_(std::move(on_evict)) {}

  FlowTable(const FlowTable&) = delete;
  FlowTable& operator=(const FlowTable&) = delete;

  // The state of `key`, default-constructed when new (*created says which), marked most recently
  // active at `time`. Creating a flow in a full table first evicts the least recently active one;
  // references to other flows' states stay valid (slots never move).
  State& FindOrCreate(const FlowKey& key, CaptureNanos time, bool* created = nullptr) {
    // Capture time can step backwards; a monotone clock keeps the activity list sorted by time.
    if (time > clock_) clock_ = time;
    auto it = index_.find(key);
    if (it != index_.end()) {
      if (created != nullptr) *created = false;
      Touch(it->second);
      return *slots_[it->second].state;
    }
    if (index_.size() >= max_flows_) {
      ++evicted_;
      Remove(head_, /*notify=*/true);
    }
    const uint32_t i = AllocateSlot();
    Slot& slot = slots_[i];
    slot.key = key;
    slot.state = std::make_unique<State>();
    slot.last_active = clock_;
    LinkAtTail(i);
    index_.emplace(key, i);
    if (created != nullptr) *created = true;
    return *slot.state;
  }

  // The state of `key` or nullptr; does not count as activity.
  State* Find(const FlowKey& key) {
    auto it = index_.find(key);
    return it == index_.end() ? nullptr : &*slots_[it->second].state;
  }

  // Removes a flow the caller is done with, without the callback. False if absent.
  bool Erase(const FlowKey& key) {
    auto it = index_.find(key);
    if (it == index_.end()) return false;
    Remove(it->second, /*notify=*/false);
    return true;
  }

  // Evicts the least recently active flow through the callback (e.g. to stay within a memory
  // budget). False when the table is empty.
  bool EvictOldest() {
    if (head_ == kNone) return false;
    ++evicted_;
    Remove(head_, /*notify=*/true);
    return true;
  }

  // Evicts, through the callback, every flow last active before `cutoff` (idle time-out).
  // The list is in activity order, so the scan stops at the first recent flow.
  size_t EvictIdleBefore(CaptureNanos cutoff) {
    size_t n = 0;
    while (head_ != kNone && slots_[head_].last_active < cutoff) {
      Remove(head_, /*notify=*/true);
      ++n;
    }
    idle_evicted_ += n;
    return n;
  }

  // Calls fn(const FlowKey&, State&) for every flow, least recently active first.
  template <typename Fn>
  void ForEach(Fn fn) {
    for (uint32_t i = head_; i != kNone; i = slots_[i].next) fn(slots_[i].key, *slots_[i].state);
  }

  // Hands every flow to the callback, least recently active first, and empties the table.
  void Drain() {
    while (head_ != kNone) Remove(head_, /*notify=*/true);
  }

  size_t size() const { return index_.size(); }
  bool empty() const { return index_.empty(); }
  size_t max_flows() const { return max_flows_; }
  uint64_t evicted_for_room() const { return evicted_; }  // pushed out by a limit
  uint64_t evicted_idle() const { return idle_evicted_; }
  // Bytes of the table's own structure: its slots (free ones too: slots are reused, not freed)
  // and its index, not the states (each on the heap, sizeof(State) and what it holds). For
  // memory budgets.
  size_t MemoryBytes() const {
    return slots_.size() * sizeof(Slot) +
           index_.capacity() * (sizeof(typename decltype(index_)::value_type) + 1);
  }

 private:
  static constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();

  struct Slot {
    FlowKey key;
    // On the heap, so that a free slot holds little; null while the slot is free.
    std::unique_ptr<State> state;
    CaptureNanos last_active = 0;
    uint32_t prev = kNone;  // activity list: head_ is least recent; free list uses `next`
    uint32_t next = kNone;
  };

  uint32_t AllocateSlot() {
    if (free_ != kNone) {
      const uint32_t i = free_;
      free_ = slots_[i].next;
      return i;
    }
    slots_.emplace_back();  // a deque: growing never moves existing states
    return static_cast<uint32_t>(slots_.size() - 1);
  }

  void LinkAtTail(uint32_t i) {
    slots_[i].prev = tail_;
    slots_[i].next = kNone;
    if (tail_ != kNone) slots_[tail_].next = i;
    tail_ = i;
    if (head_ == kNone) head_ = i;
  }

  void Unlink(uint32_t i) {
    Slot& s = slots_[i];
    if (s.prev != kNone)
      slots_[s.prev].next = s.next;
    else
      head_ = s.next;
    if (s.next != kNone)
      slots_[s.next].prev = s.prev;
    else
      tail_ = s.prev;
    s.prev = s.next = kNone;
  }

  void Touch(uint32_t i) {
    slots_[i].last_active = clock_;
    if (i != tail_) {
      Unlink(i);
      LinkAtTail(i);
    }
  }

  void Remove(uint32_t i, bool notify) {
    Slot& s = slots_[i];
    Unlink(i);
    index_.erase(s.key);
    if (notify && on_evict_) on_evict_(s.key, *s.state);
    s.state.reset();  // releases the flow's memory now, not when the slot is reused
    s.next = free_;
    free_ = i;
  }

  size_t max_flows_;
  EvictCallback on_evict_;
  absl::flat_hash_map<FlowKey, uint32_t> index_;
  std::deque<Slot> slots_;
  uint32_t head_ = kNone;
  uint32_t tail_ = kNone;
  uint32_t free_ = kNone;
  CaptureNanos clock_ = std::numeric_limits<CaptureNanos>::min();  // latest time seen
  uint64_t evicted_ = 0;
  uint64_t idle_evicted_ = 0;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_FLOW_FLOW_TABLE_H_
