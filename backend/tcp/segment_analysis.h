// Per-segment TCP analysis with Wireshark's definitions and precedence (the rules of
// tcp_analyze_sequence_number and its surroundings in dissect_tcp, epan/dissectors/packet-tcp.c,
// Wireshark 4.0, default prefs): each segment gets the tcp.analysis.* flags tshark would give it.
// The state deliberately keeps Wireshark's quirks (0 as "not seen yet" for nextseq/lastack, raw
// windows, an unsigned dup-ACK counter, unsigned time differences) so that the counts agree
// frame by frame with tshark; tests/analysis/tcp checks that on real captures.
#ifndef MCPCAP_BACKEND_TCP_SEGMENT_ANALYSIS_H_
#define MCPCAP_BACKEND_TCP_SEGMENT_ANALYSIS_H_

#include <cstdint>
#include <string_view>

#include "backend/flow/capture_time.h"
#include "backend/flow/tcp_port_reuse.h"

namespace mcpcap {

// tcp.analysis.* flags, one bit each.
enum TcpEvent : uint32_t {
  kEvRetransmission = 1u << 0,
  kEvFastRetransmission = 1u << 1,
  kEvSpuriousRetransmission = 1u << 2,
  kEvOutOfOrder = 1u << 3,
  kEvLostSegment = 1u << 4,  // previous segment not captured
  kEvAckedUnseen = 1u << 5,  // ACKed segment that wasn't captured
  kEvDuplicateAck = 1u << 6,
  kEvZeroWindow = 1u << 7,
  kEvZeroWindowProbe = 1u << 8,
  kEvZeroWindowProbeAck = 1u << 9,
  kEvWindowFull = 1u << 10,
  kEvWindowUpdate = 1u << 11,
  kEvKeepAlive = 1u << 12,
  kEvKeepAliveAck = 1u << 13,
  kEvReusedPorts = 1u << 14,
};
inline constexpr int kTcpEventKinds = 15;

// snake_case name of event bit i (0 <= i < kTcpEventKinds), e.g. "fast_retransmission".
std::string_view TcpEventName(int i);

// Window scaling as Wireshark tracks it: unknown until the handshake says.
inline constexpr int8_t kScaleUnknown = -1;
inline constexpr int8_t kScaleNone = -2;

// What the analysis remembers about one direction of a connection.
struct TcpSeqState {
  uint32_t nextseq = 0;          // next expected sequence number (0: none yet, as Wireshark)
  uint32_t maxseqtobeacked = 0;  // end of the contiguous data seen (0: none yet)
  uint32_t lastack = 0;          // ACK field of this side's last segment (ACK flag or not)
  uint32_t window = 0xffffffff;  // last raw window this side advertised (none yet: never equal)
  // No pure ACK since this side's last SYN: its window is not scaled yet (Wireshark's
  // is_first_ack).
  bool first_ack_pending = false;
  int8_t win_scale = kScaleUnknown;
  // Duplicate ACKs since this side's ACK number last changed. kDupAckNeutral after an ACK of
  // unseen data, which (unsigned, as in Wireshark) also counts as "at least two".
  uint32_t dupacknum = 0;
  uint32_t last_flags = 0;        // events of this side's previous segment
  CaptureNanos nextseq_time = 0;  // when nextseq last advanced
  CaptureNanos lastack_time = 0;  // when this side last sent a segment
};
inline constexpr uint32_t kDupAckNeutral = 0xffffffff;

// One segment as the analysis needs it.
struct TcpSegment {
  uint32_t seq = 0;
  uint32_t ack = 0;
  uint32_t seglen = 0;  // payload length from the IP length, even when the capture cut it
  uint16_t flags = 0;   // TcpFlag bits
  uint16_t window = 0;  // raw
  bool has_window_scale = false;
  uint8_t window_scale = 0;
  CaptureNanos time = 0;
  // What its SYN did to its side's first sequence number (TcpPortReuse::Learn).
  TcpSynEffect syn_effect = TcpSynEffect::kNone;
};

// Handshake timing shared by both directions (Wireshark's ts_mru_syn / ts_first_rtt); 0 means
// "none" for both, exactly as there (a zero delay leaves the RTT unknown).
struct TcpRttState {
  CaptureNanos last_syn_time = 0;
  CaptureNanos first_rtt = 0;  // last SYN to the first pure ACK after it
};

// Flags of one segment sent by `fwd`; updates both directions' state.
uint32_t AnalyzeSegment(const TcpSegment& seg, TcpSeqState& fwd, TcpSeqState& rev,
                        TcpRttState& rtt);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_TCP_SEGMENT_ANALYSIS_H_
