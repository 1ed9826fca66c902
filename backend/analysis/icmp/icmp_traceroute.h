// Traceroute path reconstruction, one path per run. A run is the probes one prober sends to one
// destination with one protocol (ICMP echo probes: one identifier) until the TTL starts over at
// its first value, or a pause of more than kRunGap; answers join the run of the probe they quote
// (an answer more than kRunGap after its probe is not its answer). A run is listed when it drew at
// least one "TTL exceeded in transit"; its hops are the routers that sent those errors. The hop
// number is the TTL of the probe the error quotes when that probe was captured (the capture was
// taken on the prober), otherwise the router's rank in probe order (UDP destination port, ICMP
// sequence), and runs of answers alone are split the same way (a pause, the order starting
// over, or jumping to another range). The destination is reached when it answered a probe itself:
// port unreachable or echo reply.
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
  static constexpr size_t kMaxRuns = 1 << 16;
  // traceroute waits 5 s for an answer by default, tracepath and tracert less: a longer pause
  // between probes starts a new run, and an answer later than this after its probe is not its.
  static constexpr CaptureNanos kRunGap = 10 * kNanosPerSecond;

  // Any non-error IP packet; kept as a probe when its TTL is low.
  void OnPacket(const ProbeKey& key, uint8_t ttl, uint64_t frame, CaptureNanos time);
  // A hop-limit-exceeded error from `router` quoting probe `quoted`. Returns the probe's frame
  // and time when the probe was captured, else frame 0.
  IcmpFrame OnTimeExceeded(const IpAddress& router, const ProbeKey& quoted, uint64_t frame,
                           CaptureNanos time);
  // The destination answered probe `probe` (port unreachable, or echo reply to an echo request).
  // Counts only for runs that exist. Returns the probe's frame and time, or frame 0.
  IcmpFrame OnDestinationAnswer(const ProbeKey& probe, uint64_t frame, CaptureNanos time);
  // The frame and time of the captured probe an answer at `time` quotes, or frame 0.
  IcmpFrame ProbeFrame(const ProbeKey& key, CaptureNanos time) const;

  // Runs that drew a time-exceeded error.
  size_t path_count() const;
  // Paths sorted by (source, destination, protocol, first packet), those `listing` admits.
  void Fill(Listing& listing, google::protobuf::RepeatedPtrField<v1::TraceroutePath>* out) const;

 private:
  struct Probe {
    uint64_t frame = 0;
    CaptureNanos time = 0;
    uint8_t ttl = 0;
    uint32_t run = 0;
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
  struct Run {
    IpAddress source, destination;
    uint8_t protocol = 0;
    bool echo = false;
    uint16_t echo_id = 0;
    uint64_t first_frame = 0, last_frame = 0;
    CaptureNanos first_time = 0, last_time = 0;
    uint64_t probes = 0;
    uint8_t max_ttl = 0;
    std::map<uint8_t, uint32_t> probes_per_ttl;
    bool time_exceeded = false;
    std::vector<Answer> answers;  // bounded by kMaxAnswers
    void Touch(uint64_t frame, CaptureNanos time);
    void Start(const ProbeKey& key);  // empties it for a run of `key`'s stream
  };
  // One prober, destination, protocol and (ICMP) echo identifier: where runs follow one another.
  struct Stream {
    int64_t run = -1;  // current run of captured probes
    CaptureNanos last_probe = 0;
    uint8_t first_ttl = 0, max_ttl = 0;
    int64_t answer_run = -1;  // current run of answers whose probes were not captured
    CaptureNanos last_answer = 0;
    uint32_t first_order = 0, max_order = 0;
  };
  static constexpr size_t kMaxAnswers = 1024;
  using StreamKey = std::tuple<IpAddress, IpAddress, uint8_t, uint16_t>;

  static StreamKey StreamOf(const ProbeKey& k);
  const Probe* FindProbe(const ProbeKey& key, CaptureNanos time) const;
  // The run an answer to `key` at `time` belongs to (-1: none), and the answer itself.
  int64_t Place(const IpAddress& router, const ProbeKey& key, uint64_t frame, CaptureNanos time,
                bool may_start, Answer* answer);
  int64_t NewRun(const ProbeKey& key);
  void FillPath(const Run& run, v1::TraceroutePath* out) const;

  absl::flat_hash_map<ProbeKey, Probe> probes_;
  std::map<StreamKey, Stream> streams_;
  std::vector<Run> runs_;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_ICMP_ICMP_TRACEROUTE_H_
