// Traceroute path reconstruction. A path is a (prober, final destination, probe protocol) that drew
// at least one "TTL exceeded in transit"; its hops are the routers that sent those errors. The hop
// number is the TTL of the probe the error quotes when that probe was captured (the capture was
// taken on the prober), otherwise the router's rank in probe order (UDP destination port, ICMP
// sequence). The destination is reached when it answered a probe itself: port unreachable or echo
// reply.
#ifndef MCPCAP_BACKEND_ANALYSIS_ICMP_ICMP_TRACEROUTE_H_
#define MCPCAP_BACKEND_ANALYSIS_ICMP_ICMP_TRACEROUTE_H_

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "backend/analysis/common/listing.h"
#include "backend/analysis/icmp/icmp_echo.h"
#include "backend/dissect/ip_address.h"
#include "backend/flow/capture_time.h"
#include "mcpcap/v1/icmp.pb.h"

namespace mcpcap {

// What identifies one probe: addresses, protocol, and ports (TCP/UDP) or id/seq (ICMP echo).
struct ProbeKey {
  IpAddress src;
  IpAddress dst;
  uint8_t protocol = 0;
  uint16_t a = 0;  // source port, or echo identifier
  uint16_t b = 0;  // destination port, or echo sequence

  friend bool operator==(const ProbeKey& x, const ProbeKey& y) {
    return x.protocol == y.protocol && x.a == y.a && x.b == y.b && x.src == y.src && x.dst == y.dst;
  }
  template <typename H>
  friend H AbslHashValue(H h, const ProbeKey& k) {
    return H::combine(std::move(h), k.src, k.dst, k.protocol, k.a, k.b);
  }
};

class IcmpTracerouteBuilder {
 public:
  // Probes are remembered only when their TTL is at most this (traceroute never goes higher by
  // default, ordinary traffic starts at 64 or more), and only this many.
  static constexpr uint8_t kMaxProbeTtl = 40;
  static constexpr size_t kMaxProbes = 1 << 18;
  static constexpr uint32_t kMaxHops = 64;

  // Any non-error IP packet; kept as a probe when its TTL is low.
  void OnPacket(const ProbeKey& key, uint8_t ttl, uint64_t frame, CaptureNanos time);
  // A hop-limit-exceeded error from `router` quoting probe `quoted`. Returns the probe's frame
  // and time when the probe was captured, else frame 0.
  IcmpFrame OnTimeExceeded(const IpAddress& router, const ProbeKey& quoted, uint64_t frame,
                           CaptureNanos time);
  // The destination answered probe `probe` (port unreachable, or echo reply to an echo request).
  // Counts only for pairs that already have a path. Returns the probe's frame and time, or frame
  // 0.
  IcmpFrame OnDestinationAnswer(const ProbeKey& probe, uint64_t frame, CaptureNanos time);
  // The frame and time of a captured probe, or frame 0.
  IcmpFrame ProbeFrame(const ProbeKey& key) const;

  size_t path_count() const { return paths_.size(); }
  // Paths sorted by (source, destination), those `listing` admits.
  void Fill(Listing& listing, google::protobuf::RepeatedPtrField<v1::TraceroutePath>* out) const;

 private:
  struct Probe {
    uint64_t frame = 0;
    CaptureNanos time = 0;
    uint8_t ttl = 0;
  };
  struct Answer {
    IpAddress router;
    uint8_t probe_ttl = 0;  // 0 when the probe was not captured
    uint32_t order = 0;     // probe order key when it was not
    bool has_rtt = false;
    CaptureNanos rtt = 0;
    uint64_t frame = 0;
    CaptureNanos time = 0;
    bool destination = false;
  };
  struct Path {
    std::vector<Answer> answers;  // bounded by kMaxAnswers
  };
  static constexpr size_t kMaxAnswers = 1024;
  using PathKey = std::tuple<IpAddress, IpAddress, uint8_t>;  // prober, destination, protocol

  Answer MakeAnswer(const IpAddress& router, const ProbeKey& key, uint64_t frame,
                    CaptureNanos time) const;
  void FillPath(const PathKey& key, const Path& path, v1::TraceroutePath* out) const;

  absl::flat_hash_map<ProbeKey, Probe> probes_;
  std::map<PathKey, Path> paths_;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_ICMP_ICMP_TRACEROUTE_H_
