#include "backend/analysis/payload/payload_flow.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "backend/payload/common/heap_bytes.h"

namespace mcpcap {
namespace {

using payload::Side;

constexpr uint8_t kProtoTcp = 6;

// Events a trial parser may report before it shows a request and its response: past them the
// bytes are not taken for the protocol.
constexpr size_t kMaxTrialEvents = 64;
// A flow the parser of the requested protocol recognised: a whole exchange parsed, where the
// first bytes alone said nothing.
constexpr double kParserConfidence = 0.8;

Bytes AsBytes(const std::string& s) {
  return Bytes(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

// Which end of a flow is the client, from its first packet: the SYN says so; without the
// handshake, a registered server port, else the higher (ephemeral) port is the client's.
bool SenderIsClient(uint8_t ip_protocol, const DecodedPacket& packet) {
  if (ip_protocol == kProtoTcp) {
    const uint16_t flags = packet.tcp.flags;
    if ((flags & kTcpSyn) != 0) return (flags & kTcpAck) == 0;
  }
  const bool src_known = payload::ProtocolForPort(ip_protocol, packet.src_port).has_value();
  const bool dst_known = payload::ProtocolForPort(ip_protocol, packet.dst_port).has_value();
  if (src_known != dst_known) return dst_known;
  if (packet.src_port != packet.dst_port) return packet.src_port > packet.dst_port;
  return true;
}

}  // namespace

void PayloadFlow::DirectionSink::OnData(Bytes data, uint64_t frame_number, CaptureNanos time) {
  flow_->OnStreamData(side_, data, payload::Position{frame_number, time});
}
void PayloadFlow::DirectionSink::OnGap(uint64_t missing_bytes) {
  flow_->OnStreamGap(side_, missing_bytes);
}
void PayloadFlow::DirectionSink::OnEnd(TcpStreamEnd) { flow_->OnStreamEnd(side_); }

void PayloadFlow::Start(PayloadScanContext* context, const FlowKey& key, FlowDirection direction,
                        const DecodedPacket& packet, std::optional<uint64_t> stream_index) {
  context_ = context;
  result_.ip_protocol = key.protocol;
  result_.stream_index = stream_index;
  const bool sender_is_client = SenderIsClient(key.protocol, packet);
  client_direction_ = sender_is_client ? direction : Reverse(direction);
  result_.client = sender_is_client ? packet.ip.src : packet.ip.dst;
  result_.client_port = sender_is_client ? packet.src_port : packet.dst_port;
  result_.server = sender_is_client ? packet.ip.dst : packet.ip.src;
  result_.server_port = sender_is_client ? packet.dst_port : packet.src_port;
  if (key.protocol == kProtoTcp) {
    // Resent bytes that differ from the first copy are analyze_tcp_anomalies' business; not
    // checking them here saves keeping a copy of every delivered byte.
    TcpReassemblyLimits limits;
    limits.retransmit_check_bytes = 0;
    for (Side side : {Side::kClient, Side::kServer}) {
      sinks_[Index(side)] = std::make_unique<DirectionSink>(this, side);
      reassemblers_[Index(side)] =
          std::make_unique<TcpReassembler>(sinks_[Index(side)].get(), limits);
    }
  }
}

void PayloadFlow::OnPacket(FlowDirection direction, const DecodedPacket& packet,
                           payload::Position at, uint32_t frame_bytes, FlowAnomalySet* anomalies) {
  if (result_.packets == 0) result_.first = at;
  result_.last = at;
  ++result_.packets;
  result_.ip_bytes += packet.ip.total_length;
  if (SideOf(direction) == Side::kClient) {
    result_.frame_bytes_client_to_server += frame_bytes;
  } else {
    result_.frame_bytes_server_to_client += frame_bytes;
  }
  if (reassemblers_[0] != nullptr) {
    OnTcp(direction, packet, at, anomalies);
  } else {
    OnUdp(SideOf(direction), packet);
  }
}

void PayloadFlow::OnTcp(FlowDirection direction, const DecodedPacket& packet, payload::Position at,
                        FlowAnomalySet* anomalies) {
  const TcpInfo& tcp = packet.tcp;
  port_reuse_.Learn(direction, tcp.flags, tcp.seq, tcp.ack);
  const Side side = SideOf(direction);
  reassemblers_[Index(side)]->OnSegment(tcp.seq, tcp.flags, packet.payload, at.frame, at.time,
                                        anomalies);
  TcpReassembler& other = *reassemblers_[Index(payload::Other(side))];
  if ((tcp.flags & kTcpRst) != 0) {
    other.Flush(TcpStreamEnd::kRst);  // nothing more is read from a reset connection
  } else if ((tcp.flags & kTcpAck) != 0) {
    other.SkipTo(tcp.ack);  // acknowledged bytes we never saw are a gap, not a wait
  }
}

void PayloadFlow::OnUdp(Side side, const DecodedPacket& packet) {
  const Bytes data = packet.payload;
  if (side == Side::kClient) {
    result_.payload_bytes_client_to_server += data.size();
  } else {
    result_.payload_bytes_server_to_client += data.size();
  }
  if (data.empty()) return;
  if (decided_) {
    if (confirm_pending_) Confirm(side, data);
    return;
  }
  std::string& first = first_bytes_[Index(side)];
  if (!first.empty()) return;
  // Detection looks at each side's first datagram.
  first.assign(reinterpret_cast<const char*>(data.data()),
               std::min(data.size(), payload::kDetectBytes));
  TryDetect(/*final=*/false);
}

void PayloadFlow::Confirm(Side side, Bytes data) {
  std::string& window = first_bytes_[Index(side)];
  if (!window.empty()) return;  // still waiting for the silent side
  window.assign(reinterpret_cast<const char*>(data.data()),
                std::min(data.size(), payload::kDetectBytes));
  const payload::Detection both = payload::DetectProtocol(DetectionInput(/*final=*/true));
  // Only a confirmation: the parser already runs, so a disagreeing answer changes nothing.
  if (both.protocol == result_.detection.protocol &&
      both.confidence > result_.detection.confidence) {
    result_.detection.confidence = both.confidence;
    result_.detection.detected_by = both.detected_by;
  }
  confirm_pending_ = false;
  for (std::string& w : first_bytes_) std::string().swap(w);
}

void PayloadFlow::OnStreamData(Side side, Bytes data, payload::Position at) {
  if (side == Side::kClient) {
    result_.payload_bytes_client_to_server += data.size();
  } else {
    result_.payload_bytes_server_to_client += data.size();
  }
  if (decided_) {
    if (confirm_pending_ && !data.empty()) Confirm(side, data);
    if (feeder_ != nullptr) {
      feeder_->OnData(side, data, at);
      AfterFeed();
    }
    return;
  }
  held_.push_back(
      HeldChunk{side, at, 0, std::string(reinterpret_cast<const char*>(data.data()), data.size())});
  held_bytes_ += payload::HeapBytes(held_.back().bytes);
  std::string& window = first_bytes_[Index(side)];
  if (!gap_before_detect_[Index(side)] && window.size() < payload::kDetectBytes) {
    const size_t n = std::min(data.size(), payload::kDetectBytes - window.size());
    window.append(reinterpret_cast<const char*>(data.data()), n);
  }
  // A full window (or a side cut by a gap) will not say more: decide rather than hold bytes.
  const bool window_done =
      window.size() >= payload::kDetectBytes || gap_before_detect_[Index(side)];
  TryDetect(/*final=*/window_done);
}

void PayloadFlow::OnStreamGap(Side side, uint64_t missing) {
  ++result_.gaps;
  result_.gap_bytes += missing;
  if (decided_) {
    if (feeder_ != nullptr) {
      feeder_->OnGap(side, missing);
      AfterFeed();
    }
    return;
  }
  gap_before_detect_[Index(side)] = true;
  held_.push_back(HeldChunk{side, {}, missing, {}});
}

void PayloadFlow::OnStreamEnd(Side side) {
  side_ended_[Index(side)] = true;
  if (!decided_) {
    if (side_ended_[0] && side_ended_[1]) TryDetect(/*final=*/true);
    return;
  }
  if (feeder_ != nullptr) {
    feeder_->OnEnd(side);
    AfterFeed();
  }
}

bool PayloadFlow::closed() const {
  return reassemblers_[0] != nullptr && reassemblers_[0]->ended() && reassemblers_[1]->ended();
}

payload::DetectInput PayloadFlow::DetectionInput(bool final) const {
  payload::DetectInput input;
  input.ip_protocol = result_.ip_protocol;
  input.client_port = result_.client_port;
  input.server_port = result_.server_port;
  input.client_bytes = AsBytes(first_bytes_[0]);
  input.server_bytes = AsBytes(first_bytes_[1]);
  input.final = final;
  return input;
}

void PayloadFlow::TryDetect(bool final) {
  if (decided_) return;
  const payload::Detection detection = payload::DetectProtocol(DetectionInput(final));
  if (!detection.decided && !final) return;
  decided_ = true;
  result_.detection = detection;
  result_.detection.decided = true;
  // Decided on one side's bytes: the other side's first bytes may still raise the confidence.
  confirm_pending_ = detection.protocol != payload::Protocol::kUnknown &&
                     (first_bytes_[0].empty() || first_bytes_[1].empty());
  StartParser();
}

void PayloadFlow::StartParser() {
  const PayloadScanOptions& options = *context_->options;
  payload::Protocol protocol = result_.detection.protocol;
  if (options.protocol.has_value() && protocol == payload::Protocol::kUnknown &&
      result_.ip_protocol == kProtoTcp) {
    // The bytes and the port said nothing: the requested protocol's parser may recognise them.
    // The flow stays unknown unless it does (CheckTrial).
    protocol = *options.protocol;
    trial_ = Trial::kPending;
    trial_protocol_ = protocol;
  }
  const payload::ParserFactory factory = ParserFor(protocol);
  const bool wanted = !options.protocol.has_value() || protocol == *options.protocol;
  if (options.parse && wanted && factory != nullptr) {
    parser_ = factory(this, &result_.facts);
    feeder_ = std::make_unique<payload::StreamFeeder>(parser_.get());
    result_.parsed = true;
    for (const HeldChunk& chunk : held_) {
      if (feeder_ == nullptr) break;  // a trial that failed on the held bytes
      if (chunk.gap > 0) feeder_->OnGap(chunk.side, chunk.gap);
      if (!chunk.bytes.empty()) feeder_->OnData(chunk.side, AsBytes(chunk.bytes), chunk.at);
      AfterFeed();
    }
    for (Side side : {Side::kClient, Side::kServer}) {
      if (feeder_ != nullptr && side_ended_[Index(side)]) {
        feeder_->OnEnd(side);
        AfterFeed();
      }
    }
  } else {
    trial_ = Trial::kNone;
  }
  held_.clear();
  held_.shrink_to_fit();
  held_bytes_ = 0;
  if (!confirm_pending_) {
    for (std::string& window : first_bytes_) std::string().swap(window);
  }
}

void PayloadFlow::Close(TcpStreamEnd reason) {
  if (closed_) return;
  closed_ = true;
  for (auto& reassembler : reassemblers_) {
    if (reassembler != nullptr) reassembler->Flush(reason);
  }
  TryDetect(/*final=*/true);
  if (feeder_ != nullptr) {
    feeder_->Finish();
    AfterFeed();
  }
  if (trial_ == Trial::kPending) {  // the flow ended without a whole exchange
    FailTrial();
    AfterFeed();
  }
  if (feeder_ != nullptr) {
    result_.client_stop_reason = std::string(feeder_->stop_reason(Side::kClient));
    result_.server_stop_reason = std::string(feeder_->stop_reason(Side::kServer));
  }
}

PayloadFlowResult PayloadFlow::TakeResult() {
  Close(TcpStreamEnd::kEndOfCapture);
  for (std::string& note : scan_notes_) result_.facts.notes.push_back(std::move(note));
  scan_notes_.clear();
  return std::move(result_);
}

void PayloadFlow::NoteFinishedEarly(std::string note) { scan_notes_.push_back(std::move(note)); }

void PayloadFlow::CheckTrial() {
  if (trial_ != Trial::kPending) return;
  if (feeder_->stopped(Side::kClient) || feeder_->stopped(Side::kServer)) {
    FailTrial();  // the parser rejected a side before showing an exchange
    return;
  }
  const bool exchange = payload::IsDatabaseProtocol(trial_protocol_)
                            ? trial_answered_
                            : trial_sides_[0] && trial_sides_[1];
  if (exchange) {
    RecogniseTrial();
  } else if (trial_messages_.size() + trial_queries_.size() + trial_credentials_.size() >
             kMaxTrialEvents) {
    FailTrial();
  }
}

void PayloadFlow::RecogniseTrial() {
  trial_ = Trial::kNone;
  result_.detection.protocol = trial_protocol_;
  result_.detection.detected_by = "parser";
  result_.detection.confidence = kParserConfidence;
  std::vector<payload::AppMessage> messages = std::move(trial_messages_);
  std::vector<payload::DbQuery> queries = std::move(trial_queries_);
  std::vector<payload::Credential> credentials = std::move(trial_credentials_);
  trial_messages_.clear();
  trial_queries_.clear();
  trial_credentials_.clear();
  trial_bytes_ = 0;
  for (payload::AppMessage& m : messages) Deliver(std::move(m));
  for (payload::DbQuery& q : queries) Deliver(std::move(q));
  for (payload::Credential& c : credentials) Deliver(std::move(c));
}

void PayloadFlow::FailTrial() {
  trial_ = Trial::kFailed;
  std::vector<payload::AppMessage>().swap(trial_messages_);
  std::vector<payload::DbQuery>().swap(trial_queries_);
  std::vector<payload::Credential>().swap(trial_credentials_);
  trial_bytes_ = 0;
}

void PayloadFlow::AfterFeed() {
  if (trial_ == Trial::kPending) CheckTrial();
  if (trial_ != Trial::kFailed || feeder_ == nullptr) return;
  // Nothing the parser learned stands: the flow is what the detector said (unknown).
  feeder_.reset();
  parser_.reset();
  result_.parsed = false;
  result_.facts = payload::FlowFacts{};
}

size_t PayloadFlow::MemoryFootprint() const {
  using payload::HeapBytes;
  size_t bytes = held_.capacity() * sizeof(HeldChunk) + held_bytes_;
  bytes += HeapBytes(first_bytes_[0]) + HeapBytes(first_bytes_[1]);
  for (size_t i = 0; i < 2; ++i) {
    if (reassemblers_[i] != nullptr) {
      bytes += reassemblers_[i]->MemoryBytes() + sizeof(DirectionSink);
    }
  }
  if (feeder_ != nullptr) bytes += feeder_->MemoryBytes();
  if (parser_ != nullptr) bytes += parser_->MemoryBytes();
  bytes += HeapBytes(result_.facts) + kept_bytes_ + trial_bytes_;
  bytes += trial_messages_.capacity() * sizeof(payload::AppMessage) +
           trial_queries_.capacity() * sizeof(payload::DbQuery) +
           trial_credentials_.capacity() * sizeof(payload::Credential);
  bytes += result_.messages.capacity() * sizeof(payload::AppMessage) +
           result_.queries.capacity() * sizeof(payload::DbQuery) +
           result_.credentials.capacity() * sizeof(payload::Credential);
  return bytes;
}

void PayloadFlow::OnMessage(payload::AppMessage message) {
  if (trial_ == Trial::kFailed) return;
  if (trial_ == Trial::kPending) {
    trial_sides_[Index(message.from)] = true;
    trial_bytes_ += payload::HeapBytes(message);
    trial_messages_.push_back(std::move(message));
    return;  // CheckTrial runs when the parser returns
  }
  Deliver(std::move(message));
}

void PayloadFlow::OnQuery(payload::DbQuery query) {
  if (trial_ == Trial::kFailed) return;
  if (trial_ == Trial::kPending) {
    if (query.status != payload::QueryStatus::kNoResponse && query.response.frame != 0) {
      trial_answered_ = true;
    }
    trial_bytes_ += payload::HeapBytes(query);
    trial_queries_.push_back(std::move(query));
    return;
  }
  Deliver(std::move(query));
}

void PayloadFlow::OnCredential(payload::Credential credential) {
  if (trial_ == Trial::kFailed) return;
  if (trial_ == Trial::kPending) {
    trial_bytes_ += payload::HeapBytes(credential);
    trial_credentials_.push_back(std::move(credential));
    return;
  }
  Deliver(std::move(credential));
}

void PayloadFlow::Deliver(payload::AppMessage message) {
  ++result_.messages_total;
  if (context_->options->on_message) context_->options->on_message(result_, message);
  if (result_.messages.size() < context_->options->max_messages_per_flow) {
    kept_bytes_ += payload::HeapBytes(message);
    result_.messages.push_back(std::move(message));
  }
}

void PayloadFlow::Deliver(payload::DbQuery query) {
  ++context_->queries_total;
  ++result_.queries_total;
  if (query.status == payload::QueryStatus::kError) ++result_.query_errors;
  if (context_->options->on_query) context_->options->on_query(result_, query);
  if (context_->queries_kept >= context_->options->max_queries) {
    ++context_->queries_dropped;
    return;
  }
  ++context_->queries_kept;
  kept_bytes_ += payload::HeapBytes(query);
  result_.queries.push_back(std::move(query));
}

void PayloadFlow::Deliver(payload::Credential credential) {
  if (result_.credentials.size() < context_->options->max_credentials_per_flow) {
    kept_bytes_ += payload::HeapBytes(credential);
    result_.credentials.push_back(std::move(credential));
  }
}

}  // namespace mcpcap
