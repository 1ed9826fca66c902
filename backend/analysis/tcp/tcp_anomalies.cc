#include "backend/analysis/tcp/tcp_anomalies.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "backend/analysis/common/listing.h"
#include "backend/analysis/tcp/tcp_diagnoses.h"
#include "backend/analysis/tcp/tcp_scan.h"
#include "backend/base/status_macros.h"
#include "backend/base/time_format.h"

namespace mcpcap {
namespace {

// RST sources are counted per address up to this many addresses (hostile captures).
constexpr size_t kMaxRstSources = 4096;

struct StallRow {
  double seconds = 0;
  uint64_t start = 0;
  v1::TcpZeroWindowStall proto;
  bool operator<(const StallRow& o) const {  // longest first, then earliest
    return std::make_tuple(-seconds, start) < std::make_tuple(-o.seconds, o.start);
  }
};

class AnomalyObserver : public TcpObserver {
 public:
  explicit AnomalyObserver(uint32_t limit) : limit_(limit) {}

  void OnSegment(const TcpConnectionRecord& c, const TcpSegmentView& s) override {
    ++f.tcp_packets;
    if (s.seglen > 0) ++f.data_packets;
    for (int i = 0; i < kTcpEventKinds; ++i) {
      if ((s.events & (1u << i)) == 0) continue;
      ++f.events[static_cast<size_t>(i)];
      f.event_examples[static_cast<size_t>(i)].Add(s.frame);
    }
    if ((s.flags & kTcpRst) == 0) return;
    ++f.rst_total;
    rst_examples_.Add(s.frame);
    (s.from_client ? f.rst_from_client : f.rst_from_server)++;
    if (s.seglen > 0) ++f.rst_with_data;
    const TcpDirection& me = s.from_client ? c.c2s : c.s2c;
    if (me.fin > 0) ++f.rst_after_fin;
    const IpAddress& src = s.from_client ? c.client.ip : c.server.ip;
    auto it = rst_sources_.find(src);
    if (it != rst_sources_.end()) {
      ++it->second;
    } else if (rst_sources_.size() < kMaxRstSources) {
      rst_sources_.emplace(src, 1);
    }
  }

  void OnStall(const TcpConnectionRecord& c, const TcpZeroWindowStall& s) override {
    ++f.stalls;
    const double seconds = static_cast<double>(s.duration) / 1e9;
    f.stall_seconds_total += seconds;
    f.stall_seconds_max = std::max(f.stall_seconds_max, seconds);
    f.stall_examples.Add(s.start_frame);
    StallRow row;
    row.seconds = seconds;
    row.start = s.start_frame;
    row.proto.set_connection(c.Name());
    row.proto.set_receiver(s.by_client ? "client" : "server");
    row.proto.set_start_packet(s.start_frame);
    row.proto.set_end_packet(s.end_frame);
    row.proto.set_duration_seconds(seconds);
    row.proto.set_probes(s.probes);
    stalls_.insert(std::move(row));
    if (stalls_.size() > limit_) stalls_.erase(std::prev(stalls_.end()));
  }

  void OnFinished(const TcpConnectionRecord& c) override {
    ++f.connections;
    const std::string state = c.zeek.State();
    if (!c.saw_syn && !c.saw_syn_ack) ++f.mid_stream;
    if (c.saw_syn) ++f.handshake_attempts;
    if (c.handshake_completed) ++f.handshakes_ok;
    if (c.retransmissions() > 0) ++f.connections_with_loss;
    if (c.HasReset()) ++connections_with_rst_;
    if (c.rst_refused) {
      ++f.refused;
      f.refused_examples.Add(c.first_rst_frame);
    }
    if (c.rst_mid_stream) {
      // Attributed to whoever sent the first RST.
      const bool by_client = c.c2s.rst > 0 && (c.s2c.rst == 0 || c.first_from_client);
      (by_client ? f.mid_stream_by_client : f.mid_stream_by_server)++;
      (by_client ? f.mid_stream_client_examples : f.mid_stream_server_examples)
          .Add(c.first_rst_frame);
    }
    if (c.c2s.rst_ttl_mismatch || c.s2c.rst_ttl_mismatch) {
      ++f.rst_ttl_mismatch;
      f.ttl_examples.Add(c.first_rst_frame);
    }
    if (state == "S0") {
      ++f.syn_unanswered;
      f.unanswered_examples.Add(c.first_frame);
    }
    if (c.syn_retries > 0) ++f.syn_retried;

    bool any = false;
    for (uint32_t n : c.events) any |= n > 0;
    if (!any) return;
    ++with_events_;
    v1::TcpConnectionAnomalies row;
    row.set_connection(c.Name());
    row.set_conn_state(state);
    row.set_first_packet(c.first_frame);
    row.set_packets(c.packets());
    for (int i = 0; i < kTcpEventKinds; ++i) {
      const size_t k = static_cast<size_t>(i);
      if (c.events[k] == 0) continue;
      v1::TcpEventCount* e = row.add_events();
      e->set_kind(std::string(TcpEventName(i)));
      e->set_count(c.events[k]);
      e->add_example_packets(c.first_event_frame[k]);
    }
    // The earliest connections with events, by first frame.
    by_connection_.emplace(c.id, std::move(row));
    if (by_connection_.size() > limit_) by_connection_.erase(std::prev(by_connection_.end()));
  }

  TcpAnomalyFacts f;
  uint32_t limit_;
  uint64_t with_events_ = 0;
  uint64_t connections_with_rst_ = 0;
  TcpExamples rst_examples_;
  std::multiset<StallRow> stalls_;  // equal stalls are kept, in the order they ended
  std::map<uint64_t, v1::TcpConnectionAnomalies> by_connection_;
  absl::flat_hash_map<IpAddress, uint64_t> rst_sources_;
};

void FillRstPatterns(const AnomalyObserver& o, uint32_t limit, v1::RstPattern* out) {
  const TcpAnomalyFacts& f = o.f;
  out->set_total_rsts(f.rst_total);
  out->set_from_client(f.rst_from_client);
  out->set_from_server(f.rst_from_server);
  out->set_refused_connections(f.refused);
  out->set_mid_stream_resets(f.mid_stream_by_client + f.mid_stream_by_server);
  out->set_rst_with_data(f.rst_with_data);
  out->set_ttl_mismatch(f.rst_ttl_mismatch);
  out->set_after_fin(f.rst_after_fin);
  out->set_connections_with_rst(o.connections_with_rst_);
  for (uint64_t x : o.rst_examples_.frames) out->add_example_packets(x);
  std::map<std::string, uint64_t> sources;
  for (const auto& [ip, n] : o.rst_sources_) sources[AddressText(ip)] = n;
  FillNameCounts(sources, limit, out->mutable_by_source());
}

}  // namespace

absl::StatusOr<v1::AnalyzeTcpAnomaliesResponse> AnalyzeTcpAnomalies(
    const AnalysisInput& input, const v1::AnalyzeTcpAnomaliesRequest& request) {
  ASSIGN_OR_RETURN(TcpServerFilter filter,
                   ParseTcpServerFilter(request.server_ip(), request.server_port()));
  const uint32_t limit = TcpMaxResults(input);
  v1::AnalyzeTcpAnomaliesResponse out;
  out.set_file(input.source);
  out.set_analysis_timestamp(NowUtcIso());
  filter.Fill(out.mutable_filter());
  AnomalyObserver observer(limit);
  TcpScanStats stats;
  ASSIGN_OR_RETURN(std::unique_ptr<DecodedScan> scan, RunTcpScan(input, filter, &observer, &stats));
  scan->FillSummary(out.mutable_capture());
  const TcpAnomalyFacts& f = observer.f;
  out.set_total_connections(f.connections);
  out.set_total_packets(f.tcp_packets);
  for (int i = 0; i < kTcpEventKinds; ++i) {
    const size_t k = static_cast<size_t>(i);
    v1::TcpEventCount* e = out.add_events();  // every kind, zeros included: absence is data
    e->set_kind(std::string(TcpEventName(i)));
    e->set_count(f.events[k]);
    for (uint64_t x : f.event_examples[k].frames) e->add_example_packets(x);
  }
  FillRstPatterns(observer, limit, out.mutable_rst_patterns());
  out.set_syn_unanswered(f.syn_unanswered);
  out.set_syn_retried(f.syn_retried);
  out.set_mid_stream_connections(f.mid_stream);
  out.set_connections_with_events(observer.with_events_);
  for (auto& [id, row] : observer.by_connection_) *out.add_by_connection() = row;
  Listing conn_listing("by_connection", limit);
  for (uint64_t i = 0; i < observer.with_events_; ++i) conn_listing.Admit();
  conn_listing.Report(out.mutable_capture());
  out.set_zero_window_stall_count(f.stalls);
  for (const StallRow& s : observer.stalls_) *out.add_zero_window_stalls() = s.proto;
  Listing stall_listing("zero_window_stalls", limit);
  for (uint64_t i = 0; i < f.stalls; ++i) stall_listing.Admit();
  stall_listing.Report(out.mutable_capture());
  for (v1::Finding& d : DiagnoseTcp(f)) *out.add_diagnoses() = std::move(d);
  return out;
}

}  // namespace mcpcap
