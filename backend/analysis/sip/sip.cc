#include "backend/analysis/sip/sip.h"

#include <algorithm>
#include <array>
#include <map>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "backend/analysis/common/decoded_scan.h"
#include "backend/analysis/common/listing.h"
#include "backend/analysis/common/result_parts.h"
#include "backend/analysis/sip/sip_calls.h"
#include "backend/analysis/sip/sip_fields.h"
#include "backend/analysis/sip/sip_security.h"
#include "backend/analysis/sip/sip_stats.h"
#include "backend/base/status_macros.h"
#include "backend/dissect/sip.h"
#include "backend/flow/flow_key.h"
#include "backend/flow/ip_reassembler.h"
#include "backend/flow/tcp_streams.h"

namespace mcpcap {
namespace {

constexpr size_t kMaxTcpFlows = 65536;

// TLS record header (content type 20..23, major version 3): SIP over TLS on 5061, or DTLS.
bool LooksLikeTls(Bytes payload) {
  return payload.size() >= 3 && payload[0] >= 20 && payload[0] <= 23 &&
         (payload[1] == 3 || payload[1] == 0xfe);
}

// Track a TCP connection on the SIP port from its SYN, any other from its first SIP-looking
// segment: other TCP traffic costs no state.
bool WorthFollowing(const DecodedPacket& first) {
  const bool sip_port = first.src_port == 5060 || first.dst_port == 5060;
  return sip_port || (!first.payload.empty() && LooksLikeSip(first.payload));
}

// Skips CRLF keep-alives at the start of a stream.
Bytes SkipCrlf(Bytes data) {
  size_t i = 0;
  while (i < data.size() && (data[i] == '\r' || data[i] == '\n')) ++i;
  return data.subspan(i);
}

class SipAnalyzer;

// One direction of a TCP connection: reassembled bytes in, SIP messages out. A direction whose
// first line is not SIP is ignored from then on (unless on the SIP port, where framing looks for
// the next start line), so non-SIP TCP costs nothing after its first line.
class SipTcpSink : public TcpStreamSink {
 public:
  void Init(SipAnalyzer* analyzer, const SipOrigin& origin) {
    analyzer_ = analyzer;
    origin_ = origin;
  }
  void OnData(Bytes data, uint64_t frame_number, CaptureNanos time) override;
  void OnGap(uint64_t missing_bytes) override;
  void OnEnd(TcpStreamEnd reason) override;

 private:
  enum class State : uint8_t { kUndecided, kSip, kIgnored };
  void Drain();

  SipAnalyzer* analyzer_ = nullptr;
  SipOrigin origin_;
  State state_ = State::kUndecided;
  std::string probe_;  // the first bytes, until the first line is complete
  SipStreamParser parser_;
};

class SipAnalyzer {
 public:
  SipAnalyzer(const DecodedScan& scan, const ListingBounds& listings,
              v1::AnalyzeSipPacketsResponse* out)
      : scan_(scan),
        listings_(listings),
        response_(out),
        packets_("packets", listings),
        tcp_streams_(kMaxTcpFlows, WorthFollowing,
                     [this](const DirectedFlowKey& key, std::array<SipTcpSink, 2>& sinks) {
                       InitTcpSinks(key, sinks);
                     }) {}

  void OnPacket(const PacketRecord& record, const DecodedPacket& decoded);
  void OnMessage(const SipOrigin& o, const SipMessage& m);
  void CountProblems(const SipMessage& m) {
    m.problems.ForEach([&](SipProblem p) { ++anomalies_[std::string(SipProblemName(p))]; });
  }
  void CountAnomaly(const std::string& name) { ++anomalies_[name]; }
  void Finish();

 private:
  void OnUdp(const DecodedPacket& pkt, const SipOrigin& base);
  void OnTcp(const DecodedPacket& pkt, const SipOrigin& base);
  void InitTcpSinks(const DirectedFlowKey& key, std::array<SipTcpSink, 2>& sinks);

  const DecodedScan& scan_;
  const ListingBounds& listings_;
  v1::AnalyzeSipPacketsResponse* response_;
  Listing packets_;
  SipMessage message_;  // reused for datagrams
  IpReassembler defrag_;
  TcpStreams<SipTcpSink> tcp_streams_;
  SipStatsTally stats_;
  SipCallTracker calls_;
  SipSecurityTally security_;
  std::map<std::string, uint64_t> anomalies_;
};

void SipTcpSink::OnData(Bytes data, uint64_t frame_number, CaptureNanos time) {
  origin_.frame = frame_number;
  origin_.time = time;
  if (state_ == State::kIgnored) return;
  if (state_ == State::kUndecided) {
    if (probe_.empty()) data = SkipCrlf(data);
    const size_t room = kSipMaxLineBytes + 2 - probe_.size();
    probe_.append(reinterpret_cast<const char*>(data.data()), std::min(room, data.size()));
    if (probe_.find('\n') == std::string::npos && probe_.size() < kSipMaxLineBytes + 2) {
      if (data.size() <= room) return;  // the first line is still incomplete
    }
    const Bytes probe(reinterpret_cast<const uint8_t*>(probe_.data()), probe_.size());
    if (LooksLikeSip(probe)) {
      state_ = State::kSip;
    } else if (origin_.src_port == 5060 || origin_.dst_port == 5060) {
      state_ = State::kSip;
      parser_.Gap();  // joined mid-stream: resynchronise on the next start line, silently
    } else {
      state_ = State::kIgnored;
      probe_.clear();
      return;
    }
    parser_.Feed(probe);
    if (data.size() > room) parser_.Feed(data.subspan(room));
    probe_.clear();
    probe_.shrink_to_fit();
  } else {
    parser_.Feed(data);
  }
  Drain();
}

void SipTcpSink::Drain() {
  SipMessage m;
  for (;;) {
    const SipParseStatus s = parser_.Next(&m);
    if (s == SipParseStatus::kNeedMore) return;
    if (s == SipParseStatus::kOk) {
      analyzer_->OnMessage(origin_, m);
    } else {
      analyzer_->CountProblems(m);
    }
  }
}

void SipTcpSink::OnGap(uint64_t) {
  if (state_ != State::kSip) return;
  parser_.Gap();
  Drain();
}

void SipTcpSink::OnEnd(TcpStreamEnd) {
  if (state_ == State::kSip && parser_.seen_sip() && parser_.buffered() > 0) {
    analyzer_->CountAnomaly("sip_stream_incomplete_message");
  }
}

void SipAnalyzer::OnPacket(const PacketRecord& record, const DecodedPacket& decoded) {
  SipOrigin base;
  base.frame = record.frame_number;
  base.time = ToCaptureNanos(record.ts_sec, record.ts_nsec);
  // Large INVITEs with SDP are often fragmented: the message is analysed whole, at the frame
  // that completed it.
  DecodedPacket whole;
  const DecodedPacket* pkt = WholeTcpOrUdp(defrag_, decoded, base.frame, base.time, &whole);
  if (pkt == nullptr) return;
  base.src = pkt->ip.src;
  base.dst = pkt->ip.dst;
  base.src_port = pkt->src_port;
  base.dst_port = pkt->dst_port;
  if (pkt->l4_kind == L4Kind::kUdp) {
    OnUdp(*pkt, base);
  } else if (pkt->l4_kind == L4Kind::kTcp) {
    OnTcp(*pkt, base);
  }
}

void SipAnalyzer::OnUdp(const DecodedPacket& pkt, const SipOrigin& base) {
  if (pkt.payload.empty()) return;
  if ((pkt.src_port == 5061 || pkt.dst_port == 5061) && LooksLikeTls(pkt.payload)) {
    stats_.OnEncryptedPacket();
    return;
  }
  const SipParseStatus s = ParseSipDatagram(pkt.payload, &message_);
  if (s == SipParseStatus::kOk) {
    OnMessage(base, message_);
  } else if (s == SipParseStatus::kBad) {
    CountProblems(message_);
  }
}

void SipAnalyzer::OnTcp(const DecodedPacket& pkt, const SipOrigin& base) {
  const bool tls_port = pkt.src_port == 5061 || pkt.dst_port == 5061;
  if (tls_port && LooksLikeTls(pkt.payload)) {
    stats_.OnEncryptedPacket();
    return;
  }
  tcp_streams_.OnSegment(pkt, base.frame, base.time);
}

void SipAnalyzer::InitTcpSinks(const DirectedFlowKey& key, std::array<SipTcpSink, 2>& sinks) {
  for (size_t d = 0; d < 2; ++d) {
    SipOrigin o;
    o.tcp = true;
    o.src = d == 0 ? key.key.a : key.key.b;
    o.dst = d == 0 ? key.key.b : key.key.a;
    o.src_port = d == 0 ? key.key.port_a : key.key.port_b;
    o.dst_port = d == 0 ? key.key.port_b : key.key.port_a;
    sinks[d].Init(this, o);
  }
}

void SipAnalyzer::OnMessage(const SipOrigin& o, const SipMessage& m) {
  if (packets_.Admit()) FillSipPacket(m, o, response_->add_packets());
  CountProblems(m);
  stats_.OnMessage(m, o);
  calls_.OnMessage(m, o);
  security_.OnMessage(m, o);
}

void SipAnalyzer::Finish() {
  tcp_streams_.Finish();
  defrag_.Flush();
  v1::CaptureSummary* summary = response_->mutable_capture();
  scan_.FillSummary(summary);
  for (const auto& [name, count] : anomalies_) (*summary->mutable_anomalies())[name] += count;
  packets_.Report(summary);
  const uint64_t found = stats_.messages();
  response_->set_sip_packets_found(found);
  response_->set_sip_packets_analyzed(found);
  stats_.Fill(listings_, response_->mutable_statistics(), summary);
  calls_.Fill(listings_, response_);
  security_.Fill(calls_, response_->mutable_findings());
  if (found == 0) {
    response_->set_note("No SIP packets found in this capture");
  }
}

}  // namespace

absl::StatusOr<v1::AnalyzeSipPacketsResponse> AnalyzeSipPackets(
    const AnalysisInput& input, const v1::AnalyzeSipPacketsRequest& request) {
  (void)request;  // its options arrive through `input`
  ASSIGN_OR_RETURN(std::unique_ptr<DecodedScan> scan, DecodedScan::Open(input));
  v1::AnalyzeSipPacketsResponse response;
  SetNow(response.mutable_analysis_timestamp());
  SipAnalyzer analyzer(*scan, input.listings, &response);
  RETURN_IF_ERROR(scan->Run([&](const PacketRecord& record, const DecodedPacket& decoded) {
    analyzer.OnPacket(record, decoded);
  }));
  analyzer.Finish();
  return response;
}

}  // namespace mcpcap
