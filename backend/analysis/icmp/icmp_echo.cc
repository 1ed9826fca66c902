#include "backend/analysis/icmp/icmp_echo.h"

#include <algorithm>

namespace mcpcap {
namespace {

uint64_t Fnv1a(Bytes data) {
  uint64_t h = 1469598103934665603ull;
  for (uint8_t b : data) h = (h ^ b) * 1099511628211ull;
  return h;
}

// Bytes [from, end) count up by one (mod 256): the BSD/Linux filler after the timestamp.
bool Incrementing(Bytes p, size_t from) {
  for (size_t i = from + 1; i < p.size(); ++i) {
    if (p[i] != static_cast<uint8_t>(p[i - 1] + 1)) return false;
  }
  return true;
}

// Bytes [from, end) repeat with a period of at most 16 (ping -p, or zero fill).
bool Repeating(Bytes p, size_t from) {
  for (size_t period = 1; period <= 16; ++period) {
    bool ok = true;
    for (size_t i = from + period; i < p.size() && ok; ++i) ok = p[i] == p[i - period];
    if (ok) return true;
  }
  return false;
}

// Windows ping: "abcdefghijklmnopqrstuvw" over and over.
bool WindowsAlphabet(Bytes p) {
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] != 'a' + i % 23) return false;
  }
  return true;
}

double Ms(CaptureNanos from, CaptureNanos to) { return static_cast<double>(to - from) / 1e6; }

}  // namespace

EchoPayloadShape ClassifyEchoPayload(Bytes payload) {
  if (payload.empty()) return EchoPayloadShape::kEmpty;
  if (WindowsAlphabet(payload)) return EchoPayloadShape::kStandard;
  // Unix pings start with an 8- or 16-byte timestamp, then a filler.
  for (size_t from : {size_t{0}, size_t{8}, size_t{16}}) {
    if (from >= payload.size()) break;
    if (Incrementing(payload, from) || Repeating(payload, from)) return EchoPayloadShape::kStandard;
  }
  // Shorter than a timestamp: nothing to judge.
  if (payload.size() <= 16) return EchoPayloadShape::kStandard;
  return EchoPayloadShape::kOdd;
}

void IcmpEchoTracker::OnRequest(const EchoSessionKey& key, uint16_t seq, uint64_t frame,
                                CaptureNanos time, uint8_t ttl, Bytes payload) {
  ++requests_;
  EchoSession& s = sessions_[key];
  if (s.requests == 0 && s.replies == 0) {
    s.first_packet = frame;
    s.first_time = time;
  }
  ++s.requests;
  s.last_packet = frame;
  s.last_time = time;
  const uint32_t size = static_cast<uint32_t>(payload.size());
  s.payload_bytes += size;
  s.max_payload = std::max(s.max_payload, size);
  if (size > kLargeEchoPayload) ++s.large_payloads;
  if (s.sizes.size() < 16 && std::find(s.sizes.begin(), s.sizes.end(), size) == s.sizes.end()) {
    s.sizes.push_back(size);
  }
  if (ClassifyEchoPayload(payload) == EchoPayloadShape::kOdd) {
    ++s.odd_payloads;
    if (s.odd_examples.size() < 10) s.odd_examples.push_back({frame, time});
  }
  const PendingKey pk{key, seq};
  auto it = pending_.find(pk);
  if (it == pending_.end() && pending_.size() >= kMaxPending) return;  // bounded memory
  pending_[pk] = Pending{frame, time, Fnv1a(payload), size, ttl, false};
}

IcmpEchoTracker::ReplyMatch IcmpEchoTracker::OnReply(const EchoSessionKey& key, uint16_t seq,
                                                     uint64_t frame, CaptureNanos time,
                                                     Bytes payload) {
  ++replies_;
  const EchoSessionKey session{key.destination, key.source, key.identifier, key.v6};
  EchoSession& s = sessions_[session];
  if (s.requests == 0 && s.replies == 0) {
    s.first_packet = frame;
    s.first_time = time;
  }
  ++s.replies;
  s.last_packet = frame;
  s.last_time = time;
  s.payload_bytes += payload.size();

  ReplyMatch match;
  auto it = pending_.find(PendingKey{session, seq});
  if (it == pending_.end() || it->second.time > time) {
    ++s.unmatched_replies;
    return match;
  }
  Pending& p = it->second;
  match.matched = true;
  match.duplicate = p.answered;
  match.request_frame = p.frame;
  match.request_time = p.time;
  match.rtt_ms = Ms(p.time, time);
  match.request_ttl = p.ttl;
  if (p.payload_size != payload.size() || p.payload_hash != Fnv1a(payload)) {
    ++s.mismatched_replies;
  }
  if (!p.answered) {
    p.answered = true;
    ++s.answered;
    if (s.rtts_ms.size() < kMaxRttSamples) s.rtts_ms.push_back(match.rtt_ms);
  }
  return match;
}

}  // namespace mcpcap
