#include "backend/flow/ip_reassembler.h"

#include <algorithm>
#include <cstring>

#include "backend/dissect/decoder.h"

namespace mcpcap {
namespace {

constexpr uint32_t kMaxIpLength = 65535;
constexpr uint8_t kIpProtocolTcp = 6, kIpProtocolUdp = 17;

// Extension headers that may follow the fragment header inside the fragmentable part (RFC 8200
// 4.1); they are walked here because the decoder stops at the fragment header.
constexpr uint8_t kHopByHop = 0, kRouting = 43, kAh = 51, kDestinationOptions = 60;
constexpr int kMaxExtensionHeaders = 8;

// Walks the extension headers at the start of a reassembled IPv6 payload. On a truncated chain
// it stops at the header it could not read, which DecodeTransport then reports as "other".
void SkipIpv6ExtensionHeaders(uint8_t* protocol, Bytes* payload) {
  for (int i = 0; i < kMaxExtensionHeaders; ++i) {
    const uint8_t p = *protocol;
    if (p != kHopByHop && p != kRouting && p != kAh && p != kDestinationOptions) return;
    if (payload->size() < 2) return;
    const size_t length =
        p == kAh ? (size_t{(*payload)[1]} + 2) * 4 : (size_t{(*payload)[1]} + 1) * 8;
    if (length > payload->size()) return;
    *protocol = (*payload)[0];
    *payload = payload->subspan(length);
  }
}

}  // namespace

IpReassembler::IpReassembler(IpReassemblyLimits limits) : limits_(limits) {
  if (limits_.max_datagrams == 0) limits_.max_datagrams = 1;
  if (limits_.max_fragments_per_datagram == 0) limits_.max_fragments_per_datagram = 1;
  if (limits_.timeout < 0) limits_.timeout = 0;
}

const ReassembledDatagram* IpReassembler::Feed(const DecodedPacket& pkt, uint64_t frame_number,
                                               CaptureNanos time, FlowAnomalySet* anomalies) {
  FlowAnomalySet local;
  if (anomalies == nullptr) anomalies = &local;
  ExpireUntil(time);
  const IpInfo& ip = pkt.ip;
  if (!ip.is_fragment || (ip.version != 4 && ip.version != 6)) return nullptr;
  ++stats_.fragments;

  // A fragment the capture cut short would leave a hole of made-up bytes: ignore it.
  const size_t expected =
      ip.total_length > ip.header_length ? size_t{ip.total_length} - ip.header_length : 0;
  if (ip.payload.size() < expected) {
    ++stats_.truncated_fragments;
    anomalies->Add(FlowAnomaly::kFragmentTruncated);
    return nullptr;
  }

  Key key;
  key.src = ip.src;
  key.dst = ip.dst;
  key.id = ip.id;
  key.protocol = ip.version == 4 ? ip.protocol : 0;
  auto found = index_.find(key);

  // The reassembled packet must fit IPv4's total length or IPv6's payload length.
  const uint32_t offset = ip.fragment_offset;
  const uint64_t end = uint64_t{offset} + ip.payload.size();
  const uint64_t header_room = ip.version == 4 ? ip.header_length : 0;
  if (end + header_room > kMaxIpLength) {
    ++stats_.dropped_too_large;
    anomalies->Add(FlowAnomaly::kFragmentTooLarge);
    if (found != index_.end()) Drop(found->second);
    return nullptr;
  }

  DatagramList::iterator it;
  if (found != index_.end()) {
    it = found->second;
  } else {
    if (index_.size() >= limits_.max_datagrams) {
      ++stats_.dropped_too_many_datagrams;
      Drop(datagrams_.begin());
    }
    it = datagrams_.emplace(datagrams_.end());
    it->key = key;
    it->version = ip.version;
    it->first_frame = frame_number;
    it->first_time = clock_;
    index_.emplace(key, it);
  }
  Datagram& d = *it;
  if (++d.fragment_count > limits_.max_fragments_per_datagram) {
    ++stats_.dropped_too_many_fragments;
    anomalies->Add(FlowAnomaly::kFragmentTooMany);
    Drop(it);
    return nullptr;
  }
  d.first_frame = std::min(d.first_frame, frame_number);
  if (offset == 0 && !d.has_first) {
    d.has_first = true;
    d.protocol = ip.protocol;  // IPv6: only the offset-0 fragment's next header counts
  }

  Bytes bytes = ip.payload;
  const uint32_t end32 = static_cast<uint32_t>(end);
  if (!ip.more_fragments) {
    const uint32_t received_end = d.ranges.empty() ? 0 : d.ranges.back().end;
    if (d.has_last ? d.total_length != end32 : received_end > end32) {
      ++stats_.bad_end;
      anomalies->Add(FlowAnomaly::kFragmentBadEnd);  // first end wins; its data is still used
    } else {
      d.has_last = true;
      d.total_length = end32;
    }
  }
  if (d.has_last && end32 > d.total_length) {
    if (ip.more_fragments) {
      ++stats_.bad_end;
      anomalies->Add(FlowAnomaly::kFragmentBadEnd);
    }
    bytes = offset >= d.total_length ? Bytes() : bytes.first(d.total_length - offset);
  }
  Merge(d, offset, bytes, anomalies);
  if (!EnforceMemoryLimit(it)) return nullptr;
  if (!IsComplete(d)) return nullptr;
  return Complete(it, frame_number);
}

void IpReassembler::Merge(Datagram& d, uint32_t offset, Bytes bytes, FlowAnomalySet* anomalies) {
  if (bytes.empty()) return;
  const uint32_t end = offset + static_cast<uint32_t>(bytes.size());
  bool overlap = false;
  bool conflict = false;
  for (const Range& r : d.ranges) {
    const uint32_t b = std::max(offset, r.begin);
    const uint32_t e = std::min(end, r.end);
    if (b >= e) continue;
    overlap = true;
    if (std::memcmp(d.data.data() + b, bytes.data() + (b - offset), e - b) != 0) conflict = true;
  }
  if (overlap) {
    ++stats_.overlaps;
    anomalies->Add(FlowAnomaly::kFragmentOverlap);
  }
  if (conflict) {
    ++stats_.overlap_conflicts;
    anomalies->Add(FlowAnomaly::kFragmentOverlapConflict);
  }

  if (end > d.data.size()) {
    buffered_bytes_ += end - d.data.size();
    d.data.resize(end);
  }
  // Copy only into the holes between ranges already received.
  auto copy = [&](uint32_t b, uint32_t e) {
    std::memcpy(d.data.data() + b, bytes.data() + (b - offset), e - b);
  };
  uint32_t cursor = offset;
  for (const Range& r : d.ranges) {
    if (r.end <= cursor) continue;
    if (r.begin >= end) break;
    if (r.begin > cursor) copy(cursor, r.begin);
    cursor = std::max(cursor, r.end);
    if (cursor >= end) break;
  }
  if (cursor < end) copy(cursor, end);

  // Insert and coalesce: the list stays sorted, disjoint and no longer than the fragment count.
  d.ranges.push_back({offset, end});
  std::sort(d.ranges.begin(), d.ranges.end(),
            [](const Range& a, const Range& b) { return a.begin < b.begin; });
  size_t out = 0;
  for (size_t i = 1; i < d.ranges.size(); ++i) {
    if (d.ranges[i].begin <= d.ranges[out].end) {
      d.ranges[out].end = std::max(d.ranges[out].end, d.ranges[i].end);
    } else {
      d.ranges[++out] = d.ranges[i];
    }
  }
  d.ranges.resize(out + 1);
}

bool IpReassembler::IsComplete(const Datagram& d) const {
  if (!d.has_last || !d.has_first) return false;
  return d.ranges.size() == 1 && d.ranges[0].begin == 0 && d.ranges[0].end == d.total_length;
}

const ReassembledDatagram* IpReassembler::Complete(DatagramList::iterator it,
                                                   uint64_t frame_number) {
  Datagram& d = *it;
  buffered_bytes_ -= std::min(buffered_bytes_, d.data.size());
  completed_data_ = std::move(d.data);  // reuses the buffer: no copy of the payload
  completed_data_.resize(d.total_length);
  completed_ = ReassembledDatagram();
  completed_.version = d.version;
  completed_.protocol = d.protocol;
  completed_.id = d.key.id;
  completed_.src = d.key.src;
  completed_.dst = d.key.dst;
  completed_.first_frame = d.first_frame;
  completed_.last_frame = frame_number;
  completed_.fragment_count = d.fragment_count;
  completed_.payload = Bytes(completed_data_.data(), completed_data_.size());
  if (d.version == 6) SkipIpv6ExtensionHeaders(&completed_.protocol, &completed_.payload);
  ++stats_.reassembled;
  index_.erase(d.key);
  datagrams_.erase(it);
  return &completed_;
}

void IpReassembler::Drop(DatagramList::iterator it) {
  buffered_bytes_ -= std::min(buffered_bytes_, it->data.size());
  index_.erase(it->key);
  datagrams_.erase(it);
}

bool IpReassembler::EnforceMemoryLimit(DatagramList::iterator keep) {
  if (keep->data.size() > limits_.max_buffered_bytes) {  // could never fit: spare the others
    ++stats_.dropped_memory;
    Drop(keep);
    return false;
  }
  while (buffered_bytes_ > limits_.max_buffered_bytes && !datagrams_.empty()) {
    auto victim = datagrams_.begin();
    if (victim == keep) victim = std::next(victim);
    if (victim == datagrams_.end()) victim = keep;  // the newest alone is over the limit
    ++stats_.dropped_memory;
    const bool dropping_keep = victim == keep;
    Drop(victim);
    if (dropping_keep) return false;
  }
  return true;
}

void IpReassembler::ExpireUntil(CaptureNanos time) {
  if (time > clock_) clock_ = time;
  // Unsigned difference: first_time <= clock_ always, and no overflow at extreme timestamps.
  while (!datagrams_.empty() &&
         static_cast<uint64_t>(clock_) - static_cast<uint64_t>(datagrams_.front().first_time) >
             static_cast<uint64_t>(limits_.timeout)) {
    ++stats_.timed_out;
    Drop(datagrams_.begin());
  }
}

void IpReassembler::Flush() {
  stats_.timed_out += datagrams_.size();
  datagrams_.clear();
  index_.clear();
  buffered_bytes_ = 0;
  completed_data_ = std::vector<uint8_t>();
  completed_ = ReassembledDatagram();
}

const ReassembledDatagram* ReassembleFragment(IpReassembler& reassembler,
                                              const DecodedPacket& fragment, uint64_t frame,
                                              CaptureNanos time, DecodedPacket* whole,
                                              FlowAnomalySet* anomalies) {
  const ReassembledDatagram* datagram = reassembler.Feed(fragment, frame, time, anomalies);
  if (datagram == nullptr) return nullptr;
  *whole = fragment;
  whole->ip.is_fragment = false;
  DecodeTransport(datagram->protocol, datagram->payload, whole);
  return datagram;
}

const DecodedPacket* WholeTcpOrUdp(IpReassembler& reassembler, const DecodedPacket& decoded,
                                   uint64_t frame, CaptureNanos time, DecodedPacket* whole) {
  if (decoded.l3_kind != L3Kind::kIpv4 && decoded.l3_kind != L3Kind::kIpv6) return nullptr;
  const DecodedPacket* packet = &decoded;
  if (decoded.ip.is_fragment) {
    // Fragments of other protocols are not worth the reassembly memory here.
    if (decoded.ip.protocol != kIpProtocolTcp && decoded.ip.protocol != kIpProtocolUdp) {
      return nullptr;
    }
    if (ReassembleFragment(reassembler, decoded, frame, time, whole) == nullptr) return nullptr;
    packet = whole;
  }
  const bool tcp_or_udp = packet->l4_kind == L4Kind::kTcp || packet->l4_kind == L4Kind::kUdp;
  return tcp_or_udp ? packet : nullptr;
}

}  // namespace mcpcap
