#include "backend/analysis/tcp/tcp_retransmissions.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "backend/analysis/common/listing.h"
#include "backend/analysis/tcp/tcp_scan.h"
#include "backend/base/error_details.h"
#include "backend/base/proto_time.h"
#include "backend/base/status_macros.h"

namespace mcpcap {
namespace {

constexpr double kDefaultThreshold = 0.02;

struct Row {
  double rate = 0;
  uint64_t retrans = 0;
  uint64_t id = 0;
  v1::ConnectionRetransmissions proto;
  // Worst first: highest rate, then most retransmissions, then first seen.
  bool operator<(const Row& o) const {
    return std::make_tuple(-rate, -static_cast<int64_t>(retrans), id) <
           std::make_tuple(-o.rate, -static_cast<int64_t>(o.retrans), o.id);
  }
};

class RetransObserver : public TcpObserver {
 public:
  RetransObserver(size_t limit, double threshold) : limit_(limit), threshold_(threshold) {}

  void OnFinished(const TcpConnectionRecord& c) override {
    const uint64_t fast = c.Count(kEvFastRetransmission);
    const uint64_t spurious = c.Count(kEvSpuriousRetransmission);
    const uint64_t retrans = c.retransmissions();
    const double rate = TcpRatio(static_cast<double>(retrans), static_cast<double>(c.packets()));
    total_ += retrans;
    fast_ += fast;
    spurious_ += spurious;
    if (rate > threshold_) ++above_;
    ++connections_;
    Row row;
    row.rate = rate;
    row.retrans = retrans;
    row.id = c.id;
    FillTcpEndpoint(c.client, row.proto.mutable_client());
    FillTcpEndpoint(c.server, row.proto.mutable_server());
    if (c.stream_index) row.proto.set_stream_index(*c.stream_index);
    row.proto.set_retrans_count(retrans);
    row.proto.set_fast_retransmissions(fast);
    row.proto.set_spurious_retransmissions(spurious);
    row.proto.set_packets(c.packets());
    row.proto.set_retrans_rate(rate);
    const uint64_t dup_ack = c.c2s.ack_retransmissions + c.s2c.ack_retransmissions;
    const uint64_t timer = c.c2s.timer_retransmissions + c.s2c.timer_retransmissions;
    row.proto.set_ack_triggered_retransmissions(dup_ack);
    row.proto.set_timer_retransmissions(timer);
    dup_ack_ += dup_ack;
    timer_ += timer;
    longest_wait_ = std::max({longest_wait_, c.c2s.longest_timer_wait, c.s2c.longest_timer_wait});
    if (!has_worst_ || row < worst_) {
      worst_ = row;
      has_worst_ = true;
    }
    rows_.insert(std::move(row));
    if (rows_.size() > limit_) rows_.erase(std::prev(rows_.end()));
  }

  size_t limit_;  // rows kept: the page and those before it
  Row worst_;     // over every connection, whatever the page
  bool has_worst_ = false;
  double threshold_;
  uint64_t total_ = 0, fast_ = 0, spurious_ = 0, above_ = 0, connections_ = 0;
  uint64_t dup_ack_ = 0, timer_ = 0;
  CaptureNanos longest_wait_ = 0;
  std::set<Row> rows_;
};

}  // namespace

absl::StatusOr<v1::AnalyzeTcpRetransmissionsResponse> AnalyzeTcpRetransmissions(
    const AnalysisInput& input, const v1::AnalyzeTcpRetransmissionsRequest& request) {
  const double threshold = request.has_threshold() ? request.threshold() : kDefaultThreshold;
  if (std::isnan(threshold) || threshold < 0 || threshold > 1) {
    return FieldError("threshold",
                      absl::StrCat("threshold ", threshold, " is not a rate between 0 and 1"));
  }
  ASSIGN_OR_RETURN(TcpServerFilter filter,
                   ParseTcpServerFilter(request.server_ip(), request.server_port()));
  Listing listing("by_connection", input.listings);
  v1::AnalyzeTcpRetransmissionsResponse out;
  SetNow(out.mutable_analysis_timestamp());
  RetransObserver observer(listing.keep(), threshold);
  TcpScanStats stats;
  ASSIGN_OR_RETURN(std::unique_ptr<FrameScan> scan, RunTcpScan(input, filter, &observer, &stats));
  scan->FillSummary(out.mutable_capture());
  out.set_tcp_packets_found(stats.tcp_packets);
  out.set_total_retransmissions(observer.total_);
  out.set_fast_retransmissions(observer.fast_);
  out.set_spurious_retransmissions(observer.spurious_);
  out.set_ack_triggered_retransmissions(observer.dup_ack_);
  out.set_timer_retransmissions(observer.timer_);
  if (observer.timer_ > 0)
    SetDurationNanos(observer.longest_wait_, out.mutable_longest_timer_wait());
  const double rate =
      TcpRatio(static_cast<double>(observer.total_), static_cast<double>(stats.tcp_packets));
  out.set_retransmission_rate(rate);
  out.set_threshold(threshold);
  out.set_exceeds_threshold(rate > threshold);
  listing.Count(observer.connections_);
  std::vector<const Row*> page;
  for (const Row& row : observer.rows_) page.push_back(&row);
  listing.Page(&page);
  for (const Row* row : page) *out.add_by_connection() = row->proto;
  listing.Report(out.mutable_capture());
  v1::RetransmissionSummary* summary = out.mutable_summary();
  if (observer.has_worst_ && observer.worst_.retrans > 0) {
    *summary->mutable_client() = observer.worst_.proto.client();
    *summary->mutable_server() = observer.worst_.proto.server();
    if (observer.worst_.proto.has_stream_index()) {
      summary->set_stream_index(observer.worst_.proto.stream_index());
    }
    summary->set_worst_retrans_rate(observer.worst_.rate);
  }
  summary->set_connections_above_threshold(observer.above_);
  return out;
}

}  // namespace mcpcap
