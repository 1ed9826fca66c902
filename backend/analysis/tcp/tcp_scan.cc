#include "backend/analysis/tcp/tcp_scan.h"

#include <algorithm>
#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"
#include "backend/analysis/common/result_parts.h"
#include "backend/base/error_details.h"
#include "backend/base/status_macros.h"

namespace mcpcap {
void TcpServerFilter::FillEndpoint(v1::Endpoint* out) const {
  out->set_ip(ip_text);
  if (port != 0) out->set_port(port);
}

void TcpServerFilter::Fill(v1::TcpFilter* out) const {
  if (has_ip || port != 0) FillEndpoint(out->mutable_server());
}

absl::StatusOr<TcpServerFilter> ParseTcpServerFilter(const std::string& ip, uint32_t port) {
  TcpServerFilter f;
  if (port > 65535) {
    return FieldError("server_port", absl::StrCat("server_port ", port, " is not a TCP port"));
  }
  f.port = static_cast<uint16_t>(port);
  if (!ip.empty()) {
    if (!IpAddress::Parse(ip, &f.ip)) {
      return FieldError("server_ip",
                        absl::StrCat("server_ip '", ip, "' is not an IPv4 or IPv6 address"));
    }
    f.has_ip = true;
    f.ip_text = AddressText(f.ip);
  }
  return f;
}

absl::StatusOr<std::unique_ptr<FrameScan>> RunTcpScan(const AnalysisInput& input,
                                                      const TcpServerFilter& filter,
                                                      TcpObserver* observer, TcpScanStats* stats) {
  ASSIGN_OR_RETURN(std::unique_ptr<FrameScan> scan, FrameScan::Open(input));
  TcpConnectionTracker tracker(observer);
  uint64_t tcp_packets = 0;
  // Every record is read so that connections carry tshark's tcp.stream whatever the filter; a
  // segment split into IP fragments is seen whole at the fragment completing it (as tshark).
  RETURN_IF_ERROR(scan->Run([&](const Frame& frame) {
    if (!frame.matched) return true;
    const PacketRecord& rec = frame.record;
    tracker.SetCaptureStart(frame.time);
    if (frame.whole == nullptr) return true;
    const DecodedPacket& pkt = *frame.whole;
    if (pkt.l4_kind != L4Kind::kTcp || !filter.Matches(pkt)) return true;
    if (tracker.Process(rec.frame_number, rec.ts_sec, rec.ts_nsec, rec.origlen, pkt,
                        rec.data.data(), frame.stream_index)) {
      ++tcp_packets;
    }
    return true;
  }));
  tracker.Finish();
  stats->tcp_packets = tcp_packets;
  stats->connections = tracker.connections();
  stats->peak_connections = tracker.peak_table_size();
  stats->evicted_for_room = tracker.evicted_for_room();
  return scan;
}

namespace {

void FillDirection(const TcpDirection& d, int8_t scale, v1::TcpDirectionStats* out) {
  out->set_packets(d.packets);
  out->set_bytes(d.frame_bytes);
  out->set_payload_bytes(d.payload_bytes);
  out->set_data_packets(d.data_packets);
  out->set_syn(d.syn + d.syn_ack);
  out->set_fin(d.fin);
  out->set_rst(d.rst);
  out->set_retransmissions(d.retransmissions);
  out->set_zero_windows(d.zero_windows);
  if (scale >= 0) out->set_window_scale(scale);
  if (d.mss != 0) out->set_mss(d.mss);
}

v1::TcpCloseReason CloseReasonOf(const TcpConnectionRecord& c) {
  const std::string close = c.CloseReason();
  if (close == "reset") return v1::TCP_CLOSE_REASON_RESET;
  if (close == "normal") return v1::TCP_CLOSE_REASON_NORMAL;
  if (close == "half_closed") return v1::TCP_CLOSE_REASON_HALF_CLOSED;
  return v1::TCP_CLOSE_REASON_ACTIVE;
}

v1::TcpResetBy ResetByOf(const TcpConnectionRecord& c) {
  const std::string by = c.ResetBy();
  if (by == "client") return v1::TCP_RESET_BY_CLIENT;
  if (by == "server") return v1::TCP_RESET_BY_SERVER;
  if (by == "both") return v1::TCP_RESET_BY_BOTH;
  return v1::TCP_RESET_BY_UNSPECIFIED;
}

}  // namespace

void FillTcpEndpoint(const TcpEndpoint& e, v1::Endpoint* out) { FillEndpoint(e.ip, e.port, out); }

v1::TcpConnState TcpConnStateOf(const TcpConnectionRecord& c) {
  static constexpr std::pair<std::string_view, v1::TcpConnState> kStates[] = {
      {"S0", v1::TCP_CONN_STATE_S0},         {"S1", v1::TCP_CONN_STATE_S1},
      {"SF", v1::TCP_CONN_STATE_SF},         {"REJ", v1::TCP_CONN_STATE_REJ},
      {"S2", v1::TCP_CONN_STATE_S2},         {"S3", v1::TCP_CONN_STATE_S3},
      {"RSTO", v1::TCP_CONN_STATE_RSTO},     {"RSTR", v1::TCP_CONN_STATE_RSTR},
      {"RSTOS0", v1::TCP_CONN_STATE_RSTOS0}, {"RSTRH", v1::TCP_CONN_STATE_RSTRH},
      {"SH", v1::TCP_CONN_STATE_SH},         {"SHR", v1::TCP_CONN_STATE_SHR},
      {"OTH", v1::TCP_CONN_STATE_OTH},
  };
  const std::string_view state = c.zeek.State();
  for (const auto& [name, value] : kStates) {
    if (name == state) return value;
  }
  return v1::TCP_CONN_STATE_UNSPECIFIED;
}

v1::TcpEventKind TcpEventKindOf(int event_index) {
  // kNames of segment_analysis.cc, in bit order.
  static constexpr v1::TcpEventKind kKinds[] = {
      v1::TCP_EVENT_KIND_RETRANSMISSION,
      v1::TCP_EVENT_KIND_FAST_RETRANSMISSION,
      v1::TCP_EVENT_KIND_SPURIOUS_RETRANSMISSION,
      v1::TCP_EVENT_KIND_OUT_OF_ORDER,
      v1::TCP_EVENT_KIND_LOST_SEGMENT,
      v1::TCP_EVENT_KIND_ACK_LOST_SEGMENT,
      v1::TCP_EVENT_KIND_DUPLICATE_ACK,
      v1::TCP_EVENT_KIND_ZERO_WINDOW,
      v1::TCP_EVENT_KIND_ZERO_WINDOW_PROBE,
      v1::TCP_EVENT_KIND_ZERO_WINDOW_PROBE_ACK,
      v1::TCP_EVENT_KIND_WINDOW_FULL,
      v1::TCP_EVENT_KIND_WINDOW_UPDATE,
      v1::TCP_EVENT_KIND_KEEP_ALIVE,
      v1::TCP_EVENT_KIND_KEEP_ALIVE_ACK,
      v1::TCP_EVENT_KIND_REUSED_PORTS,
  };
  static_assert(sizeof(kKinds) / sizeof(kKinds[0]) == kTcpEventKinds,
                "one TcpEventKind per tracker event");
  return event_index >= 0 && event_index < kTcpEventKinds ? kKinds[static_cast<size_t>(event_index)]
                                                          : v1::TCP_EVENT_KIND_UNSPECIFIED;
}

void FillTcpConnection(const TcpConnectionRecord& c, v1::TcpConnection* out) {
  FillTcpEndpoint(c.client, out->mutable_client());
  FillTcpEndpoint(c.server, out->mutable_server());
  if (c.stream_index) out->set_stream_index(*c.stream_index);
  const v1::TcpCloseReason close = CloseReasonOf(c);
  out->set_state(close == v1::TCP_CLOSE_REASON_RESET || close == v1::TCP_CLOSE_REASON_NORMAL
                     ? v1::TCP_CONNECTION_STATE_CLOSED
                     : v1::TCP_CONNECTION_STATE_ACTIVE);
  out->set_handshake_completed(c.handshake_completed);
  out->set_syn_count(c.c2s.syn + c.s2c.syn);
  out->set_syn_ack_count(c.c2s.syn_ack + c.s2c.syn_ack);
  out->set_ack_count(c.c2s.ack + c.s2c.ack);
  out->set_rst_count(c.c2s.rst + c.s2c.rst);
  out->set_fin_count(c.c2s.fin + c.s2c.fin);
  out->set_data_packets(c.c2s.data_packets + c.s2c.data_packets);
  out->set_retransmissions(c.retransmissions());
  out->set_close_reason(close);
  out->set_packet_count(c.packets());
  out->set_conn_state(TcpConnStateOf(c));
  out->set_history(c.zeek.history());
  out->set_role_source(c.role_source == TcpRoleSource::kHandshake ? v1::TCP_ROLE_SOURCE_HANDSHAKE
                                                                  : v1::TCP_ROLE_SOURCE_PORT_GUESS);
  out->set_reset_by(ResetByOf(c));
  if (c.handshake_completed) {
    SetDurationNanos(c.handshake_done_time - c.syn_time, out->mutable_handshake_rtt());
  }
  SetDurationNanos(c.last_time - c.first_time, out->mutable_duration());
  SetTimestamp(c.first_ts_sec, c.first_ts_nsec, out->mutable_start_time());
  FillPacketRef(c.first_frame, c.first_time, out->mutable_first_packet());
  FillPacketRef(c.last_frame, c.last_time, out->mutable_last_packet());
  FillDirection(c.c2s, c.c2s.seq.win_scale, out->mutable_client_to_server());
  FillDirection(c.s2c, c.s2c.seq.win_scale, out->mutable_server_to_client());
  out->set_reused_ports(c.reused_ports);
  out->set_syn_retries(c.syn_retries);
  out->set_established(c.Established());
  out->set_began_mid_handshake(c.began_mid_handshake);
  if (c.last_data_frame != 0) {
    FillPacketRef(c.last_data_frame, c.last_data_time, out->mutable_last_data_packet());
    SetDurationNanos(c.last_data_time - c.first_time, out->mutable_data_duration());
    SetDurationNanos(c.last_time - c.last_data_time, out->mutable_idle_before_close());
  }
}

}  // namespace mcpcap
