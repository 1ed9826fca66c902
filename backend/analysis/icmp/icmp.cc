#include "backend/analysis/icmp/icmp.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "backend/analysis/common/decoded_scan.h"
#include "backend/analysis/common/latency_stats.h"
#include "backend/analysis/common/listing.h"
#include "backend/analysis/common/result_parts.h"
#include "backend/analysis/icmp/icmp_echo.h"
#include "backend/analysis/icmp/icmp_findings.h"
#include "backend/analysis/icmp/icmp_quoted.h"
#include "backend/analysis/icmp/icmp_traceroute.h"
#include "backend/base/proto_time.h"
#include "backend/base/status_macros.h"
#include "backend/dissect/icmp_names.h"
#include "backend/flow/capture_time.h"
#include "backend/flow/ip_reassembler.h"

namespace mcpcap {
namespace {

ProbeKey QuotedProbe(const IcmpQuoted& q) {
  ProbeKey k{q.src, q.dst, q.protocol, 0, 0};
  if (q.has_ports) {
    k.a = q.src_port;
    k.b = q.dst_port;
  } else if (q.has_echo) {
    k.a = q.echo_id;
    k.b = q.echo_seq;
  }
  return k;
}

struct UnreachableKey {
  IpAddress target;
  uint8_t protocol = 0;
  bool has_port = false;
  uint16_t port = 0;
  uint32_t family_type_code = 0;  // PackTypeCode, for the reason's name
  bool operator<(const UnreachableKey& o) const {
    return std::tie(target, protocol, has_port, port, family_type_code) <
           std::tie(o.target, o.protocol, o.has_port, o.port, o.family_type_code);
  }
};
struct UnreachableEntry {
  uint64_t count = 0;
  uint64_t first_packet = 0;
  CaptureNanos first_time = 0;
  std::set<IpAddress> reporters;  // at most 10
};

// (ip version, type, code) packed for the count tables.
uint32_t PackTypeCode(int version, uint8_t type, uint8_t code) {
  return static_cast<uint32_t>(version == 6) << 16 | uint32_t{type} << 8 | code;
}

class IcmpAnalysis {
 public:
  IcmpAnalysis(const DecodedScan& scan, const ListingBounds& listings,
               v1::AnalyzeIcmpPacketsResponse* out)
      : scan_(scan),
        out_(out),
        packets_("packets", listings),
        sources_listing_("statistics.unique_sources", listings),
        destinations_listing_("statistics.unique_destinations", listings),
        echo_listing_("statistics.echo_pairs", listings),
        unreachable_listing_("statistics.unreachable_destinations", listings),
        details_listing_("statistics.unreachable_details", listings),
        traceroute_listing_("statistics.traceroutes", listings) {}

  void OnRecord(const PacketRecord& rec, const DecodedPacket& pkt) {
    const bool is_ip = pkt.l3_kind == L3Kind::kIpv4 || pkt.l3_kind == L3Kind::kIpv6;
    if (!is_ip) return;
    const CaptureNanos time = ToCaptureNanos(rec.ts_sec, rec.ts_nsec);
    const uint8_t proto = pkt.ip.protocol;
    if (pkt.ip.is_fragment && (proto == 1 || proto == 58)) {
      const ReassembledDatagram* d =
          ReassembleFragment(defrag_, pkt, rec.frame_number, time, &whole_, &flow_anomalies_);
      CountFlowAnomalies();
      if (d == nullptr) return;
      OnIcmpCandidate(rec, whole_, d->payload, time);
      return;
    }
    OnIcmpCandidate(rec, pkt, pkt.ip.payload, time);
  }

  void Finish(const IpReassemblyStats& defrag_stats);
  IpReassembler& defrag() { return defrag_; }

 private:
  void OnIcmpCandidate(const PacketRecord& rec, const DecodedPacket& pkt, Bytes message,
                       CaptureNanos time) {
    if (pkt.l4_kind == L4Kind::kIcmp || pkt.l4_kind == L4Kind::kIcmpv6) {
      OnIcmp(rec, pkt, message, time);
    } else if (pkt.l4_kind == L4Kind::kTcp || pkt.l4_kind == L4Kind::kUdp) {
      traceroute_.OnPacket(
          ProbeKey{pkt.ip.src, pkt.ip.dst, pkt.ip.protocol, pkt.src_port, pkt.dst_port}, pkt.ip.ttl,
          rec.frame_number, time);
    }
  }

  void OnIcmp(const PacketRecord& rec, const DecodedPacket& pkt, Bytes message, CaptureNanos time);
  void OnEcho(const DecodedPacket& pkt, IcmpKind kind, uint64_t frame, CaptureNanos time,
              v1::IcmpPacket* listed);
  void OnError(const DecodedPacket& pkt, IcmpKind kind, Bytes message, uint64_t frame,
               CaptureNanos time, v1::IcmpPacket* listed);
  void CountFlowAnomalies() {
    flow_anomalies_.ForEach(
        [this](FlowAnomaly a) { ++flow_anomaly_counts_[std::string(FlowAnomalyName(a))]; });
    flow_anomalies_ = FlowAnomalySet();
  }

  const DecodedScan& scan_;
  v1::AnalyzeIcmpPacketsResponse* out_;
  Listing packets_, sources_listing_, destinations_listing_, echo_listing_, unreachable_listing_,
      details_listing_, traceroute_listing_;

  IpReassembler defrag_;
  DecodedPacket whole_;
  FlowAnomalySet flow_anomalies_;
  std::map<std::string, uint64_t> flow_anomaly_counts_;

  uint64_t found_ = 0;
  uint64_t truncated_ = 0;  // headers cut short
  absl::flat_hash_map<uint32_t, uint64_t> type_code_counts_;
  std::set<IpAddress> sources_, destinations_, unreachable_targets_;
  std::map<UnreachableKey, UnreachableEntry> unreachable_;
  IcmpEchoTracker echo_;
  IcmpTracerouteBuilder traceroute_;
  IcmpRateTracker rates_;
  std::vector<IcmpRedirect> redirects_;  // at most 100
  uint64_t redirect_total_ = 0;
  // Listed echo requests by frame, so their reply can fill response_in.
  absl::flat_hash_map<uint64_t, int> listed_requests_;
};

void IcmpAnalysis::OnIcmp(const PacketRecord& rec, const DecodedPacket& pkt, Bytes message,
                          CaptureNanos time) {
  const int version = pkt.ip.version;
  const uint8_t type = pkt.icmp.type;
  const uint8_t code = pkt.icmp.code;
  const uint64_t frame = rec.frame_number;
  ++found_;
  ++type_code_counts_[PackTypeCode(version, type, code)];
  sources_.insert(pkt.ip.src);
  destinations_.insert(pkt.ip.dst);
  rates_.Add(pkt.ip.src, pkt.ip.dst, rec.ts_sec, frame, time);

  v1::IcmpPacket* listed = nullptr;
  if (packets_.Admit()) {
    listed = out_->add_packets();
    listed->set_packet_number(frame);
    SetTimestampNanos(time, listed->mutable_timestamp());
    FillEndpoint(pkt.ip.src, listed->mutable_source());
    FillEndpoint(pkt.ip.dst, listed->mutable_destination());
    listed->set_ip_version(version);
    listed->set_ttl(pkt.ip.ttl);
    if (version == 6) listed->set_hop_limit(pkt.ip.ttl);
    listed->set_packet_size(rec.origlen);
    listed->set_icmp_type(type);
    listed->set_icmp_code(code);
    listed->set_icmp_type_name(IcmpTypeName(version, type));
    listed->set_icmp_code_name(IcmpCodeName(version, type, code));
    if (message.size() >= 4) listed->set_checksum(LoadU16Be(message.data() + 2));
    listed->set_protocol(version == 6 ? v1::ICMP_PROTOCOL_ICMPV6 : v1::ICMP_PROTOCOL_ICMP);
    listed->set_truncated(pkt.icmp.header_truncated);
  }
  if (pkt.icmp.header_truncated) {
    ++truncated_;
    return;  // nothing beyond type and code to read
  }

  const IcmpKind kind = ClassifyIcmp(version, type);
  switch (kind) {
    case IcmpKind::kEchoRequest:
    case IcmpKind::kEchoReply:
      OnEcho(pkt, kind, frame, time, listed);
      break;
    case IcmpKind::kUnreachable:
    case IcmpKind::kTimeExceeded:
    case IcmpKind::kParameterProblem:
    case IcmpKind::kPacketTooBig:
    case IcmpKind::kSourceQuench:
    case IcmpKind::kRedirect:
      OnError(pkt, kind, message, frame, time, listed);
      break;
    case IcmpKind::kOther:
      break;
  }
}

void IcmpAnalysis::OnEcho(const DecodedPacket& pkt, IcmpKind kind, uint64_t frame,
                          CaptureNanos time, v1::IcmpPacket* listed) {
  if (!pkt.icmp.is_echo) return;  // too short to carry id and sequence
  const EchoSessionKey key{pkt.ip.src, pkt.ip.dst, pkt.icmp.id, pkt.ip.version == 6};
  if (listed != nullptr) {
    listed->set_icmp_id(pkt.icmp.id);
    listed->set_icmp_seq(pkt.icmp.seq);
    listed->set_payload_size(static_cast<uint32_t>(pkt.payload.size()));
  }
  if (kind == IcmpKind::kEchoRequest) {
    echo_.OnRequest(key, pkt.icmp.seq, frame, time, pkt.ip.ttl, pkt.payload);
    traceroute_.OnPacket(
        ProbeKey{pkt.ip.src, pkt.ip.dst, pkt.ip.protocol, pkt.icmp.id, pkt.icmp.seq}, pkt.ip.ttl,
        frame, time);
    if (listed != nullptr) listed_requests_[frame] = out_->packets_size() - 1;
    return;
  }
  const IcmpEchoTracker::ReplyMatch m = echo_.OnReply(key, pkt.icmp.seq, frame, time, pkt.payload);
  if (m.matched) {
    if (listed != nullptr) {
      SetDurationNanos(time - m.request_time, listed->mutable_rtt());
      FillPacketRef(m.request_frame, m.request_time, listed->mutable_response_to());
    }
    auto it = listed_requests_.find(m.request_frame);
    if (it != listed_requests_.end() && !m.duplicate) {
      FillPacketRef(frame, time, out_->mutable_packets(it->second)->mutable_response_in());
    }
  }
  // An echo reply from the destination ends a traceroute -I.
  traceroute_.OnDestinationAnswer(
      ProbeKey{pkt.ip.dst, pkt.ip.src, pkt.ip.protocol, pkt.icmp.id, pkt.icmp.seq}, frame, time);
}

void IcmpAnalysis::OnError(const DecodedPacket& pkt, IcmpKind kind, Bytes message, uint64_t frame,
                           CaptureNanos time, v1::IcmpPacket* listed) {
  const int version = pkt.ip.version;
  if (kind == IcmpKind::kRedirect) {
    IcmpRedirect r{pkt.ip.src, pkt.ip.dst, IpAddress(), IpAddress(), frame, time};
    if (version == 4 && message.size() >= 8) {
      r.gateway = IpAddress::V4(message.data() + 4);
    } else if (version == 6 && message.size() >= 40) {
      r.gateway = IpAddress::V6(message.data() + 8);  // target address
      r.destination = IpAddress::V6(message.data() + 24);
    }
    if (version == 4) r.destination = ParseIcmpQuoted(pkt.icmp.quoted).dst;
    ++redirect_total_;
    if (redirects_.size() < 100) redirects_.push_back(r);
    if (listed != nullptr && !r.gateway.empty()) listed->set_redirect_gateway(r.gateway.ToString());
    if (version == 6) return;  // an ICMPv6 redirect quotes no packet header up front
  }
  if (listed != nullptr) {
    if (version == 4 && pkt.icmp.type == 3 && pkt.icmp.code == 4 && message.size() >= 8) {
      listed->set_mtu(LoadU16Be(message.data() + 6));
    } else if (kind == IcmpKind::kPacketTooBig && message.size() >= 8) {
      listed->set_mtu(LoadU32Be(message.data() + 4));
    }
  }
  const IcmpQuoted q = ParseIcmpQuoted(pkt.icmp.quoted);
  if (!q.ok) return;
  const ProbeKey probe = QuotedProbe(q);
  IcmpFrame probe_frame;
  if (IsHopLimitExceeded(version, pkt.icmp.type, pkt.icmp.code)) {
    probe_frame = traceroute_.OnTimeExceeded(pkt.ip.src, probe, frame, time);
  } else if (IsPortUnreachable(version, pkt.icmp.type, pkt.icmp.code) && pkt.ip.src == q.dst) {
    probe_frame = traceroute_.OnDestinationAnswer(probe, frame, time);
  } else {
    probe_frame = traceroute_.ProbeFrame(probe, time);
  }
  if (kind == IcmpKind::kUnreachable) {
    unreachable_targets_.insert(q.dst);
    UnreachableEntry& e = unreachable_[UnreachableKey{
        q.dst, q.protocol, q.has_ports, q.has_ports ? q.dst_port : uint16_t{0},
        PackTypeCode(version, pkt.icmp.type, pkt.icmp.code)}];
    if (e.count++ == 0) {
      e.first_packet = frame;
      e.first_time = time;
    }
    if (e.reporters.size() < 10) e.reporters.insert(pkt.ip.src);
  }
  if (listed == nullptr) return;
  v1::IcmpQuotedPacket* quoted = listed->mutable_quoted();
  if (q.has_ports) {
    FillEndpoint(q.src, q.src_port, quoted->mutable_source());
    FillEndpoint(q.dst, q.dst_port, quoted->mutable_destination());
  } else {
    FillEndpoint(q.src, quoted->mutable_source());
    FillEndpoint(q.dst, quoted->mutable_destination());
  }
  quoted->set_protocol(IpProtocolName(q.protocol));
  quoted->set_ttl(q.ttl);
  if (q.has_echo) {
    quoted->set_icmp_id(q.echo_id);
    quoted->set_icmp_seq(q.echo_seq);
  }
  if (probe_frame.frame != 0) {
    FillPacketRef(probe_frame.frame, probe_frame.time, quoted->mutable_probe_packet());
  }
}

template <typename Set>
void FillAddresses(const Set& set, Listing& listing,
                   google::protobuf::RepeatedPtrField<std::string>* out) {
  for (const IpAddress& a : set) {
    if (listing.Admit()) out->Add(a.ToString());
  }
}

void IcmpAnalysis::Finish(const IpReassemblyStats& defrag_stats) {
  v1::IcmpStatistics* st = out_->mutable_statistics();
  // Counts by name, in a stable order (std::map sorted by key; the JSON map is keyed anyway).
  std::vector<std::pair<uint32_t, uint64_t>> counts(type_code_counts_.begin(),
                                                    type_code_counts_.end());
  std::sort(counts.begin(), counts.end());
  for (const auto& [packed, n] : counts) {
    const int version = (packed >> 16) ? 6 : 4;
    const uint8_t type = static_cast<uint8_t>(packed >> 8);
    const uint8_t code = static_cast<uint8_t>(packed);
    // ICMPv6 names are prefixed so that v4 and v6 echo counts stay apart.
    const std::string type_name = (version == 6 ? "ICMPv6 " : "") + IcmpTypeName(version, type);
    (*st->mutable_icmp_type_counts())[type_name] += n;
    (*st->mutable_icmp_code_counts())[type_name + " / " + IcmpCodeName(version, type, code)] += n;
  }
  st->set_truncated_messages(truncated_);
  st->set_unique_sources_count(sources_.size());
  st->set_unique_destinations_count(destinations_.size());
  FillAddresses(sources_, sources_listing_, st->mutable_unique_sources());
  FillAddresses(destinations_, destinations_listing_, st->mutable_unique_destinations());

  st->set_echo_sessions(echo_.sessions().size());
  st->set_echo_requests(echo_.requests());
  st->set_echo_replies(echo_.replies());
  for (const auto& [key, s] : echo_.sessions()) {
    if (!echo_listing_.Admit()) continue;
    v1::EchoStats* e = st->add_echo_pairs();
    FillEndpoint(key.source, e->mutable_source());
    FillEndpoint(key.destination, e->mutable_destination());
    e->set_identifier(key.identifier);
    e->set_protocol(key.v6 ? v1::ICMP_PROTOCOL_ICMPV6 : v1::ICMP_PROTOCOL_ICMP);
    e->set_requests(s.requests);
    e->set_replies(s.replies);
    e->set_unanswered(s.requests - s.answered);
    e->set_unmatched_replies(s.unmatched_replies);
    if (s.requests > 0) {
      e->set_loss_percent(100.0 * static_cast<double>(s.requests - s.answered) /
                          static_cast<double>(s.requests));
    }
    FillLatency(s.rtts_ms, e->mutable_rtt());
    FillPacketRef(s.first_packet, s.first_time, e->mutable_first_packet());
    FillPacketRef(s.last_packet, s.last_time, e->mutable_last_packet());
  }

  st->set_unreachable_destinations_count(unreachable_targets_.size());
  FillAddresses(unreachable_targets_, unreachable_listing_, st->mutable_unreachable_destinations());
  for (const auto& [key, e] : unreachable_) {
    if (!details_listing_.Admit()) continue;
    v1::IcmpUnreachable* u = st->add_unreachable_details();
    const int version = (key.family_type_code >> 16) ? 6 : 4;
    if (key.has_port) {
      FillEndpoint(key.target, key.port, u->mutable_destination());
    } else {
      FillEndpoint(key.target, u->mutable_destination());
    }
    u->set_protocol(IpProtocolName(key.protocol));
    u->set_reason(IcmpCodeName(version, static_cast<uint8_t>(key.family_type_code >> 8),
                               static_cast<uint8_t>(key.family_type_code)));
    u->set_count(e.count);
    for (const IpAddress& r : e.reporters) u->add_reported_by(r.ToString());
    FillPacketRef(e.first_packet, e.first_time, u->mutable_first_packet());
  }
  traceroute_.Fill(traceroute_listing_, st->mutable_traceroutes());

  AddIcmpFindings(echo_, rates_, redirects_, redirect_total_, out_->mutable_findings());

  v1::CaptureSummary* summary = out_->mutable_capture();
  scan_.FillSummary(summary);
  for (const auto& [name, n] : flow_anomaly_counts_) (*summary->mutable_anomalies())[name] += n;
  if (defrag_stats.timed_out > 0) {
    (*summary->mutable_anomalies())["fragment_timeout"] += defrag_stats.timed_out;
  }
  for (const Listing* l : {&packets_, &sources_listing_, &destinations_listing_, &echo_listing_,
                           &unreachable_listing_, &details_listing_, &traceroute_listing_}) {
    l->Report(summary);
  }
  out_->set_icmp_packets_found(found_);
  out_->set_icmp_packets_analyzed(found_);
  if (found_ == 0) {
    out_->set_note("No ICMP or ICMPv6 packets were found.");
  }
}

}  // namespace

absl::StatusOr<v1::AnalyzeIcmpPacketsResponse> AnalyzeIcmpPackets(
    const AnalysisInput& input, const v1::AnalyzeIcmpPacketsRequest& /*request*/) {
  ASSIGN_OR_RETURN(std::unique_ptr<DecodedScan> scan, DecodedScan::Open(input));
  v1::AnalyzeIcmpPacketsResponse out;
  SetNow(out.mutable_analysis_timestamp());
  IcmpAnalysis analysis(*scan, input.listings, &out);
  RETURN_IF_ERROR(scan->Run([&analysis](const PacketRecord& rec, const DecodedPacket& pkt) {
    analysis.OnRecord(rec, pkt);
  }));
  analysis.defrag().Flush();
  analysis.Finish(analysis.defrag().stats());
  return out;
}

}  // namespace mcpcap
