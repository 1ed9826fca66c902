// Echo request/reply pairing for ICMP and ICMPv6: by host pair, identifier and sequence, as
// Wireshark does, so pings from different hosts that share an identifier never merge. Keeps per
// session (source, destination, identifier) the counts, RTTs and what the payloads looked like.
#ifndef MCPCAP_BACKEND_ANALYSIS_ICMP_ICMP_ECHO_H_
#define MCPCAP_BACKEND_ANALYSIS_ICMP_ICMP_ECHO_H_

#include <cstdint>
#include <map>
#include <tuple>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "backend/base/byte_reader.h"
#include "backend/dissect/ip_address.h"
#include "backend/flow/capture_time.h"

namespace mcpcap {

// A ping session: who pings whom with which identifier (the requester's view).
struct EchoSessionKey {
  IpAddress source;
  IpAddress destination;
  uint16_t identifier = 0;
  bool v6 = false;

  friend bool operator==(const EchoSessionKey& a, const EchoSessionKey& b) {
    return a.identifier == b.identifier && a.v6 == b.v6 && a.source == b.source &&
           a.destination == b.destination;
  }
  friend bool operator<(const EchoSessionKey& a, const EchoSessionKey& b) {
    return std::tie(a.source, a.destination, a.identifier, a.v6) <
           std::tie(b.source, b.destination, b.identifier, b.v6);
  }
  template <typename H>
  friend H AbslHashValue(H h, const EchoSessionKey& k) {
    return H::combine(std::move(h), k.source, k.destination, k.identifier, k.v6);
  }
};

// A frame and its capture time, for listings and a finding's examples.
struct IcmpFrame {
  uint64_t frame = 0;
  CaptureNanos time = 0;
  friend bool operator<(const IcmpFrame& a, const IcmpFrame& b) { return a.frame < b.frame; }
  friend bool operator==(const IcmpFrame& a, const IcmpFrame& b) { return a.frame == b.frame; }
};

// What the echo data looked like: standard ping fillers, or something else.
enum class EchoPayloadShape : uint8_t { kEmpty, kStandard, kOdd };
EchoPayloadShape ClassifyEchoPayload(Bytes payload);

struct EchoSession {
  uint64_t requests = 0;
  uint64_t replies = 0;
  uint64_t answered = 0;           // requests that got at least one reply
  uint64_t unmatched_replies = 0;  // replies whose request was not captured
  uint64_t first_packet = 0;
  uint64_t last_packet = 0;
  CaptureNanos first_time = 0;
  CaptureNanos last_time = 0;
  std::vector<double> rtts_ms;  // at most kMaxRttSamples
  // Payload facts for the tunnelling indicators.
  uint64_t odd_payloads = 0;        // requests whose data is no known ping filler
  uint64_t mismatched_replies = 0;  // replies whose data differs from their request's
  uint64_t payload_bytes = 0;       // request and reply data together
  uint32_t max_payload = 0;
  uint32_t large_payloads = 0;          // requests with more than kLargeEchoPayload bytes
  std::vector<uint32_t> sizes;          // distinct request payload sizes, at most 16
  std::vector<IcmpFrame> odd_examples;  // at most 10
};

inline constexpr uint32_t kLargeEchoPayload = 1024;

class IcmpEchoTracker {
 public:
  static constexpr size_t kMaxRttSamples = 1 << 16;
  static constexpr size_t kMaxPending = 1 << 20;

  struct ReplyMatch {
    bool matched = false;
    bool duplicate = false;  // the request already had a reply
    uint64_t request_frame = 0;
    CaptureNanos request_time = 0;
    double rtt_ms = 0;
    uint8_t request_ttl = 0;
  };

  void OnRequest(const EchoSessionKey& key, uint16_t seq, uint64_t frame, CaptureNanos time,
                 uint8_t ttl, Bytes payload);
  // `key` is the reply's own view (source = the responder); it is flipped to the session.
  ReplyMatch OnReply(const EchoSessionKey& key, uint16_t seq, uint64_t frame, CaptureNanos time,
                     Bytes payload);

  const std::map<EchoSessionKey, EchoSession>& sessions() const { return sessions_; }
  uint64_t requests() const { return requests_; }
  uint64_t replies() const { return replies_; }

 private:
  struct PendingKey {
    EchoSessionKey session;
    uint16_t seq = 0;
    friend bool operator==(const PendingKey& a, const PendingKey& b) {
      return a.seq == b.seq && a.session == b.session;
    }
    template <typename H>
    friend H AbslHashValue(H h, const PendingKey& k) {
      return H::combine(std::move(h), k.session, k.seq);
    }
  };
  struct Pending {
    uint64_t frame = 0;
    CaptureNanos time = 0;
    uint64_t payload_hash = 0;
    uint32_t payload_size = 0;
    uint8_t ttl = 0;
    bool answered = false;
  };

  std::map<EchoSessionKey, EchoSession> sessions_;  // ordered: deterministic output
  absl::flat_hash_map<PendingKey, Pending> pending_;
  uint64_t requests_ = 0;
  uint64_t replies_ = 0;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_ICMP_ICMP_ECHO_H_
