// One flow of the payload scan: the roles of its two ends, TCP reassembly per direction, the
// detection of its protocol from the first bytes, and its parser. Bytes that arrive before the
// protocol is known are held (bounded by the detection budget) and replayed to the parser.
// With a requested protocol, a TCP flow the detector could not name is read by that protocol's
// parser on trial: its events are held until the parser reads a request and its response (the
// flow is then that protocol, detected_by "parser") and dropped if it rejects the bytes first.
#ifndef MCPCAP_BACKEND_ANALYSIS_PAYLOAD_PAYLOAD_FLOW_H_
#define MCPCAP_BACKEND_ANALYSIS_PAYLOAD_PAYLOAD_FLOW_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "backend/analysis/payload/payload_scan.h"
#include "backend/dissect/packet.h"
#include "backend/flow/flow_anomaly.h"
#include "backend/flow/flow_key.h"
#include "backend/flow/tcp_port_reuse.h"
#include "backend/flow/tcp_reassembler.h"
#include "backend/payload/common/stream_feeder.h"

namespace mcpcap {

// Shared by every flow of one scan: the options and the bounded query store.
struct PayloadScanContext {
  const PayloadScanOptions* options = nullptr;
  uint64_t queries_kept = 0;
  uint64_t queries_total = 0;
  uint64_t queries_dropped = 0;
};

class PayloadFlow : public payload::PayloadEvents {
 public:
  PayloadFlow() = default;
  PayloadFlow(const PayloadFlow&) = delete;
  PayloadFlow& operator=(const PayloadFlow&) = delete;

  // Fixes the roles from the flow's first packet (`direction` relative to `key`).
  void Start(PayloadScanContext* context, const FlowKey& key, FlowDirection direction,
             const DecodedPacket& packet, std::optional<uint64_t> stream_index);
  // A packet of the flow (TCP or UDP), decoded, in `direction` relative to the key, completed
  // by a frame of `frame_bytes` on the wire.
  void OnPacket(FlowDirection direction, const DecodedPacket& packet, payload::Position at,
                uint32_t frame_bytes, FlowAnomalySet* anomalies);
  // Both TCP directions ended (FIN or RST each way): nothing more will be parsed.
  bool closed() const;
  // A TCP segment in `direction` that starts a new connection on the flow's 5-tuple (port reuse,
  // backend/flow/tcp_port_reuse.h): the flow is over, the segment belongs to a new one.
  bool StartsNewConnection(FlowDirection direction, const DecodedPacket& packet) const {
    return port_reuse_.StartsNewConnection(direction, packet.tcp.flags, packet.tcp.seq);
  }
  // Flushes reassembly, decides the protocol if still open and lets the parser report what is
  // pending. Later packets are still counted. Idempotent.
  void Close(TcpStreamEnd reason);
  // Closes the flow (end of capture) if needed and hands over its result. Once.
  PayloadFlowResult TakeResult();
  // The scan lets the flow go before it ended (a limit); `note` says which, for the result.
  void NoteFinishedEarly(std::string note);

  // Bytes the flow holds beyond its own object: reassembly, bytes waiting for detection, the
  // feeder's buffers, the parser's state (StreamParser::MemoryBytes) and the kept results.
  size_t MemoryFootprint() const;
  // What the scan last counted for this flow in its total.
  size_t accounted_bytes = 0;

  // PayloadEvents, from the parser.
  void OnMessage(payload::AppMessage message) override;
  void OnQuery(payload::DbQuery query) override;
  void OnCredential(payload::Credential credential) override;

 private:
  // Receives one TCP direction from its reassembler.
  class DirectionSink : public TcpStreamSink {
   public:
    DirectionSink(PayloadFlow* flow, payload::Side side) : flow_(flow), side_(side) {}
    void OnData(Bytes data, uint64_t frame_number, CaptureNanos time) override;
    void OnGap(uint64_t missing_bytes) override;
    void OnEnd(TcpStreamEnd reason) override;

   private:
    PayloadFlow* flow_;
    payload::Side side_;
  };
  // Bytes held before detection, in arrival order, to replay to the parser.
  struct HeldChunk {
    payload::Side side;
    payload::Position at;
    uint64_t gap = 0;  // lost bytes before `bytes`
    std::string bytes;
  };

  static size_t Index(payload::Side side) { return side == payload::Side::kClient ? 0 : 1; }
  payload::Side SideOf(FlowDirection direction) const {
    return direction == client_direction_ ? payload::Side::kClient : payload::Side::kServer;
  }
  void OnTcp(FlowDirection direction, const DecodedPacket& packet, payload::Position at,
             FlowAnomalySet* anomalies);
  void OnUdp(payload::Side side, const DecodedPacket& packet);
  void OnStreamData(payload::Side side, Bytes data, payload::Position at);
  void OnStreamGap(payload::Side side, uint64_t missing);
  void OnStreamEnd(payload::Side side);
  // Both sides' first bytes and the ports, for the detector.
  payload::DetectInput DetectionInput(bool final) const;
  // Runs detection on the held bytes; starts the parser once decided (or when `final`).
  void TryDetect(bool final);
  void StartParser();
  // The first bytes of the side that was silent when the protocol was decided: a detection
  // that sees both sides may confirm it with more confidence.
  void Confirm(payload::Side side, Bytes data);
  // Trial parsing (a requested protocol on a flow the detector could not name): whether the
  // events so far show a request and its response; the flow becomes the protocol and the held
  // events take their normal way. Failing drops the parser and what it reported.
  void CheckTrial();
  void RecogniseTrial();
  void FailTrial();
  // After the feeder returns: a failed trial's parser is let go (never from inside its calls).
  void AfterFeed();
  // The normal way of each event (counted, seen by the options' callbacks, kept within bounds).
  void Deliver(payload::AppMessage message);
  void Deliver(payload::DbQuery query);
  void Deliver(payload::Credential credential);

  PayloadScanContext* context_ = nullptr;
  PayloadFlowResult result_;
  FlowDirection client_direction_ = FlowDirection::kAToB;
  std::array<std::unique_ptr<DirectionSink>, 2> sinks_;
  std::array<std::unique_ptr<TcpReassembler>, 2> reassemblers_;  // by side
  std::array<bool, 2> side_ended_{};
  TcpPortReuse port_reuse_;
  bool decided_ = false;
  bool closed_ = false;
  bool confirm_pending_ = false;
  std::vector<HeldChunk> held_;
  size_t held_bytes_ = 0;  // heap bytes of the chunks' texts
  size_t kept_bytes_ = 0;  // heap bytes of the messages, queries and credentials in result_
  std::array<std::string, 2> first_bytes_;   // detection window per side (at most kDetectBytes)
  std::array<bool, 2> gap_before_detect_{};  // a side lost bytes before its window filled
  std::unique_ptr<payload::StreamParser> parser_;
  std::unique_ptr<payload::StreamFeeder> feeder_;

  // A trial parser's events, held until it is recognised or rejected (bounded: kMaxTrialEvents).
  enum class Trial : uint8_t { kNone, kPending, kFailed };
  Trial trial_ = Trial::kNone;
  payload::Protocol trial_protocol_ = payload::Protocol::kUnknown;
  std::vector<payload::AppMessage> trial_messages_;
  std::vector<payload::DbQuery> trial_queries_;
  std::vector<payload::Credential> trial_credentials_;
  size_t trial_bytes_ = 0;             // heap bytes of the held events
  std::array<bool, 2> trial_sides_{};  // a message of that side was seen
  bool trial_answered_ = false;        // a query with its response was seen
  // Notes of the scan itself (finished early), kept apart from the parser's facts.
  std::vector<std::string> scan_notes_;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_PAYLOAD_PAYLOAD_FLOW_H_
