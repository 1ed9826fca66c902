#include "backend/analysis/dns/dns.h"

#include <algorithm>
#include <array>
#include <map>
#include <memory>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "backend/analysis/common/decoded_scan.h"
#include "backend/analysis/common/listing.h"
#include "backend/analysis/common/result_parts.h"
#include "backend/analysis/dns/dns_convert.h"
#include "backend/analysis/dns/dns_pairing.h"
#include "backend/analysis/dns/dns_security.h"
#include "backend/analysis/dns/dns_stats.h"
#include "backend/base/status_macros.h"
#include "backend/dissect/dns.h"
#include "backend/dissect/dns_tcp_framer.h"
#include "backend/flow/capture_time.h"
#include "backend/flow/flow_key.h"
#include "backend/flow/ip_reassembler.h"
#include "backend/flow/tcp_streams.h"

namespace mcpcap {
namespace {

constexpr uint16_t kDnsPort = 53;
constexpr uint16_t kMdnsPort = 5353;
constexpr uint16_t kLlmnrPort = 5355;
constexpr uint8_t kProtoTcp = 6;
constexpr uint8_t kProtoUdp = 17;
// DNS-over-TCP connections followed at once; the least recently active is flushed beyond it.
constexpr size_t kMaxTcpFlows = 4096;

bool IsMulticast(const IpAddress& a) {
  return (a.version() == 4 && (a.bytes()[0] & 0xf0) == 0xe0) ||
         (a.version() == 6 && a.bytes()[0] == 0xff);
}

// Which DNS a port pair carries, if any port is assigned to one.
bool VariantOfPorts(uint16_t a, uint16_t b, DnsVariant* v) {
  if (a == kMdnsPort || b == kMdnsPort) {
    *v = DnsVariant::kMdns;
  } else if (a == kLlmnrPort || b == kLlmnrPort) {
    *v = DnsVariant::kLlmnr;
  } else if (a == kDnsPort || b == kDnsPort) {
    *v = DnsVariant::kDns;
  } else {
    return false;
  }
  return true;
}

// Ports whose traffic uses DNS's wire format for something else (NetBIOS name service) or is
// too common to guess at; DNS is never sought there by content.
bool SkipHeuristic(uint16_t a, uint16_t b) {
  for (uint16_t p : {a, b}) {
    if (p == 0 || p == 137 || p == 138 || p == 67 || p == 68 || p == 123 || p == 5060) {
      return true;
    }
  }
  return false;
}

// A cheap look at the header before a full parse of a UDP payload on an unassigned port.
bool PlausibleHeader(Bytes p) {
  if (p.size() < kDnsHeaderSize + 5) return false;
  const uint16_t flags = LoadU16Be(&p[2]);
  const uint16_t qd = LoadU16Be(&p[4]);
  if ((flags & 0x7840) != 0 || qd == 0 || qd > 4) return false;  // opcode QUERY, Z clear
  for (size_t i = 6; i < 12; i += 2) {
    if (LoadU16Be(&p[i]) > 64) return false;
  }
  return p[12] >= 1 && p[12] <= 63;
}

// Where one message came from.
struct Origin {
  uint64_t frame = 0;
  CaptureNanos time = 0;
  IpAddress src, dst;
  uint16_t src_port = 0, dst_port = 0;
  uint8_t transport = kProtoUdp;
  DnsVariant variant = DnsVariant::kDns;
  bool non_standard_port = false;
};

class DnsAnalyzer;

// One direction of a DNS-over-TCP connection: reassembled bytes in, framed messages out.
class DnsTcpSink : public TcpStreamSink {
 public:
  void Init(DnsAnalyzer* analyzer, const Origin& origin) {
    analyzer_ = analyzer;
    origin_ = origin;
  }
  void OnData(Bytes data, uint64_t frame_number, CaptureNanos time) override;
  void OnGap(uint64_t missing_bytes) override;
  void OnEnd(TcpStreamEnd reason) override;

 private:
  DnsAnalyzer* analyzer_ = nullptr;
  Origin origin_;
  DnsTcpFramer framer_;
  bool lost_ = false;  // after a gap or a bad length the framing cannot be trusted again
};

class DnsAnalyzer {
 public:
  DnsAnalyzer(const AnalysisInput& input, const DecodedScan& scan,
              v1::AnalyzeDnsPacketsResponse* response)
      : input_(input),
        scan_(scan),
        response_(response),
        packets_("packets", input.listings),
        unanswered_("unanswered_queries", input.listings),
        tcp_streams_(kMaxTcpFlows, /*follow=*/nullptr,
                     [this](const DirectedFlowKey& key, std::array<DnsTcpSink, 2>& sinks) {
                       InitTcpSinks(key, sinks);
                     }) {}

  void OnPacket(const PacketRecord& record, const DecodedPacket& decoded);
  void OnMessage(const Origin& origin, Bytes message);
  void CountAnomaly(const std::string& name) { ++anomalies_[name]; }
  void Finish();

 private:
  void OnUdp(const DecodedPacket& pkt, const Origin& base);
  void OnTcp(const DecodedPacket& pkt, const Origin& base);
  void InitTcpSinks(const DirectedFlowKey& key, std::array<DnsTcpSink, 2>& sinks);
  std::optional<DnsPairedQuery> Pair(const Origin& o, const DnsMessage& m, v1::DnsPacket* entry);
  // Keeps the slowest and the largest response with the packets that make them.
  void NoteExtremes(const Origin& o, const DnsMessage& m, size_t size,
                    const std::optional<DnsPairedQuery>& query);

  const AnalysisInput& input_;
  const DecodedScan& scan_;
  v1::AnalyzeDnsPacketsResponse* response_;
  Listing packets_;
  Listing unanswered_;
  DnsMessage message_;  // reused: its vectors keep their capacity
  IpReassembler defrag_;
  TcpStreams<DnsTcpSink> tcp_streams_;
  DnsPairing pairing_;
  DnsStatsTally stats_;
  DnsSecurityTally security_;
  std::map<std::string, uint64_t> anomalies_;
  // (frame, id) -> index in packets, for the pairing link (a TCP segment can carry several).
  std::map<std::pair<uint64_t, uint16_t>, int> listed_queries_;
  uint64_t found_ = 0;  // messages, including those too short to have a header
  // The extremes: the first response that reached each maximum.
  v1::DnsExchange slowest_, largest_;
  CaptureNanos slowest_ns_ = -1;
  int64_t largest_size_ = -1;
};

void DnsTcpSink::OnData(Bytes data, uint64_t frame_number, CaptureNanos time) {
  if (lost_) return;
  Origin o = origin_;
  o.frame = frame_number;
  o.time = time;
  Bytes message;
  for (;;) {
    const DnsFrameStatus s = framer_.Next(&data, &message);
    if (s == DnsFrameStatus::kMessage) {
      analyzer_->OnMessage(o, message);
      continue;
    }
    if (s == DnsFrameStatus::kBad) {
      analyzer_->CountAnomaly("dns_tcp_bad_length");
      lost_ = true;
    }
    return;
  }
}

void DnsTcpSink::OnGap(uint64_t) {
  if (!lost_) analyzer_->CountAnomaly("dns_tcp_gap");
  lost_ = true;
}

void DnsTcpSink::OnEnd(TcpStreamEnd) {
  if (!lost_ && framer_.pending() > 0) analyzer_->CountAnomaly("dns_tcp_incomplete_message");
}

void DnsAnalyzer::OnPacket(const PacketRecord& record, const DecodedPacket& decoded) {
  Origin base;
  base.frame = record.frame_number;
  base.time = ToCaptureNanos(record.ts_sec, record.ts_nsec);
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

void DnsAnalyzer::OnUdp(const DecodedPacket& pkt, const Origin& base) {
  Origin o = base;
  o.transport = kProtoUdp;
  if (VariantOfPorts(pkt.src_port, pkt.dst_port, &o.variant)) {
    OnMessage(o, pkt.payload);
    return;
  }
  if (SkipHeuristic(pkt.src_port, pkt.dst_port) || !PlausibleHeader(pkt.payload)) return;
  if (!ParseDnsMessage(pkt.payload, DnsVariant::kDns, &message_) || !LooksLikeDns(message_)) {
    return;
  }
  o.non_standard_port = true;
  OnMessage(o, pkt.payload);
}

void DnsAnalyzer::OnTcp(const DecodedPacket& pkt, const Origin& base) {
  DnsVariant variant;
  // mDNS has no TCP transport; LLMNR and DNS do.
  if (!VariantOfPorts(pkt.src_port, pkt.dst_port, &variant) || variant == DnsVariant::kMdns) {
    return;
  }
  tcp_streams_.OnSegment(pkt, base.frame, base.time);
}

void DnsAnalyzer::InitTcpSinks(const DirectedFlowKey& key, std::array<DnsTcpSink, 2>& sinks) {
  for (size_t d = 0; d < 2; ++d) {
    Origin o;
    o.transport = kProtoTcp;
    VariantOfPorts(key.key.port_a, key.key.port_b, &o.variant);
    o.src = d == 0 ? key.key.a : key.key.b;
    o.dst = d == 0 ? key.key.b : key.key.a;
    o.src_port = d == 0 ? key.key.port_a : key.key.port_b;
    o.dst_port = d == 0 ? key.key.port_b : key.key.port_a;
    sinks[d].Init(this, o);
  }
}

v1::DnsVariant ToProtoVariant(DnsVariant v) {
  switch (v) {
    case DnsVariant::kDns:
      return v1::DNS_VARIANT_DNS;
    case DnsVariant::kMdns:
      return v1::DNS_VARIANT_MDNS;
    case DnsVariant::kLlmnr:
      return v1::DNS_VARIANT_LLMNR;
  }
  return v1::DNS_VARIANT_UNSPECIFIED;
}

void DnsAnalyzer::OnMessage(const Origin& o, Bytes bytes) {
  DnsMessage& m = message_;
  const bool has_header = ParseDnsMessage(bytes, o.variant, &m);
  ++found_;
  const bool response = m.is_response();
  v1::DnsPacket* entry = nullptr;
  if (packets_.Admit()) {
    entry = response_->add_packets();
    entry->set_packet_number(o.frame);
    SetTimestampNanos(o.time, entry->mutable_timestamp());
    FillEndpoint(o.src, o.src_port, entry->mutable_source());
    FillEndpoint(o.dst, o.dst_port, entry->mutable_destination());
    entry->set_protocol(TransportOf(o.transport));
    entry->set_variant(ToProtoVariant(o.variant));
    entry->set_non_standard_port(o.non_standard_port);
    FillDnsMessage(m, entry);
    if (!response && has_header) listed_queries_[{o.frame, m.id}] = response_->packets_size() - 1;
  }

  if (!m.anomalies.empty()) ++stats_.malformed;
  m.anomalies.ForEach([&](DnsAnomaly a) { ++anomalies_[std::string(DnsAnomalyName(a))]; });
  // Without a header there is no telling a query from a response: counted as malformed only.
  if (!has_header) return;

  // Statistics.
  DnsStatsTally::VariantTally& per_variant = stats_.Variant(o.variant);
  (response ? stats_.responses : stats_.queries) += 1;
  (response ? per_variant.responses : per_variant.queries) += 1;
  ++stats_.transports[o.transport == kProtoTcp ? "tcp" : "udp"];
  ++stats_.opcodes[DnsOpcodeName(m.opcode())];
  ++stats_.variants[DnsVariantName(o.variant)];
  if (response && m.truncated()) ++stats_.truncated_responses;
  // The client is the end that asks: the sender of a query, the receiver of a response (an mDNS
  // response to the group has no one client). Only query senders are counted as clients.
  const std::string client = (response ? o.dst : o.src).ToString();
  const std::string server = (response ? o.src : o.dst).ToString();
  if (!response) stats_.AddClient(client, o.variant);
  if (!IsMulticast(response ? o.src : o.dst)) stats_.AddServer(server);
  const std::string qname =
      m.questions.empty() ? std::string() : absl::AsciiStrToLower(m.questions[0].name);
  for (const DnsQuestionEntry& q : m.questions) {
    const std::string name = absl::AsciiStrToLower(q.name);
    stats_.AddDomain(name);
    if (!response) {
      ++stats_.query_types[DnsTypeName(q.type)];
      ++per_variant.query_types[DnsTypeName(q.type)];
      stats_.AddQueriedName(name);
      security_.OnQuery(o.frame, o.time, client, name, q.type, o.variant);
    }
  }
  if (response) {
    ++stats_.response_codes[DnsRcodeName(m.rcode())];
    if (m.rcode() == 3 && !qname.empty()) stats_.AddNxdomainName(qname);
    if (o.variant == DnsVariant::kDns) {
      security_.OnResponse(o.frame, o.time, client, qname, m.rcode());
    }
  }
  if (o.non_standard_port) {
    security_.OnNonStandardPort(o.frame, o.time, response ? o.src_port : o.dst_port);
  }
  // mDNS answers go to the group, often unasked (announcements): there is nothing to pair.
  std::optional<DnsPairedQuery> query;
  if (o.variant != DnsVariant::kMdns) query = Pair(o, m, entry);
  if (response) NoteExtremes(o, m, bytes.size(), query);
}

void DnsAnalyzer::NoteExtremes(const Origin& o, const DnsMessage& m, size_t size,
                               const std::optional<DnsPairedQuery>& query) {
  const CaptureNanos rtt = query ? std::max<CaptureNanos>(0, o.time - query->time_ns) : -1;
  const bool slowest = query && rtt > slowest_ns_;
  const bool largest = static_cast<int64_t>(size) > largest_size_;
  if (!slowest && !largest) return;
  v1::DnsExchange e;
  if (query) {
    FillPacketRef(query->frame, query->time_ns, e.mutable_query());
    SetDurationNanos(rtt, e.mutable_response_time());
  }
  FillPacketRef(o.frame, o.time, e.mutable_response());
  if (!m.questions.empty()) {
    e.set_name(m.questions[0].name);
    e.set_type_name(DnsTypeName(m.questions[0].type));
  }
  FillEndpoint(o.dst, o.dst_port, e.mutable_client());
  FillEndpoint(o.src, o.src_port, e.mutable_server());
  e.set_response_size(static_cast<uint32_t>(size));
  e.set_variant(ToProtoVariant(o.variant));
  e.set_rcode_name(DnsRcodeName(m.rcode()));
  if (slowest) {
    slowest_ns_ = rtt;
    slowest_ = e;
  }
  if (largest) {
    largest_size_ = static_cast<int64_t>(size);
    largest_ = std::move(e);
  }
}

std::optional<DnsPairedQuery> DnsAnalyzer::Pair(const Origin& o, const DnsMessage& m,
                                                v1::DnsPacket* entry) {
  const bool response = m.is_response();
  DnsPairKey key;
  key.client = (response ? o.dst : o.src).ToString();
  key.client_port = response ? o.dst_port : o.src_port;
  const IpAddress& server = response ? o.src : o.dst;
  if (response || !IsMulticast(server)) key.server = server.ToString();
  key.transport = o.transport;
  key.id = m.id;
  // An inverse query asks with an answer and no question; its response brings the names it
  // found as questions (RFC 1035 6.4.2): the question cannot tie the two.
  if (!m.questions.empty() && m.opcode() != kDnsOpcodeInverseQuery) {
    key.qname = absl::AsciiStrToLower(m.questions[0].name);
    key.qtype = m.questions[0].type;
  }
  if (!response) {
    if (pairing_.OnQuery(key, o.frame, o.time, static_cast<uint8_t>(o.variant))) {
      ++stats_.retransmitted;
    }
    return std::nullopt;
  }
  const std::optional<DnsPairedQuery> query = pairing_.OnResponse(key);
  if (!query) {
    ++stats_.responses_without_query;
    ++stats_.Variant(o.variant).without_query;
    return std::nullopt;
  }
  ++stats_.answered;
  ++stats_.Variant(static_cast<DnsVariant>(query->variant)).answered;
  const double ms = static_cast<double>(std::max<CaptureNanos>(0, o.time - query->time_ns)) / 1e6;
  stats_.AddLatency(ms, static_cast<DnsVariant>(query->variant));
  if (entry != nullptr) {
    FillPacketRef(query->frame, query->time_ns, entry->mutable_paired_packet());
    SetDurationNanos(std::max<CaptureNanos>(0, o.time - query->time_ns),
                     entry->mutable_response_time());
  }
  auto it = listed_queries_.find({query->frame, m.id});
  if (it != listed_queries_.end()) {
    FillPacketRef(o.frame, o.time, response_->mutable_packets(it->second)->mutable_paired_packet());
    listed_queries_.erase(it);
  }
  return query;
}

void DnsAnalyzer::Finish() {
  tcp_streams_.Finish();  // flushes the streams: messages completed only now are counted too
  defrag_.Flush();
  // TCP messages are reported at the frame that completed them, which can be out of file order
  // when a segment arrived late; the listing is in frame order.
  auto* packets = response_->mutable_packets();
  std::stable_sort(packets->begin(), packets->end(),
                   [](const v1::DnsPacket& a, const v1::DnsPacket& b) {
                     return a.packet_number() < b.packet_number();
                   });
  for (const DnsPairedQuery& q : pairing_.Unanswered()) {
    ++stats_.unanswered;
    ++stats_.Variant(static_cast<DnsVariant>(q.variant)).unanswered;
    if (!unanswered_.Admit()) continue;
    FillPacketRef(q.frame, q.time_ns, response_->add_unanswered_queries());
  }

  v1::CaptureSummary* summary = response_->mutable_capture();
  scan_.FillSummary(summary);
  for (const auto& [name, count] : anomalies_) (*summary->mutable_anomalies())[name] += count;
  packets_.Report(summary);
  unanswered_.Report(summary);
  stats_.Fill(input_.listings, response_->mutable_statistics(), summary);
  if (slowest_ns_ >= 0) *response_->mutable_statistics()->mutable_slowest_response() = slowest_;
  if (largest_size_ >= 0) *response_->mutable_statistics()->mutable_largest_response() = largest_;
  if (stats_.names_capped()) {
    summary->add_warnings(absl::StrCat("more than ", DnsStatsTally::kMaxNames,
                                       " distinct names: name statistics cover the first ones"));
  }
  for (v1::Finding& f : security_.Findings()) *response_->add_findings() = std::move(f);

  const uint64_t found = found_;
  SetNow(response_->mutable_analysis_timestamp());
  response_->set_dns_packets_found(found);
  response_->set_dns_packets_analyzed(found);
  std::vector<std::string> notes;
  if (found == 0) notes.push_back("No DNS packets found in this capture");
  if (summary->packet_limit_reached()) {
    notes.push_back(absl::StrCat("reading stopped after ", scan_.scan().packets_read(),
                                 " packets (max_packets)"));
  }
  response_->set_note(absl::StrJoin(notes, "; "));
}

}  // namespace

absl::StatusOr<v1::AnalyzeDnsPacketsResponse> AnalyzeDnsPackets(
    const AnalysisInput& input, const v1::AnalyzeDnsPacketsRequest& request) {
  (void)request;  // its options arrive through `input`
  ASSIGN_OR_RETURN(std::unique_ptr<DecodedScan> scan, DecodedScan::Open(input));
  v1::AnalyzeDnsPacketsResponse response;
  DnsAnalyzer analyzer(input, *scan, &response);
  RETURN_IF_ERROR(scan->Run([&](const PacketRecord& record, const DecodedPacket& packet) {
    analyzer.OnPacket(record, packet);
  }));
  analyzer.Finish();
  return response;
}

}  // namespace mcpcap
