#include "backend/analysis/tcp/tcp_scan.h"

#include <arpa/inet.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "backend/base/error_details.h"
#include "backend/base/status_macros.h"
#include "backend/flow/ip_reassembler.h"

namespace mcpcap {
namespace {

constexpr uint8_t kIpProtocolTcp = 6;

}  // namespace

void TcpServerFilter::Fill(v1::TcpFilter* out) const {
  out->set_server_ip(ip_text);
  out->set_server_port(port);
}

bool ParseIpAddress(const std::string& text, IpAddress* out) {
  uint8_t buf[16];
  if (text.size() > 64) return false;
  if (inet_pton(AF_INET, text.c_str(), buf) == 1) {
    *out = IpAddress::V4(buf);
    return true;
  }
  if (inet_pton(AF_INET6, text.c_str(), buf) == 1) {
    *out = IpAddress::V6(buf);
    return true;
  }
  return false;
}

absl::StatusOr<TcpServerFilter> ParseTcpServerFilter(const std::string& ip, uint32_t port) {
  TcpServerFilter f;
  if (port > 65535) {
    return FieldError("server_port", absl::StrCat("server_port ", port, " is not a TCP port"));
  }
  f.port = static_cast<uint16_t>(port);
  if (!ip.empty()) {
    if (!ParseIpAddress(ip, &f.ip)) {
      return FieldError("server_ip",
                        absl::StrCat("server_ip '", ip, "' is not an IPv4 or IPv6 address"));
    }
    f.has_ip = true;
    f.ip_text = AddressText(f.ip);
  }
  return f;
}

uint32_t TcpMaxResults(const AnalysisInput& input) {
  return input.max_results == 0 ? kDefaultMaxResults : std::min(input.max_results, kMaxResultsCap);
}

absl::StatusOr<std::unique_ptr<DecodedScan>> RunTcpScan(const AnalysisInput& input,
                                                        const TcpServerFilter& filter,
                                                        TcpObserver* observer,
                                                        TcpScanStats* stats) {
  ASSIGN_OR_RETURN(std::unique_ptr<DecodedScan> scan, DecodedScan::Open(input));
  TcpConnectionTracker tracker(observer);
  IpReassembler defrag;
  DecodedPacket whole;
  uint64_t tcp_packets = 0;
  RETURN_IF_ERROR(scan->Run([&](const PacketRecord& rec, const DecodedPacket& decoded) {
    const DecodedPacket* packet = &decoded;
    // A segment split into IP fragments is seen whole at the fragment completing it (as tshark).
    if (decoded.ip.is_fragment) {
      if (decoded.ip.protocol != kIpProtocolTcp) return;
      const CaptureNanos time = ToCaptureNanos(rec.ts_sec, rec.ts_nsec);
      if (ReassembleFragment(defrag, decoded, rec.frame_number, time, &whole) == nullptr) return;
      packet = &whole;
    }
    const DecodedPacket& pkt = *packet;
    if (pkt.l4_kind != L4Kind::kTcp || !filter.Matches(pkt)) return;
    if (tracker.Process(rec.frame_number, rec.ts_sec, rec.ts_nsec, rec.origlen, pkt,
                        rec.data.data())) {
      ++tcp_packets;
    }
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
  out->set_window_scale(scale >= 0 ? scale : -1);
  out->set_mss(d.mss);
}

double Millis(CaptureNanos ns) { return static_cast<double>(ns) / 1e6; }

}  // namespace

void FillTcpConnection(const DecodedScan& scan, const TcpConnectionRecord& c,
                       v1::TcpConnection* out) {
  out->set_client(FormatEndpoint(c.client));
  out->set_server(FormatEndpoint(c.server));
  const std::string close = c.CloseReason();
  out->set_state(close == "reset" || close == "normal" ? "closed" : "active");
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
  out->set_conn_state(c.zeek.State());
  out->set_history(c.zeek.history());
  out->set_role_source(c.role_source == TcpRoleSource::kHandshake ? "handshake" : "port_guess");
  out->set_reset_by(c.ResetBy());
  if (c.handshake_completed) out->set_handshake_rtt_ms(Millis(c.handshake_done_time - c.syn_time));
  out->set_duration_seconds(static_cast<double>(c.last_time - c.first_time) / 1e9);
  out->set_start_time(scan.Timestamp(c.first_ts_sec, c.first_ts_nsec));
  out->set_first_packet(c.first_frame);
  out->set_last_packet(c.last_frame);
  FillDirection(c.c2s, c.c2s.seq.win_scale, out->mutable_client_to_server());
  FillDirection(c.s2c, c.s2c.seq.win_scale, out->mutable_server_to_client());
  out->set_reused_ports(c.reused_ports);
  out->set_syn_retries(c.syn_retries);
}

}  // namespace mcpcap
