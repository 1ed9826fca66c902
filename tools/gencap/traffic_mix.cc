#include "tools/gencap/traffic_mix.h"

#include <algorithm>
#include <string_view>

namespace mcpcap::gencap {
namespace {

constexpr size_t kPoolSize = 64 * 1024;
constexpr int64_t kStartNs = 1710235800LL * 1000000000LL;  // 2024-03-12T09:30:00Z

std::vector<uint8_t> TextPool() {
  static constexpr const char* kWords[] = {"<div class=\"item\">",
                                           "network ",
                                           "capture ",
                                           "packet ",
                                           "</div>\n",
                                           "the ",
                                           "flow ",
                                           "<p>",
                                           "latency ",
                                           "server ",
                                           "client ",
                                           "</p>\n",
                                           "request ",
                                           "response ",
                                           "data "};
  Rng rng(0x7e57);
  std::vector<uint8_t> pool;
  pool.reserve(kPoolSize + 32);
  while (pool.size() < kPoolSize) {
    const std::string_view w = rng.Pick(kWords);
    pool.insert(pool.end(), w.begin(), w.end());
  }
  return pool;
}

std::vector<uint8_t> BinaryPool() {
  Rng rng(0xb1a5);
  std::vector<uint8_t> pool(kPoolSize);
  for (uint8_t& b : pool) b = static_cast<uint8_t>(rng.U32());
  return pool;
}

}  // namespace

TrafficMix::TrafficMix(uint64_t seed, double sessions_per_second)
    : rng_(seed),
      mean_arrival_ns_(1e9 / sessions_per_second),
      next_arrival_ns_(kStartNs),
      text_pool_(TextPool()),
      binary_pool_(BinaryPool()) {}

void TrafficMix::Schedule(int64_t at_ns, uint32_t slot) {
  events_.push_back({at_ns, order_++, slot});
  std::push_heap(events_.begin(), events_.end(), Later());
}

void TrafficMix::StartSession(int64_t at_ns) {
  uint32_t slot;
  if (free_slots_.empty()) {
    slot = static_cast<uint32_t>(slots_.size());
    slots_.emplace_back();
  } else {
    slot = free_slots_.back();
    free_slots_.pop_back();
  }
  Session& s = slots_[slot];
  PlanSession(rng_, &s);
  Schedule(at_ns + static_cast<int64_t>(s.steps[0].gap_ns), slot);
}

void TrafficMix::FillPayload(const Session& s, const Step& step, ByteWriter& w) const {
  w.Bytes(s.payloads.data() + step.stored_off, step.stored_len);
  const size_t fill = step.payload_len - step.stored_len;
  if (fill == 0 || step.filler == Filler::kNone) return;
  const std::vector<uint8_t>& pool = step.filler == Filler::kText ? text_pool_ : binary_pool_;
  // Offset from the sequence number: a retransmission carries the same bytes as the original.
  const size_t off = (step.seq * 2654435761u) % (kPoolSize - 2048);
  w.Bytes(pool.data() + off, fill);
}

bool TrafficMix::Next(Frame* frame) {
  // Start every session that begins before the next planned packet.
  while (events_.empty() || next_arrival_ns_ <= events_.front().time_ns) {
    StartSession(next_arrival_ns_);
    next_arrival_ns_ += 1 + static_cast<int64_t>(rng_.Exp(mean_arrival_ns_));
  }
  std::pop_heap(events_.begin(), events_.end(), Later());
  const Event event = events_.back();
  events_.pop_back();

  Session& s = slots_[event.slot];
  const Step& step = s.steps[s.next++];
  const uint8_t d = step.dir;
  uint8_t proto = ip_proto::kUdp;
  if (s.transport == Transport::kTcp) proto = ip_proto::kTcp;
  if (s.transport == Transport::kIcmp) proto = s.src[d].v6 ? ip_proto::kIcmpv6 : ip_proto::kIcmp;

  builder_.Begin(s.link[d], s.src[d], s.dst[d], proto, s.ttl[d], s.ip_id[d]++);
  switch (s.transport) {
    case Transport::kTcp:
      builder_.Tcp(s.sport[d], s.dport[d], step.seq, step.ack, step.tcp_flags, step.window,
                   (step.tcp_flags & tcp_flags::kSyn) != 0);
      break;
    case Transport::kUdp:
      builder_.Udp(s.sport[d], s.dport[d]);
      break;
    case Transport::kIcmp:
      builder_.IcmpEcho(d == 1, s.icmp_id, static_cast<uint16_t>(step.seq));
      break;
  }
  FillPayload(s, step, builder_.payload());
  if (s.done()) {
    free_slots_.push_back(event.slot);
  } else {
    Schedule(event.time_ns + static_cast<int64_t>(s.steps[s.next].gap_ns), event.slot);
  }
  if (!builder_.Finish()) return false;

  frame->ts_ns = event.time_ns;
  frame->data = builder_.data();
  frame->size = builder_.size();
  return true;
}

}  // namespace mcpcap::gencap
