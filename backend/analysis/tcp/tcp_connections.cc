#include "backend/analysis/tcp/tcp_connections.h"

#include <map>
#include <vector>

#include "absl/strings/str_cat.h"
#include "backend/analysis/common/listing.h"
#include "backend/analysis/tcp/tcp_scan.h"
#include "backend/base/proto_time.h"
#include "backend/base/status_macros.h"

namespace mcpcap {
namespace {

// The original listed 10 connections unless asked for detail.
constexpr uint32_t kBriefConnections = 10;

class ConnectionsObserver : public TcpObserver {
 public:
  ConnectionsObserver(size_t limit, v1::TcpConnectionSummary* summary)
      : limit_(limit), summary_(summary) {}

  void OnFinished(const TcpConnectionRecord& c) override {
    v1::TcpConnectionSummary& s = *summary_;
    s.set_total_connections(s.total_connections() + 1);
    // One definition for all figures (TcpConnectionRecord::Established): established means the
    // client acknowledged the SYN-ACK (or, without a captured handshake, both sides talked), not
    // Zeek's conn_state, which counts a bare SYN-ACK ("Sh" is S1). So successful_handshakes <=
    // established_connections, and a SYN-initiated connection is either established or failed.
    const bool established = c.Established();
    if (c.handshake_completed) s.set_successful_handshakes(s.successful_handshakes() + 1);
    if (c.saw_syn && !established) s.set_failed_handshakes(s.failed_handshakes() + 1);
    if (c.MidStream()) s.set_mid_stream_connections(s.mid_stream_connections() + 1);
    if (established) s.set_established_connections(s.established_connections() + 1);
    if (c.began_mid_handshake) {
      s.set_mid_handshake_connections(s.mid_handshake_connections() + 1);
    }
    if (c.HalfOpen()) s.set_half_open_connections(s.half_open_connections() + 1);
    const std::string close = c.CloseReason();
    if (close == "reset") s.set_reset_connections(s.reset_connections() + 1);
    if (close == "normal") s.set_normal_close(s.normal_close() + 1);
    ++conn_states_[c.zeek.State()];
    retransmissions_ += c.retransmissions();
    handshake_retransmissions_ += c.c2s.handshake_retransmissions + c.s2c.handshake_retransmissions;
    // Connections finish in any order; keep the `limit` earliest by first frame.
    kept_.emplace(c.id, c);
    if (kept_.size() > limit_) kept_.erase(std::prev(kept_.end()));
  }

  const std::map<uint64_t, TcpConnectionRecord>& kept() const { return kept_; }
  uint64_t retransmissions() const { return retransmissions_; }
  uint64_t handshake_retransmissions() const { return handshake_retransmissions_; }
  const std::map<std::string, uint64_t>& conn_states() const { return conn_states_; }

 private:
  size_t limit_;
  v1::TcpConnectionSummary* summary_;
  std::map<uint64_t, TcpConnectionRecord> kept_;
  uint64_t retransmissions_ = 0;
  uint64_t handshake_retransmissions_ = 0;  // repeated SYNs and SYN-ACKs
  std::map<std::string, uint64_t> conn_states_;
};

}  // namespace

absl::StatusOr<v1::AnalyzeTcpConnectionsResponse> AnalyzeTcpConnections(
    const AnalysisInput& input, const v1::AnalyzeTcpConnectionsRequest& request) {
  ASSIGN_OR_RETURN(TcpServerFilter filter,
                   ParseTcpServerFilter(request.server_ip(), request.server_port()));
  Listing listing("connections", input.listings,
                  request.detailed() ? kNoPageCap : kBriefConnections);
  v1::AnalyzeTcpConnectionsResponse out;
  SetNow(out.mutable_analysis_timestamp());
  filter.Fill(out.mutable_filter());
  ConnectionsObserver observer(listing.keep(), out.mutable_summary());
  TcpScanStats stats;
  ASSIGN_OR_RETURN(std::unique_ptr<FrameScan> scan, RunTcpScan(input, filter, &observer, &stats));
  scan->FillSummary(out.mutable_capture());
  out.set_tcp_packets_found(stats.tcp_packets);

  v1::TcpConnectionSummary& s = *out.mutable_summary();
  s.set_active_connections(s.total_connections() - s.reset_connections() - s.normal_close());
  FillNameCounts(observer.conn_states(), 64, s.mutable_conn_states());
  listing.Count(s.total_connections());
  std::vector<const TcpConnectionRecord*> page;
  for (const auto& [id, c] : observer.kept()) page.push_back(&c);
  listing.Page(&page);
  for (const TcpConnectionRecord* c : page) FillTcpConnection(*c, out.add_connections());
  listing.Report(out.mutable_capture());

  if (stats.tcp_packets == 0) out.add_issues("No TCP packets found");
  if (s.reset_connections() > 0) {
    out.add_issues(absl::StrCat(s.reset_connections(), " connections terminated by RST"));
  }
  if (observer.retransmissions() > 0) {
    const uint64_t handshake = observer.handshake_retransmissions();
    out.add_issues(absl::StrCat(
        observer.retransmissions(), " retransmissions detected",
        handshake > 0 ? absl::StrCat(" (", handshake,
                                     " of them repeated SYNs or SYN-ACKs nobody answered, not "
                                     "data loss)")
                      : ""));
  }
  if (s.failed_handshakes() > 0) {
    out.add_issues(absl::StrCat(s.failed_handshakes(), " failed handshakes (",
                                s.half_open_connections(),
                                " of them half-open: a SYN-ACK the client never acknowledged)"));
  }
  if (s.mid_handshake_connections() > 0) {
    out.add_issues(absl::StrCat(s.mid_handshake_connections(),
                                " connections began mid-handshake (their SYN was sent before the "
                                "capture started): not failures"));
  }
  if (s.mid_stream_connections() > 0) {
    out.add_issues(absl::StrCat(s.mid_stream_connections(),
                                " connections started before the capture (no handshake seen; "
                                "client and server guessed from the ports)"));
  }
  return out;
}

}  // namespace mcpcap
