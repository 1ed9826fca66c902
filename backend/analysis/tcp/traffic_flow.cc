#include "backend/analysis/tcp/traffic_flow.h"

#include "absl/strings/str_cat.h"
#include "backend/analysis/tcp/tcp_scan.h"
#include "backend/base/error_details.h"
#include "backend/base/proto_time.h"
#include "backend/base/status_macros.h"

namespace mcpcap {
namespace {

constexpr uint32_t kRetransmitted =
    kEvRetransmission | kEvFastRetransmission | kEvSpuriousRetransmission;

// Splits each packet of the server's connections by direction relative to the server endpoint
// (not by the tracker's guess of roles, which the caller's server_ip overrides).
class FlowObserver : public TcpObserver {
 public:
  FlowObserver(const TcpServerFilter& server, v1::AnalyzeTrafficFlowResponse* out)
      : server_(server), out_(out) {}

  void OnSegment(const TcpConnectionRecord& c, const TcpSegmentView& s) override {
    const bool server_is_server = server_.MatchesEndpoint(c.server.ip, c.server.port);
    const bool to_server = server_is_server ? s.from_client : !s.from_client;
    v1::FlowDirection* d =
        to_server ? out_->mutable_client_to_server() : out_->mutable_server_to_client();
    d->set_packet_count(d->packet_count() + 1);
    d->set_byte_count(d->byte_count() + s.frame_length);
    d->set_payload_bytes(d->payload_bytes() + s.seglen);
    const bool syn = (s.flags & kTcpSyn) != 0, ack = (s.flags & kTcpAck) != 0;
    if (syn && !ack) d->set_syn_count(d->syn_count() + 1);
    if (syn && ack) d->set_syn_ack_count(d->syn_ack_count() + 1);
    if ((s.flags & kTcpRst) != 0) d->set_rst_count(d->rst_count() + 1);
    if ((s.flags & kTcpFin) != 0) d->set_fin_count(d->fin_count() + 1);
    if (s.seglen > 0) d->set_data_packets(d->data_packets() + 1);
    if ((s.events & kRetransmitted) != 0) {
      d->set_retransmissions(d->retransmissions() + 1);
      if (syn) d->set_handshake_retransmissions(d->handshake_retransmissions() + 1);
    }
    if ((s.events & kEvZeroWindow) != 0) d->set_zero_windows(d->zero_windows() + 1);
    if ((s.events & kEvDuplicateAck) != 0) d->set_duplicate_acks(d->duplicate_acks() + 1);
    if ((s.events & kEvOutOfOrder) != 0) d->set_out_of_order(d->out_of_order() + 1);
  }
  void OnFinished(const TcpConnectionRecord& c) override {
    out_->set_connections(out_->connections() + 1);
    if (c.HasReset()) out_->set_reset_connections(out_->reset_connections() + 1);
  }

 private:
  const TcpServerFilter& server_;
  v1::AnalyzeTrafficFlowResponse* out_;
};

// Which way the payload goes: on bytes, with a 20% band counted as balanced.
v1::TcpDataDirection DataDirection(uint64_t c2s, uint64_t s2c) {
  if (c2s == 0 && s2c == 0) return v1::TCP_DATA_DIRECTION_NO_DATA;
  if (static_cast<double>(c2s) > 1.2 * static_cast<double>(s2c)) {
    return v1::TCP_DATA_DIRECTION_CLIENT_HEAVY;
  }
  if (static_cast<double>(c2s) < 0.8 * static_cast<double>(s2c)) {
    return v1::TCP_DATA_DIRECTION_SERVER_HEAVY;
  }
  return v1::TCP_DATA_DIRECTION_BALANCED;
}

// "ip:port" ("[v6]:port"), or "ip" when any port is meant.
std::string ServerText(const TcpServerFilter& f) {
  if (f.port == 0) return f.ip_text;
  return absl::StrCat(f.ip.version() == 6 ? "[" + f.ip_text + "]" : f.ip_text, ":", f.port);
}

std::string Interpret(const v1::AnalyzeTrafficFlowResponse& r, const std::string& server,
                      v1::TcpRstSource rst_source) {
  const v1::FlowDirection& c = r.client_to_server();
  const v1::FlowDirection& s = r.server_to_client();
  if (c.packet_count() + s.packet_count() == 0) {
    return absl::StrCat("No TCP traffic to or from ", server, " in this capture.");
  }
  std::string text =
      absl::StrCat(r.connections(), " connection(s): clients sent ", c.packet_count(), " packets (",
                   c.payload_bytes(), " payload bytes), the server ", s.packet_count(),
                   " packets (", s.payload_bytes(), " payload bytes). ");
  const v1::TcpDataDirection dir = r.analysis().data_flow_direction();
  if (dir == v1::TCP_DATA_DIRECTION_NO_DATA) {
    absl::StrAppend(&text, "No payload was exchanged. ");
  } else if (dir == v1::TCP_DATA_DIRECTION_SERVER_HEAVY) {
    absl::StrAppend(&text, "Data flows mainly from the server (downloads/responses). ");
  } else if (dir == v1::TCP_DATA_DIRECTION_CLIENT_HEAVY) {
    absl::StrAppend(&text, "Data flows mainly towards the server (uploads/requests). ");
  } else {
    absl::StrAppend(&text, "Payload is balanced between the directions. ");
  }
  if (s.packet_count() == 0) {
    absl::StrAppend(&text, "The server never answered. ");
  } else if (c.packet_count() == 0) {
    absl::StrAppend(&text, "Only the server's side is in the capture (asymmetric routing?). ");
  }
  const uint64_t rst = c.rst_count() + s.rst_count();
  if (rst_source == v1::TCP_RST_SOURCE_SERVER) {
    absl::StrAppend(&text, "The server sent ", s.rst_count(), " of the ", rst,
                    " RSTs: it refuses or aborts connections. ");
  } else if (rst_source == v1::TCP_RST_SOURCE_CLIENT) {
    absl::StrAppend(&text, "Clients sent ", c.rst_count(), " of the ", rst,
                    " RSTs: they abort connections. ");
  } else if (rst_source == v1::TCP_RST_SOURCE_BALANCED) {
    absl::StrAppend(&text, "RSTs come equally from both sides (", c.rst_count(), " each). ");
  }
  // Repeated SYNs and SYN-ACKs are handshakes nobody answered (a dropped port, a scanner that
  // never ACKs), not loss on a path: only data retransmissions say which path loses packets.
  if (s.handshake_retransmissions() > 0) {
    absl::StrAppend(&text, "The server re-sent ", s.handshake_retransmissions(),
                    " SYN-ACK(s) that were never acknowledged (half-open connections: a SYN scan, "
                    "or clients that vanished), which is not loss. ");
  }
  if (c.handshake_retransmissions() > 0) {
    absl::StrAppend(&text, "Clients re-sent ", c.handshake_retransmissions(),
                    " SYN(s) that got no answer in time. ");
  }
  const uint64_t c_data = c.retransmissions() - c.handshake_retransmissions();
  const uint64_t s_data = s.retransmissions() - s.handshake_retransmissions();
  if (c_data + s_data > 0) {
    absl::StrAppend(&text, "Data retransmissions: ", c_data, " towards the server, ", s_data,
                    " from it");
    absl::StrAppend(&text, s_data > c_data   ? " (loss mostly on the server-to-client path). "
                           : c_data > s_data ? " (loss mostly on the client-to-server path). "
                                             : ". ");
  }
  if (c.zero_windows() + s.zero_windows() > 0) {
    absl::StrAppend(&text, "Zero windows: ", s.zero_windows(), " from the server, ",
                    c.zero_windows(), " from clients (a receiver not keeping up). ");
  }
  if (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

}  // namespace

absl::StatusOr<v1::AnalyzeTrafficFlowResponse> AnalyzeTrafficFlow(
    const AnalysisInput& input, const v1::AnalyzeTrafficFlowRequest& request) {
  if (request.server_ip().empty()) {
    return FieldError("server_ip", "server_ip is required for traffic flow analysis");
  }
  ASSIGN_OR_RETURN(TcpServerFilter filter,
                   ParseTcpServerFilter(request.server_ip(), request.server_port()));
  v1::AnalyzeTrafficFlowResponse out;
  SetNow(out.mutable_analysis_timestamp());
  filter.FillEndpoint(out.mutable_server());
  out.mutable_client_to_server();
  out.mutable_server_to_client();
  FlowObserver observer(filter, &out);
  TcpScanStats stats;
  ASSIGN_OR_RETURN(std::unique_ptr<FrameScan> scan, RunTcpScan(input, filter, &observer, &stats));
  scan->FillSummary(out.mutable_capture());

  const v1::FlowDirection& c = out.client_to_server();
  const v1::FlowDirection& s = out.server_to_client();
  v1::FlowAnalysis* a = out.mutable_analysis();
  a->set_asymmetry_ratio(
      TcpRatio(static_cast<double>(c.packet_count()), static_cast<double>(s.packet_count())));
  a->set_byte_asymmetry_ratio(
      TcpRatio(static_cast<double>(c.payload_bytes()), static_cast<double>(s.payload_bytes())));
  v1::TcpRstSource rst_source = v1::TCP_RST_SOURCE_NONE;
  if (c.rst_count() > s.rst_count()) rst_source = v1::TCP_RST_SOURCE_CLIENT;
  if (s.rst_count() > c.rst_count()) rst_source = v1::TCP_RST_SOURCE_SERVER;
  if (c.rst_count() == s.rst_count() && c.rst_count() > 0) {
    rst_source = v1::TCP_RST_SOURCE_BALANCED;
  }
  a->set_primary_rst_source(rst_source);
  a->set_data_flow_direction(DataDirection(c.payload_bytes(), s.payload_bytes()));
  a->set_interpretation(Interpret(out, ServerText(filter), rst_source));
  return out;
}

}  // namespace mcpcap
