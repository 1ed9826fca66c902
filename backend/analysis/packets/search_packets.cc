#include "backend/analysis/packets/search_packets.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <string>

#include "absl/strings/str_format.h"
#include "backend/analysis/common/frame_scan.h"
#include "backend/analysis/common/listing.h"
#include "backend/analysis/common/protocol_stack.h"
#include "backend/analysis/common/result_parts.h"
#include "backend/analysis/packets/packet_line.h"
#include "backend/analysis/packets/search_pattern.h"
#include "backend/base/status_macros.h"

namespace mcpcap {
namespace {

// Context shown either side of a match, and the most of a long (regex) match shown.
constexpr size_t kSnippetContext = 32;
constexpr size_t kSnippetMatchBytes = 64;

// Printable ASCII as is; other bytes escaped so the text is valid UTF-8 and one line.
std::string EscapeBytes(Bytes bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) {
    switch (b) {
      case '\r':
        out += "\\r";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\\':
        out += "\\\\";
        break;
      default:
        if (b >= 0x20 && b < 0x7f) {
          out += static_cast<char>(b);
        } else {
          absl::StrAppendFormat(&out, "\\x%02x", b);
        }
    }
  }
  return out;
}

std::string Snippet(Bytes frame, const SearchHit& hit) {
  const size_t begin = hit.offset - std::min(hit.offset, kSnippetContext);
  const size_t match_end = hit.offset + std::min(hit.length, kSnippetMatchBytes);
  const size_t end = std::min(frame.size(), match_end + kSnippetContext);
  return EscapeBytes(frame.subspan(begin, end - begin));
}

}  // namespace

absl::StatusOr<v1::SearchPacketsResponse> SearchPackets(const AnalysisInput& input,
                                                        const v1::SearchPacketsRequest& request) {
  const std::optional<bool> case_insensitive = request.has_case_insensitive()
                                                   ? std::optional<bool>(request.case_insensitive())
                                                   : std::nullopt;
  ASSIGN_OR_RETURN(SearchPattern pattern,
                   SearchPattern::Compile(request.pattern(), request.kind(), case_insensitive));
  ASSIGN_OR_RETURN(std::unique_ptr<FrameScan> scan, FrameScan::Open(input));
  v1::SearchPacketsResponse response;
  Listing matches("matches", input.listings);
  ProtocolContext protocols;  // fed every frame: tshark names TCP payloads from what came before
  RETURN_IF_ERROR(scan->Run([&](const Frame& frame) {
    const ProtocolStack stack = DescribeProtocols(frame, &protocols);
    if (!frame.matched) return true;
    // As tshark's frame contains / matches: over every captured byte of the frame.
    const std::optional<SearchHit> hit = pattern.Find(frame.record.data);
    if (!hit || !matches.Admit()) return true;
    v1::SearchMatch* m = response.add_matches();
    FillPacketRef(frame.record.frame_number, frame.time, m->mutable_packet());
    if (frame.stream_index) m->set_stream_index(*frame.stream_index);
    m->set_protocol(ProtocolColumn(frame, stack));
    PacketAddresses a = AddressesOf(frame);
    m->set_source(std::move(a.source));
    m->set_destination(std::move(a.destination));
    if (a.source_port) m->set_source_port(*a.source_port);
    if (a.destination_port) m->set_destination_port(*a.destination_port);
    m->set_offset(static_cast<uint32_t>(hit->offset));
    m->set_snippet(Snippet(frame.record.data, *hit));
    return true;
  }));
  response.set_packets_matched(matches.total());
  scan->FillSummary(response.mutable_capture());
  matches.Report(response.mutable_capture());
  return response;
}

}  // namespace mcpcap
