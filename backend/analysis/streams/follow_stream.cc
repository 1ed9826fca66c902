#include "backend/analysis/streams/follow_stream.h"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "backend/analysis/common/frame_scan.h"
#include "backend/analysis/common/result_parts.h"
#include "backend/analysis/streams/payload_text.h"
#include "backend/analysis/streams/stream_page.h"
#include "backend/analysis/streams/tcp_follow.h"
#include "backend/base/status_macros.h"
#include "backend/flow/community_id.h"

namespace mcpcap {
namespace {

constexpr uint32_t kDefaultMaxBytes = 4096;
constexpr uint32_t kMostMaxBytes = 65536;
// JSON characters of chunks a page may hold at least (the default answer stays under 40,000);
// a larger max_bytes raises it to two characters a byte (hex).
constexpr size_t kPageChars = 30000;

struct EndpointMatch {
  IpAddress ip;
  std::optional<uint16_t> port;  // any port when absent
  bool Matches(const IpAddress& a, uint16_t p) const { return a == ip && (!port || *port == p); }
};

absl::StatusOr<EndpointMatch> ParseEndpoint(const v1::Endpoint& e, const char* name) {
  EndpointMatch out;
  if (!IpAddress::Parse(e.ip(), &out.ip)) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, ".ip \"", e.ip(), "\" is not an IPv4 or IPv6 address"));
  }
  if (e.has_port()) {
    if (e.port() > 65535) {
      return absl::InvalidArgumentError(absl::StrCat(name, ".port ", e.port(), " is over 65535"));
    }
    out.port = static_cast<uint16_t>(e.port());
  }
  return out;
}

// Payload length on the wire: from the IP length, but no more than the frame held on the wire
// when the IP header claims more (Wireshark clamps it so), and what was captured when the IP
// length is unusable (IPv4 length 0 from segmentation offload).
uint32_t ReportedPayload(const DecodedPacket& p, const PacketRecord& record) {
  const uint32_t headers = uint32_t{p.ip.header_length} + p.tcp.header_length;
  const uint32_t captured = static_cast<uint32_t>(p.payload.size());
  if (p.ip.total_length < headers) return captured;
  uint32_t reported = std::max(captured, p.ip.total_length - headers);
  // Only when the payload lies in the frame (not in a reassembled datagram).
  const uintptr_t frame = reinterpret_cast<uintptr_t>(record.data.data());
  const uintptr_t at = reinterpret_cast<uintptr_t>(p.payload.data());
  if (at != 0 && at >= frame && at <= frame + record.data.size()) {
    const uint64_t before = at - frame;
    const uint64_t on_wire = record.origlen > before ? record.origlen - before : 0;
    reported =
        static_cast<uint32_t>(std::min<uint64_t>(reported, std::max<uint64_t>(on_wire, captured)));
  }
  return reported;
}

struct Node {
  IpAddress ip;
  uint16_t port = 0;
};

// The followed stream as the scan finds it: who sent its first packet (tshark's node 0), who
// opened it, its packets, and its payload through the follower into the page.
class Follower {
 public:
  Follower(bool tcp, StreamPage* page) : tcp_(tcp), page_(page), tcp_follow_(page) {}

  void OnPacket(const DecodedPacket& p, const PacketRecord& record, CaptureNanos time) {
    const uint64_t frame = record.frame_number;
    if (!seen_) {
      seen_ = true;
      nodes_[0] = {p.ip.src, p.src_port};
      nodes_[1] = {p.ip.dst, p.dst_port};
      tuple_ = {p.ip.src, p.ip.dst, tcp_ ? uint8_t{6} : uint8_t{17}, p.src_port, p.dst_port, true};
      first_frame_ = frame;
      first_time_ = time;
    }
    last_frame_ = frame;
    last_time_ = time;
    const int node = p.ip.src == nodes_[0].ip && p.src_port == nodes_[0].port ? 0 : 1;
    if (tcp_) {
      if (!client_ && (p.tcp.flags & (kTcpSyn | kTcpAck)) == kTcpSyn) client_ = node;
      FollowSegment s;
      s.node = node;
      s.seq = p.tcp.seq;
      s.ack = p.tcp.ack;
      s.flags = p.tcp.flags;
      s.seglen = ReportedPayload(p, record);
      s.payload = p.payload;
      s.frame_number = frame;
      s.time = time;
      tcp_follow_.OnSegment(s);
      return;
    }
    // UDP: every datagram is a record (tshark writes empty ones too).
    FollowTotals& t = udp_totals_[node];
    ++t.packets;
    t.bytes += p.payload.size();
    if (p.udp.length >= 8 && p.udp.length - 8u > p.payload.size()) {
      t.truncated_bytes += p.udp.length - 8u - p.payload.size();
    }
    page_->OnRecord(node, p.payload, frame, time);
  }

  void Finish() {
    if (tcp_) tcp_follow_.Finish();
  }

  bool seen() const { return seen_; }
  int client_node() const { return client_.value_or(0); }

  void Fill(v1::FollowStreamResponse* out) const {
    const int client = client_node();
    FillEndpoint(nodes_[client].ip, nodes_[client].port, out->mutable_client());
    FillEndpoint(nodes_[1 - client].ip, nodes_[1 - client].port, out->mutable_server());
    out->set_community_id(CommunityId(tuple_));
    FillTotals(totals(client), out->mutable_client_to_server());
    FillTotals(totals(1 - client), out->mutable_server_to_client());
    FillPacketRef(first_frame_, first_time_, out->mutable_first_packet());
    FillPacketRef(last_frame_, last_time_, out->mutable_last_packet());
    if (tcp_follow_.forced_gaps() > 0) {
      out->mutable_capture()->add_warnings(
          absl::StrCat("follow_stream: ", tcp_follow_.forced_gaps(),
                       " holes were skipped as gaps because too many bytes waited behind them"));
    }
  }

 private:
  const FollowTotals& totals(int node) const {
    return tcp_ ? tcp_follow_.totals(node) : udp_totals_[node];
  }
  static void FillTotals(const FollowTotals& t, v1::StreamDirectionStats* out) {
    out->set_bytes(t.bytes);
    out->set_packets(t.packets);
    out->set_gap_bytes(t.gap_bytes);
    out->set_retransmitted_bytes(t.retransmitted_bytes);
    out->set_truncated_bytes(t.truncated_bytes);
    out->set_undelivered_bytes(t.undelivered_bytes);
  }

  bool tcp_;
  StreamPage* page_;
  TcpFollow tcp_follow_;
  FollowTotals udp_totals_[2];
  bool seen_ = false;
  Node nodes_[2];
  CommunityIdTuple tuple_;
  std::optional<int> client_;
  uint64_t first_frame_ = 0, last_frame_ = 0;
  CaptureNanos first_time_ = 0, last_time_ = 0;
};

absl::Status NotFound(bool tcp, std::optional<uint64_t> index, const v1::FollowStreamRequest& r,
                      const AnalysisInput& input, const FrameScan& scan) {
  const char* name = tcp ? "tcp.stream" : "udp.stream";
  const char* proto = tcp ? "TCP" : "UDP";
  const uint64_t count = tcp ? scan.numbering().tcp_streams() : scan.numbering().udp_streams();
  const std::string streams = count == 0
                                  ? absl::StrCat("the capture has no ", proto, " stream")
                                  : absl::StrCat("the capture has ", count, " ", proto,
                                                 " streams (", name, " 0 to ", count - 1, ")");
  const std::string filtered = input.bpf_filter.empty()
                                   ? ""
                                   : absl::StrCat(" passing bpf_filter \"", input.bpf_filter, "\"");
  if (!index) {
    return absl::NotFoundError(absl::StrCat("no ", proto, " stream between ", r.endpoint_a().ip(),
                                            " and ", r.endpoint_b().ip(), filtered, ": ", streams));
  }
  if (*index >= count) {
    return absl::NotFoundError(absl::StrCat(name, " ", *index, " not found: ", streams));
  }
  return absl::NotFoundError(
      absl::StrCat(name, " ", *index, " has no packet", filtered,
                   " to follow (the outer flow of a tunnel is followed by its inner streams)"));
}

}  // namespace

absl::StatusOr<v1::FollowStreamResponse> FollowStream(const AnalysisInput& input,
                                                      const v1::FollowStreamRequest& request) {
  bool tcp = true;
  switch (request.protocol()) {
    case v1::STREAM_PROTOCOL_UNSPECIFIED:
    case v1::STREAM_PROTOCOL_TCP:
      break;
    case v1::STREAM_PROTOCOL_UDP:
      tcp = false;
      break;
    default:
      return absl::InvalidArgumentError("protocol must be tcp or udp");
  }
  v1::PayloadEncoding encoding = request.encoding();
  if (encoding == v1::PAYLOAD_ENCODING_UNSPECIFIED) encoding = v1::PAYLOAD_ENCODING_TEXT;
  if (encoding != v1::PAYLOAD_ENCODING_TEXT && encoding != v1::PAYLOAD_ENCODING_HEX &&
      encoding != v1::PAYLOAD_ENCODING_BASE64) {
    return absl::InvalidArgumentError("encoding must be text, hex or base64");
  }
  const uint32_t max_bytes = request.max_bytes() == 0 ? kDefaultMaxBytes : request.max_bytes();
  if (max_bytes > kMostMaxBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("max_bytes ", max_bytes, " is over ", kMostMaxBytes));
  }
  const bool by_endpoints = request.has_endpoint_a() || request.has_endpoint_b();
  if (request.has_stream_index() && by_endpoints) {
    return absl::InvalidArgumentError(
        "give stream_index, or endpoint_a and endpoint_b (not both ways)");
  }
  std::optional<EndpointMatch> a, b;
  if (by_endpoints) {
    if (!request.has_endpoint_a() || !request.has_endpoint_b()) {
      return absl::InvalidArgumentError("give both endpoint_a and endpoint_b");
    }
    ASSIGN_OR_RETURN(a, ParseEndpoint(request.endpoint_a(), "endpoint_a"));
    ASSIGN_OR_RETURN(b, ParseEndpoint(request.endpoint_b(), "endpoint_b"));
  }

  ASSIGN_OR_RETURN(std::unique_ptr<FrameScan> scan, FrameScan::Open(input));
  StreamPage page(request.offset(), max_bytes, std::max<size_t>(kPageChars, 2u * max_bytes),
                  encoding, /*merge=*/tcp);
  Follower follower(tcp, &page);
  // Without endpoints the stream is stream_index, the first stream (0) when none is given.
  std::optional<uint64_t> target;
  if (!by_endpoints) target = request.stream_index();
  const L4Kind wanted = tcp ? L4Kind::kTcp : L4Kind::kUdp;
  RETURN_IF_ERROR(scan->Run([&](const Frame& f) {
    if (!f.matched || f.whole == nullptr || !f.stream_index) return true;
    const DecodedPacket& p = *f.whole;
    if (p.l4_kind != wanted) return true;
    if (!target) {
      const bool between = (a->Matches(p.ip.src, p.src_port) && b->Matches(p.ip.dst, p.dst_port)) ||
                           (b->Matches(p.ip.src, p.src_port) && a->Matches(p.ip.dst, p.dst_port));
      if (!between) return true;
      target = *f.stream_index;
    }
    if (*f.stream_index == *target) follower.OnPacket(p, f.record, f.time);
    return true;
  }));
  follower.Finish();
  if (!follower.seen()) {
    return NotFound(tcp, by_endpoints ? std::nullopt : target, request, input, *scan);
  }

  v1::FollowStreamResponse response;
  scan->FillSummary(response.mutable_capture());
  response.set_protocol(tcp ? v1::STREAM_PROTOCOL_TCP : v1::STREAM_PROTOCOL_UDP);
  response.set_stream_index(*target);
  follower.Fill(&response);
  response.set_total_bytes(page.total_bytes());
  const int client = follower.client_node();
  for (const PageChunk& c : page.chunks()) {
    v1::StreamChunk* chunk = response.add_chunks();
    chunk->set_direction(c.node == client ? v1::STREAM_DIRECTION_CLIENT_TO_SERVER
                                          : v1::STREAM_DIRECTION_SERVER_TO_CLIENT);
    FillPacketRef(c.frame_number, c.time, chunk->mutable_packet());
    chunk->set_offset(c.offset);
    chunk->set_length(c.data.size());
    chunk->set_data(EncodePayload(Bytes(c.data), encoding));
    chunk->set_gap_bytes_before(c.gap_bytes_before);
  }
  if (const std::optional<uint64_t> next = page.next_offset()) response.set_next_offset(*next);
  response.set_output_limited(page.output_limited());
  return response;
}

}  // namespace mcpcap
