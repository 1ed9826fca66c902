#include "backend/analysis/traffic/protocol_hierarchy.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "backend/analysis/common/frame_scan.h"
#include "backend/analysis/common/listing.h"
#include "backend/analysis/common/protocol_stack.h"
#include "backend/analysis/traffic/protocol_tree.h"
#include "backend/base/status_macros.h"

namespace mcpcap {

absl::StatusOr<v1::GetProtocolHierarchyResponse> GetProtocolHierarchy(
    const AnalysisInput& input, const v1::GetProtocolHierarchyRequest& request) {
  (void)request;
  ASSIGN_OR_RETURN(std::unique_ptr<FrameScan> scan, FrameScan::Open(input));
  ProtocolTree tree;
  ProtocolContext context;
  uint64_t frames = 0;
  uint64_t bytes = 0;
  RETURN_IF_ERROR(scan->Run([&](const Frame& frame) {
    // Every frame feeds the context (TCP state), matched or not.
    const ProtocolStack stack = DescribeProtocols(frame, &context);
    if (!frame.matched) return true;
    ++frames;
    bytes += frame.record.origlen;
    ProtocolStack phs = PhsProtocols(stack);
    // An ICMP header cut short is named in frame.protocols but io,phs counts the frame at
    // its network layer (under a "_ws.short" node we do not list).
    const DecodedPacket& p = frame.outer;
    if (&frame.packet == &frame.outer && p.l4_kind == L4Kind::kNone && !p.ip.is_fragment &&
        !p.ip.payload.empty() && phs.size > 0 && (p.ip.protocol == 1 || p.ip.protocol == 58)) {
      --phs.size;
    }
    // A frame cut inside its Ethernet header: io,phs counts it as "_ws.short" alone.
    if (p.link_kind == LinkKind::kEthernet && frame.record.data.size() < 14) {
      phs = ProtocolStack();
      phs.Push("_ws.short");
    }
    tree.Add(phs, frame.record.origlen);
    return true;
  }));

  v1::GetProtocolHierarchyResponse response;
  Listing protocols("protocols", input.listings);
  tree.VisitPreOrder([&](const ProtocolTree::Node& node) {
    if (!protocols.Admit()) return;
    v1::ProtocolNode* out = response.add_protocols();
    out->set_path(node.path);
    out->set_protocol(std::string(node.protocol));
    out->set_depth(node.depth);
    out->set_frames(node.frames);
    out->set_bytes(node.bytes);
  });
  response.set_total_frames(frames);
  response.set_total_bytes(bytes);
  scan->FillSummary(response.mutable_capture());
  if (tree.dropped_paths() > 0) {
    response.mutable_capture()->add_warnings(absl::StrCat(
        "protocol tree full at ", kMaxProtocolTreeNodes, " nodes: ", tree.dropped_paths(),
        " frames counted only at their known prefix"));
  }
  protocols.Report(response.mutable_capture());
  return response;
}

}  // namespace mcpcap
