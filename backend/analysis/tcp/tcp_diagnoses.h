// Diagnoses for analyze_tcp_anomalies: from the facts one pass collected, what is probably
// wrong, how sure we are (and why), and what to do next.
#ifndef MCPCAP_BACKEND_ANALYSIS_TCP_TCP_DIAGNOSES_H_
#define MCPCAP_BACKEND_ANALYSIS_TCP_TCP_DIAGNOSES_H_

#include <array>
#include <cstdint>
#include <vector>

#include "backend/flow/capture_time.h"
#include "backend/tcp/segment_analysis.h"
#include "mcpcap/v1/capture.pb.h"

namespace mcpcap {

inline constexpr size_t kTcpExamples = 10;

// A frame and its capture time.
struct TcpExample {
  uint64_t frame = 0;
  CaptureNanos time = 0;
};

// Up to kTcpExamples frames, first seen first.
struct TcpExamples {
  std::vector<TcpExample> frames;
  void Add(uint64_t frame, CaptureNanos time) {
    if (frames.size() < kTcpExamples) frames.push_back({frame, time});
  }
};

// Appends the examples as PacketRefs, in frame order.
void FillTcpExamples(const TcpExamples& examples,
                     google::protobuf::RepeatedPtrField<v1::PacketRef>* out);

struct TcpAnomalyFacts {
  uint64_t tcp_packets = 0;
  uint64_t data_packets = 0;
  uint64_t connections = 0;
  uint64_t mid_stream = 0;
  uint64_t handshakes_ok = 0;
  uint64_t handshake_attempts = 0;  // connections that began with a SYN
  std::array<uint64_t, kTcpEventKinds> events{};
  std::array<TcpExamples, kTcpEventKinds> event_examples;
  uint64_t connections_with_loss = 0;  // connections with a data retransmission

  // Retransmissions of data (not SYN or SYN-ACK) by what triggered them, and the repeated
  // handshakes (SYN, SYN-ACK) kept apart: a handshake nobody answers is not loss.
  uint64_t ack_retransmissions = 0, timer_retransmissions = 0;
  uint64_t handshake_retransmissions = 0;
  CaptureNanos longest_timer_wait = 0;
  TcpExamples ack_examples, timer_examples;

  // SYN-ACKs without their SYN: at the capture's start (it began mid-handshake), or later (the
  // SYN was not captured).
  uint64_t mid_handshake = 0, syn_not_captured = 0;
  TcpExamples mid_handshake_examples, syn_not_captured_examples;

  uint64_t rst_total = 0, rst_from_client = 0, rst_from_server = 0;
  uint64_t refused = 0, mid_stream_by_client = 0, mid_stream_by_server = 0;
  uint64_t rst_with_data = 0, rst_ttl_mismatch = 0, rst_after_fin = 0;
  TcpExamples refused_examples, mid_stream_client_examples, mid_stream_server_examples;
  TcpExamples ttl_examples;

  uint64_t syn_unanswered = 0, syn_retried = 0;
  TcpExamples unanswered_examples;

  uint64_t stalls = 0;
  double stall_seconds_total = 0, stall_seconds_max = 0;
  TcpExamples stall_examples;

  uint64_t Count(TcpEvent e) const;
};

struct TcpAttemptFacts;

// The diagnoses: `attempts` (tcp_attempts.h) weighs failed connection attempts (scan, outage,
// single client).
std::vector<v1::Finding> DiagnoseTcp(const TcpAnomalyFacts& facts, const TcpAttemptFacts& attempts);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_TCP_TCP_DIAGNOSES_H_
