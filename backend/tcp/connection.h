// Everything the tracker knows about one TCP connection: identity and roles, per-direction
// sequence state and counters, Zeek's state and history, and per-kind event counts. Sized to
// stay small (a few hundred bytes) because a capture can hold millions of connections.
#ifndef MCPCAP_BACKEND_TCP_CONNECTION_H_
#define MCPCAP_BACKEND_TCP_CONNECTION_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "backend/dissect/ip_address.h"
#include "backend/flow/capture_time.h"
#include "backend/flow/tcp_port_reuse.h"
#include "backend/tcp/conn_state.h"
#include "backend/tcp/segment_analysis.h"

namespace mcpcap {

// How the client and server were told apart.
enum class TcpRoleSource : uint8_t {
  kHandshake,  // the first packet was a SYN (or a SYN-ACK, answered the usual way)
  kPortGuess,  // mid-stream: the well-known port is taken to be the server's
};

struct TcpEndpoint {
  IpAddress ip;
  uint16_t port = 0;
};

// "10.0.0.1:80" or "[2001:db8::1]:443".
std::string FormatEndpoint(const TcpEndpoint& e);
// The address as text. Goes through ToChars: backend/source/address_policy.h declares another
// mcpcap::IpAddress whose ToString() collides with ours at link time (reported to the lead).
std::string AddressText(const IpAddress& ip);

struct TcpDirection {
  TcpSeqState seq;  // Wireshark's per-direction analysis state
  uint64_t packets = 0;
  uint64_t frame_bytes = 0;    // wire length of the frames
  uint64_t payload_bytes = 0;  // TCP payload, from the IP length
  uint64_t data_packets = 0;
  uint64_t syn = 0;  // SYN without ACK
  uint64_t syn_ack = 0;
  uint64_t ack = 0;  // any packet with ACK set
  uint64_t fin = 0;
  uint64_t rst = 0;
  uint64_t rst_with_data = 0;
  uint64_t retransmissions = 0;  // retransmission + fast + spurious
  // What triggered them (TcpRetransmitTrigger): an ACK from the receiver, or the timer.
  uint64_t ack_retransmissions = 0;
  uint64_t timer_retransmissions = 0;
  uint64_t handshake_retransmissions = 0;  // of them, repeated SYNs or SYN-ACKs
  CaptureNanos longest_timer_wait = 0;     // longest silence before a timer retransmission
  // Payload this side sent: sequence of its first byte and end of the highest (when has_payload).
  bool has_payload = false;
  uint32_t payload_start = 0, payload_end = 0;
  // Highest ACK number this side sent (when has_acked).
  bool has_acked = false;
  uint32_t acked = 0;
  uint64_t zero_windows = 0;
  uint32_t mss = 0;
  uint8_t last_ttl = 0;  // of this side's last non-RST packet
  bool has_ttl = false;
  bool rst_ttl_mismatch = false;  // a RST with another TTL than this side's other packets
  // Zero-window stall in progress: since when this side advertised a zero window.
  CaptureNanos zero_window_since = 0;
  uint64_t zero_window_since_frame = 0;
  uint32_t stall_probes = 0;  // zero-window probes the peer sent into that stall
};

// A zero-window episode: the receiver advertised 0 until it opened the window again (or the
// connection ended).
struct TcpZeroWindowStall {
  bool by_client = false;  // the side whose window was closed
  uint64_t start_frame = 0;
  CaptureNanos start_time = 0;  // of start_frame
  uint64_t end_frame = 0;       // 0 when it never reopened
  CaptureNanos duration = 0;
  uint32_t probes = 0;
};

struct TcpConnectionRecord {
  uint64_t id = 0;  // creation order = order of first frame
  // tshark's tcp.stream, numbered over the whole file (StreamNumbering); unset when not known.
  std::optional<uint64_t> stream_index;
  TcpEndpoint client, server;
  TcpRoleSource role_source = TcpRoleSource::kPortGuess;
  bool first_from_client = true;  // direction of the first packet
  TcpDirection c2s, s2c;
  TcpRttState rtt;
  ZeekConnState zeek;
  TcpPortReuse port_reuse;  // when a SYN on these ports starts a new connection

  // Handshake: SYN, SYN-ACK, then the client's ACK of the SYN-ACK.
  bool saw_syn = false, saw_syn_ack = false, handshake_completed = false;
  uint32_t client_isn = 0, server_isn = 0;
  CaptureNanos syn_time = 0, syn_ack_time = 0, handshake_done_time = 0;
  uint32_t syn_retries = 0;
  // Established: the client acknowledged the SYN-ACK (handshake_completed, or the same without
  // the SYN). Mid-stream connections are judged at the end (Established()).
  bool established = false;
  // The first captured segment was the SYN-ACK; began_mid_handshake when it came within
  // kMidHandshakeWindow of the capture's start (else the SYN was lost before the capture point).
  bool syn_ack_first = false;
  bool began_mid_handshake = false;

  // Resets and their context.
  bool rst_refused = false;     // RST from the server answering a SYN, before any SYN-ACK
  bool rst_mid_stream = false;  // RST after data flowed, from one side only
  uint64_t first_rst_frame = 0;
  CaptureNanos first_rst_time = 0;

  uint64_t first_frame = 0, last_frame = 0;
  CaptureNanos first_time = 0, last_time = 0;
  int64_t first_ts_sec = 0;
  uint32_t first_ts_nsec = 0;
  bool reused_ports = false;  // started by a SYN that reused a finished connection's ports
  // The last segment carrying payload or acknowledging payload not acknowledged before (0: none).
  uint64_t last_data_frame = 0;
  CaptureNanos last_data_time = 0;

  std::array<uint32_t, kTcpEventKinds> events{};
  std::array<uint64_t, kTcpEventKinds> first_event_frame{};
  std::array<CaptureNanos, kTcpEventKinds> first_event_time{};

  uint64_t packets() const { return c2s.packets + s2c.packets; }
  uint64_t retransmissions() const { return c2s.retransmissions + s2c.retransmissions; }
  uint32_t Count(TcpEvent e) const;
  // "client <-> server".
  std::string Name() const;
  bool HasReset() const { return c2s.rst + s2c.rst > 0; }
  // Reached the established state: `established`, or, with no SYN or SYN-ACK captured, both
  // sides sent segments other than RSTs, or payload flowed.
  bool Established() const;
  // Neither SYN nor SYN-ACK captured.
  bool MidStream() const { return !saw_syn && !saw_syn_ack; }
  // A SYN-ACK the client never acknowledged: scan probes, vanished clients.
  bool HalfOpen() const { return saw_syn && saw_syn_ack && !Established(); }
  // "reset", "normal" (FIN from both sides), "half_closed" (FIN from one side), "active".
  const char* CloseReason() const;
  // "client", "server", "both" or "".
  const char* ResetBy() const;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_TCP_CONNECTION_H_
