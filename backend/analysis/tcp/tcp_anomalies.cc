#include "backend/analysis/tcp/tcp_anomalies.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "backend/analysis/common/listing.h"
#include "backend/analysis/common/result_parts.h"
#include "backend/analysis/tcp/tcp_attempts.h"
#include "backend/analysis/tcp/tcp_diagnoses.h"
#include "backend/analysis/tcp/tcp_scan.h"
#include "backend/base/proto_time.h"
#include "backend/base/status_macros.h"

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
  AnomalyObserver(size_t stall_limit, size_t connection_limit)
      : stall_limit_(stall_limit), connection_limit_(connection_limit) {}

  void OnSegment(const TcpConnectionRecord& c, const TcpSegmentView& s) override {
    ++f.tcp_packets;
    if (s.seglen > 0) ++f.data_packets;
    for (int i = 0; i < kTcpEventKinds; ++i) {
      if ((s.events & (1u << i)) == 0) continue;
      ++f.events[static_cast<size_t>(i)];
      f.event_examples[static_cast<size_t>(i)].Add(s.frame, s.time);
    }
    if (s.trigger != TcpRetransmitTrigger::kNone) {
      if ((s.flags & kTcpSyn) != 0) {
        ++f.handshake_retransmissions;
      } else if (s.trigger == TcpRetransmitTrigger::kAck) {
        ++f.ack_retransmissions;
        f.ack_examples.Add(s.frame, s.time);
      } else {
        ++f.timer_retransmissions;
        f.timer_examples.Add(s.frame, s.time);
        f.longest_timer_wait = std::max(f.longest_timer_wait, s.wait);
      }
    }
    if ((s.flags & kTcpRst) == 0) return;
    ++f.rst_total;
    rst_examples_.Add(s.frame, s.time);
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
    f.stall_examples.Add(s.start_frame, s.start_time);
    StallRow row;
    row.seconds = seconds;
    row.start = s.start_frame;
    FillTcpEndpoint(c.client, row.proto.mutable_client());
    FillTcpEndpoint(c.server, row.proto.mutable_server());
    if (c.stream_index) row.proto.set_stream_index(*c.stream_index);
    row.proto.set_receiver(s.by_client ? v1::TCP_ROLE_CLIENT : v1::TCP_ROLE_SERVER);
    FillPacketRef(s.start_frame, s.start_time, row.proto.mutable_start_packet());
    if (s.end_frame != 0) {
      FillPacketRef(s.end_frame, s.start_time + s.duration, row.proto.mutable_end_packet());
    }
    SetDurationNanos(s.duration, row.proto.mutable_duration());
    row.proto.set_probes(s.probes);
    stalls_.insert(std::move(row));
    if (stalls_.size() > stall_limit_) stalls_.erase(std::prev(stalls_.end()));
  }

  void OnFinished(const TcpConnectionRecord& c) override {
    ++f.connections;
    const v1::TcpConnState state = TcpConnStateOf(c);
    if (!c.saw_syn && !c.saw_syn_ack) ++f.mid_stream;
    if (c.saw_syn) ++f.handshake_attempts;
    if (c.handshake_completed) ++f.handshakes_ok;
    if (c.retransmissions() > c.c2s.handshake_retransmissions + c.s2c.handshake_retransmissions) {
      ++f.connections_with_loss;
    }
    if (c.began_mid_handshake) {
      ++f.mid_handshake;
      f.mid_handshake_examples.Add(c.first_frame, c.first_time);
    } else if (c.syn_ack_first) {
      ++f.syn_not_captured;
      f.syn_not_captured_examples.Add(c.first_frame, c.first_time);
    }
    attempts.Add(c);
    if (c.HasReset()) ++connections_with_rst_;
    if (c.rst_refused) {
      ++f.refused;
      f.refused_examples.Add(c.first_rst_frame, c.first_rst_time);
    }
    if (c.rst_mid_stream) {
      // Attributed to whoever sent the first RST.
      const bool by_client = c.c2s.rst > 0 && (c.s2c.rst == 0 || c.first_from_client);
      (by_client ? f.mid_stream_by_client : f.mid_stream_by_server)++;
      (by_client ? f.mid_stream_client_examples : f.mid_stream_server_examples)
          .Add(c.first_rst_frame, c.first_rst_time);
    }
    if (c.c2s.rst_ttl_mismatch || c.s2c.rst_ttl_mismatch) {
      ++f.rst_ttl_mismatch;
      f.ttl_examples.Add(c.first_rst_frame, c.first_rst_time);
    }
    if (state == v1::TCP_CONN_STATE_S0) {
      ++f.syn_unanswered;
      f.unanswered_examples.Add(c.first_frame, c.first_time);
    }
    if (c.syn_retries > 0) ++f.syn_retried;

    bool any = false;
    for (uint32_t n : c.events) any |= n > 0;
    if (!any) return;
    ++with_events_;
    v1::TcpConnectionAnomalies row;
    FillTcpEndpoint(c.client, row.mutable_client());
    FillTcpEndpoint(c.server, row.mutable_server());
    if (c.stream_index) row.set_stream_index(*c.stream_index);
    row.set_conn_state(state);
    FillPacketRef(c.first_frame, c.first_time, row.mutable_first_packet());
    row.set_packets(c.packets());
    for (int i = 0; i < kTcpEventKinds; ++i) {
      const size_t k = static_cast<size_t>(i);
      if (c.events[k] == 0) continue;
      v1::TcpEventCount* e = row.add_events();
      e->set_kind(TcpEventKindOf(i));
      e->set_count(c.events[k]);
      FillPacketRef(c.first_event_frame[k], c.first_event_time[k], e->add_examples());
    }
    // The earliest connections with events, by first frame.
    by_connection_.emplace(c.id, std::move(row));
    if (by_connection_.size() > connection_limit_) {
      by_connection_.erase(std::prev(by_connection_.end()));
    }
  }

  TcpAnomalyFacts f;
  TcpAttemptCollector attempts;
  size_t stall_limit_, connection_limit_;  // entries kept: the page and those before it
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
  FillTcpExamples(o.rst_examples_, out->mutable_examples());
  std::map<std::string, uint64_t> sources;
  for (const auto& [ip, n] : o.rst_sources_) sources[AddressText(ip)] = n;
  FillNameCounts(sources, limit, out->mutable_by_source());
}

void FillScanner(const TcpScanFacts& s, v1::TcpScanner* out) {
  out->set_source(AddressText(s.source));
  out->set_distinct_ports(s.distinct_ports);
  out->set_distinct_hosts(s.distinct_hosts);
  out->set_attempts(s.attempts);
  out->set_open(s.open);
  out->set_refused(s.refused);
  out->set_unanswered(s.unanswered);
  for (const auto& [ip, n] : s.targets) out->add_targets(AddressText(ip));
  for (const TcpEndpoint& e : s.open_ports) FillTcpEndpoint(e, out->add_open_ports());
  out->set_lowest_port(s.lowest_port);
  out->set_highest_port(s.highest_port);
  if (s.first.frame != 0) {
    FillPacketRef(s.first.frame, s.first.time, out->mutable_first_packet());
    FillPacketRef(s.last.frame, s.last.time, out->mutable_last_packet());
  }
}

}  // namespace

absl::StatusOr<v1::AnalyzeTcpAnomaliesResponse> AnalyzeTcpAnomalies(
    const AnalysisInput& input, const v1::AnalyzeTcpAnomaliesRequest& request) {
  ASSIGN_OR_RETURN(TcpServerFilter filter,
                   ParseTcpServerFilter(request.server_ip(), request.server_port()));
  Listing conn_listing("by_connection", input.listings);
  Listing stall_listing("zero_window_stalls", input.listings);
  v1::AnalyzeTcpAnomaliesResponse out;
  SetNow(out.mutable_analysis_timestamp());
  filter.Fill(out.mutable_filter());
  AnomalyObserver observer(stall_listing.keep(), conn_listing.keep());
  TcpScanStats stats;
  ASSIGN_OR_RETURN(std::unique_ptr<FrameScan> scan, RunTcpScan(input, filter, &observer, &stats));
  scan->FillSummary(out.mutable_capture());
  const TcpAnomalyFacts& f = observer.f;
  out.set_total_connections(f.connections);
  out.set_tcp_packets_found(f.tcp_packets);
  for (int i = 0; i < kTcpEventKinds; ++i) {
    const size_t k = static_cast<size_t>(i);
    v1::TcpEventCount* e = out.add_events();  // every kind, zeros included: absence is data
    e->set_kind(TcpEventKindOf(i));
    e->set_count(f.events[k]);
    FillTcpExamples(f.event_examples[k], e->mutable_examples());
  }
  FillRstPatterns(observer, kTcpTopEntries, out.mutable_rst_patterns());
  out.set_syn_unanswered(f.syn_unanswered);
  out.set_syn_retried(f.syn_retried);
  out.set_mid_stream_connections(f.mid_stream);
  out.set_connections_with_events(observer.with_events_);
  conn_listing.Count(observer.with_events_);
  std::vector<const v1::TcpConnectionAnomalies*> rows;
  for (const auto& [id, row] : observer.by_connection_) rows.push_back(&row);
  conn_listing.Page(&rows);
  for (const v1::TcpConnectionAnomalies* row : rows) *out.add_by_connection() = *row;
  conn_listing.Report(out.mutable_capture());
  out.set_zero_window_stall_count(f.stalls);
  stall_listing.Count(f.stalls);
  std::vector<const StallRow*> stalls;
  for (const StallRow& s : observer.stalls_) stalls.push_back(&s);
  stall_listing.Page(&stalls);
  for (const StallRow* s : stalls) *out.add_zero_window_stalls() = s->proto;
  stall_listing.Report(out.mutable_capture());
  out.set_mid_handshake_connections(f.mid_handshake);
  const TcpAttemptFacts attempts = observer.attempts.Judge();
  out.set_scan_attempts(attempts.scan_attempts);
  for (const TcpScanFacts& s : attempts.scanners) {
    if (out.scanners_size() >= static_cast<int>(kTcpTopEntries)) break;
    FillScanner(s, out.add_scanners());
  }
  for (v1::Finding& d : DiagnoseTcp(f, attempts)) *out.add_findings() = std::move(d);
  return out;
}

}  // namespace mcpcap
