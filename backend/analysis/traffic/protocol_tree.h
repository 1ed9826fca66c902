// The tree of tshark's -z io,phs: every frame's protocols (as io,phs lists them) counted at each
// prefix, nodes in pre-order, children in order of first appearance (as tshark orders them).
#ifndef MCPCAP_BACKEND_ANALYSIS_TRAFFIC_PROTOCOL_TREE_H_
#define MCPCAP_BACKEND_ANALYSIS_TRAFFIC_PROTOCOL_TREE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "backend/analysis/common/protocol_stack.h"

namespace mcpcap {

// Distinct protocol paths kept, at most: names come from a fixed set and stacks are bounded,
// but a hostile capture could still combine them widely.
inline constexpr size_t kMaxProtocolTreeNodes = 4096;

// The protocols io,phs counts for a frame whose frame.protocols is `stack`: io,phs walks the
// top-level protocols of the dissection tree, so "ethertype", "nflog", the IPv6 extension
// headers and what an ICMP error quotes are not separate nodes.
ProtocolStack PhsProtocols(const ProtocolStack& stack);

class ProtocolTree {
 public:
  struct Node {
    std::string path;  // ':'-joined names from the root
    absl::string_view protocol;
    uint32_t depth = 0;
    uint64_t frames = 0;
    uint64_t bytes = 0;
    std::vector<size_t> children;  // indexes into nodes(), in order of first appearance
  };

  // Counts one frame of `bytes` bytes with the protocols `phs`.
  void Add(const ProtocolStack& phs, uint64_t bytes);

  // Calls visit(const Node&) in pre-order.
  template <typename Visit>
  void VisitPreOrder(Visit&& visit) const {
    std::vector<size_t> pending(roots_.rbegin(), roots_.rend());
    while (!pending.empty()) {
      const Node& node = nodes_[pending.back()];
      pending.pop_back();
      visit(node);
      pending.insert(pending.end(), node.children.rbegin(), node.children.rend());
    }
  }

  size_t size() const { return nodes_.size(); }
  // Paths not counted because the tree was full.
  uint64_t dropped_paths() const { return dropped_paths_; }

 private:
  // The child of `parent` (npos: a root) named `name`, made when absent; npos when full.
  size_t Child(size_t parent, absl::string_view name);

  std::vector<Node> nodes_;
  std::vector<size_t> roots_;
  uint64_t dropped_paths_ = 0;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_TRAFFIC_PROTOCOL_TREE_H_
