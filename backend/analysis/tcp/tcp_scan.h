// Shared by the four TCP analyses: the server filter of the requests, one pass of the
// connection tracker over a capture, and the proto form of a tracked connection.
#ifndef MCPCAP_BACKEND_ANALYSIS_TCP_TCP_SCAN_H_
#define MCPCAP_BACKEND_ANALYSIS_TCP_TCP_SCAN_H_

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "backend/analysis/common/frame_scan.h"
#include "backend/tcp/connection_tracker.h"
#include "mcpcap/v1/capture.pb.h"
#include "mcpcap/v1/tcp.pb.h"

namespace mcpcap {

// Connections with one endpoint matching the address (if any) and the port (if any).
struct TcpServerFilter {
  bool has_ip = false;
  IpAddress ip;
  uint16_t port = 0;  // 0 = any
  std::string ip_text;

  bool MatchesEndpoint(const IpAddress& a, uint16_t p) const {
    return (!has_ip || a == ip) && (port == 0 || p == port);
  }
  bool Matches(const DecodedPacket& pkt) const {
    return MatchesEndpoint(pkt.ip.src, pkt.src_port) || MatchesEndpoint(pkt.ip.dst, pkt.dst_port);
  }
  void Fill(v1::TcpFilter* out) const;
  // The filter as an endpoint: the address (empty for any) and the port (absent for any).
  void FillEndpoint(v1::Endpoint* out) const;
};

// INVALID_ARGUMENT when the address is not an IPv4/IPv6 literal or the port exceeds 65535.
absl::StatusOr<TcpServerFilter> ParseTcpServerFilter(const std::string& ip, uint32_t port);

// The bound of the top lists that are not paged listings (RSTs by source): a summary's size,
// whatever the page size, so that every page of a call carries the same statistics.
inline constexpr uint32_t kTcpTopEntries = 10;

// Counts of one tracker pass.
struct TcpScanStats {
  uint64_t tcp_packets = 0;  // TCP segments that passed the filter
  uint64_t connections = 0;
  size_t peak_connections = 0;
  uint64_t evicted_for_room = 0;
};

// Opens the capture, runs every TCP segment that passes `filter` through a tracker reporting to
// `observer`, and drains the tracker. The scan stays open for the result's summary.
absl::StatusOr<std::unique_ptr<FrameScan>> RunTcpScan(const AnalysisInput& input,
                                                      const TcpServerFilter& filter,
                                                      TcpObserver* observer, TcpScanStats* stats);

void FillTcpConnection(const TcpConnectionRecord& c, v1::TcpConnection* out);

// The proto forms of the tracker's closed sets.
v1::TcpConnState TcpConnStateOf(const TcpConnectionRecord& c);
v1::TcpEventKind TcpEventKindOf(int event_index);

// An address and its port.
void FillTcpEndpoint(const TcpEndpoint& e, v1::Endpoint* out);

// Appends (name, count) pairs, most frequent first, then by name: deterministic JSON.
template <typename Map>
void FillNameCounts(const Map& counts, size_t max,
                    google::protobuf::RepeatedPtrField<v1::NameCount>* out) {
  std::vector<std::pair<std::string, uint64_t>> rows(counts.begin(), counts.end());
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  if (rows.size() > max) rows.resize(max);
  for (auto& [name, n] : rows) {
    v1::NameCount* nc = out->Add();
    nc->set_name(name);
    nc->set_count(n);
  }
}

// "ab" is `a` over `b`, 0 when b is 0: the original's convention for ratios.
inline double TcpRatio(double a, double b) { return b == 0 ? 0 : a / b; }

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_TCP_TCP_SCAN_H_
