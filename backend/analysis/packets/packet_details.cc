#include "backend/analysis/packets/packet_details.h"

#include <algorithm>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "backend/analysis/common/frame_scan.h"
#include "backend/analysis/common/protocol_stack.h"
#include "backend/analysis/common/result_parts.h"
#include "backend/analysis/packets/packet_layers.h"
#include "backend/base/status_macros.h"
#include "backend/flow/community_id.h"

namespace mcpcap {
namespace {

constexpr size_t kMaxHexDumpBytes = 2048;
constexpr size_t kHexDumpLine = 16;

// tshark -x: offset, 16 bytes in hex, the same bytes as ASCII ('.' when not printable).
std::string HexDump(Bytes bytes) {
  std::string out;
  for (size_t line = 0; line < bytes.size(); line += kHexDumpLine) {
    const size_t n = std::min(kHexDumpLine, bytes.size() - line);
    absl::StrAppendFormat(&out, "%04x  ", line);
    for (size_t i = 0; i < kHexDumpLine; ++i) {
      if (i < n) {
        absl::StrAppendFormat(&out, "%02x ", bytes[line + i]);
      } else {
        out += "   ";
      }
    }
    out += "  ";
    for (size_t i = 0; i < n; ++i) {
      const uint8_t c = bytes[line + i];
      out.push_back(c >= 0x20 && c < 0x7f ? static_cast<char>(c) : '.');
    }
    out += "\n";
  }
  return out;
}

// Community ID of the packet's flow, as tshark's communityid post-dissector computes it on the
// outermost IP header; empty for non-IP frames, fragments and other transports.
std::string FlowCommunityId(const DecodedPacket& p) {
  if ((p.l3_kind != L3Kind::kIpv4 && p.l3_kind != L3Kind::kIpv6) || p.ip.is_fragment) return "";
  CommunityIdTuple tuple{p.ip.src, p.ip.dst, p.ip.protocol, p.src_port, p.dst_port};
  const bool icmp = p.l4_kind == L4Kind::kIcmp || p.l4_kind == L4Kind::kIcmpv6;
  if (icmp) {
    tuple.src_port = p.icmp.type;
    tuple.dst_port = p.icmp.code;
    tuple.has_ports = !p.icmp.header_truncated;
  }
  if (p.l4_kind != L4Kind::kTcp && p.l4_kind != L4Kind::kUdp && !icmp) return "";
  return CommunityId(tuple);
}

void AddAnomalies(const Frame& frame, v1::GetPacketDetailsResponse* out) {
  AnomalySet all = frame.outer.anomalies;
  frame.packet.anomalies.ForEach([&](Anomaly a) { all.Add(a); });
  all.ForEach([&](Anomaly a) { out->add_anomalies(std::string(AnomalyName(a))); });
}

}  // namespace

void DescribePacket(const Frame& frame, const ProtocolStack& protocols, bool include_bytes,
                    v1::GetPacketDetailsResponse* out) {
  FillPacketRef(frame.record.frame_number, frame.time, out->mutable_packet());
  out->set_length(frame.record.origlen);
  out->set_captured_length(frame.record.caplen);
  out->set_interface_index(frame.record.interface_id);
  out->set_protocols(protocols.Joined());
  if (frame.stream_index) out->set_stream_index(*frame.stream_index);
  out->set_community_id(FlowCommunityId(frame.outer));
  AddAnomalies(frame, out);
  AddPacketLayers(frame, out);
  if (include_bytes) {
    const Bytes bytes = frame.record.data;
    out->set_hex_dump(HexDump(bytes.first(std::min(bytes.size(), kMaxHexDumpBytes))));
    out->set_bytes_omitted(bytes.size() - std::min(bytes.size(), kMaxHexDumpBytes));
  }
}

absl::StatusOr<v1::GetPacketDetailsResponse> GetPacketDetails(
    const AnalysisInput& input, const v1::GetPacketDetailsRequest& request) {
  const uint64_t wanted = request.packet_number();
  if (wanted == 0) {
    return absl::InvalidArgumentError("packet_number is 1-based (frame.number): 1 or more");
  }
  ASSIGN_OR_RETURN(std::unique_ptr<FrameScan> scan, FrameScan::Open(input));
  v1::GetPacketDetailsResponse response;
  uint64_t frames = 0;
  bool found = false;
  bool filtered_out = false;
  ProtocolContext protocols;
  // Frames before the one asked for are read too: stream numbers, reassembly and the naming of
  // TCP payloads (retransmissions, PDUs over several segments) need them.
  RETURN_IF_ERROR(scan->Run([&](const Frame& frame) {
    frames = frame.record.frame_number;
    const ProtocolStack stack = DescribeProtocols(frame, &protocols);
    if (frame.record.frame_number < wanted) return true;
    if (frame.record.frame_number == wanted) {
      found = frame.matched;
      filtered_out = !frame.matched;
      if (found) DescribePacket(frame, stack, request.include_bytes(), &response);
    }
    return false;
  }));
  if (filtered_out) {
    return absl::NotFoundError(absl::StrCat("packet ", wanted, " does not pass the bpf_filter \"",
                                            input.bpf_filter, "\""));
  }
  if (!found) {
    std::string limit;
    if (input.max_packets != 0 && frames >= input.max_packets) {
      limit = absl::StrCat(" (max_packets reads only the first ", input.max_packets, ")");
    }
    return absl::NotFoundError(absl::StrCat("packet ", wanted, " is not in the capture: it has ",
                                            frames, " packet", frames == 1 ? "" : "s", limit));
  }
  scan->FillSummary(response.mutable_capture());
  return response;
}

}  // namespace mcpcap
