// Helpers for the TCP tests: run the connection tracker over a capture file and collect the
// tcp.analysis events of every frame, the way tshark reports them.
#ifndef MCPCAP_TESTS_ANALYSIS_TCP_TCP_TEST_UTIL_H_
#define MCPCAP_TESTS_ANALYSIS_TCP_TCP_TEST_UTIL_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "backend/analysis/common/decoded_scan.h"
#include "backend/tcp/connection_tracker.h"

namespace mcpcap::testing {

struct TrackedCapture {
  bool ok = false;
  std::map<uint64_t, uint32_t> events;  // frame -> TcpEvent bits (frames with any)
  uint64_t tcp_frames = 0;
  uint64_t connections = 0;
  size_t peak_table = 0;
};

inline TrackedCapture TrackCapture(
    const std::string& path,
    size_t max_connections = TcpConnectionTracker::kDefaultMaxConnections) {
  struct Collect : TcpObserver {
    TrackedCapture* out;
    void OnSegment(const TcpConnectionRecord&, const TcpSegmentView& s) override {
      if (s.events != 0) out->events[s.frame] |= s.events;
    }
  } collect;
  TrackedCapture out;
  collect.out = &out;
  AnalysisInput input;
  input.source = path;
  input.local_path = path;
  auto scan = DecodedScan::Open(input);
  if (!scan.ok()) return out;
  TcpConnectionTracker tracker(&collect, max_connections);
  const absl::Status st = (*scan)->Run([&](const PacketRecord& r, const DecodedPacket& p) {
    if (tracker.Process(r.frame_number, r.ts_sec, r.ts_nsec, r.origlen, p, r.data.data()))
      ++out.tcp_frames;
  });
  tracker.Finish();
  out.ok = st.ok();
  out.connections = tracker.connections();
  out.peak_table = tracker.peak_table_size();
  return out;
}

}  // namespace mcpcap::testing

#endif  // MCPCAP_TESTS_ANALYSIS_TCP_TCP_TEST_UTIL_H_
