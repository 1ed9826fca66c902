#include "backend/analysis/traffic/protocol_tree.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace mcpcap {
namespace {

constexpr size_t kNone = static_cast<size_t>(-1);

}  // namespace

ProtocolStack PhsProtocols(const ProtocolStack& stack) {
  ProtocolStack phs;
  for (size_t i = 0; i < stack.size; ++i) {
    const absl::string_view name = stack.names[i];
    if (name == "ethertype" || name == "nflog" || absl::StartsWith(name, "ipv6.")) continue;
    phs.Push(name);
    // An ICMP error's quoted packet is part of the ICMP tree, not a protocol after it.
    const bool icmp = name == "icmp" || name == "icmpv6";
    if (icmp && i + 1 < stack.size &&
        (stack.names[i + 1] == "ip" || stack.names[i + 1] == "ipv6")) {
      break;
    }
  }
  return phs;
}

size_t ProtocolTree::Child(size_t parent, absl::string_view name) {
  const std::vector<size_t>& siblings = parent == kNone ? roots_ : nodes_[parent].children;
  for (size_t index : siblings) {
    if (nodes_[index].protocol == name) return index;
  }
  if (nodes_.size() >= kMaxProtocolTreeNodes) return kNone;
  Node node;
  node.protocol = name;
  node.depth = parent == kNone ? 0 : nodes_[parent].depth + 1;
  node.path = parent == kNone ? std::string(name) : absl::StrCat(nodes_[parent].path, ":", name);
  nodes_.push_back(std::move(node));
  const size_t index = nodes_.size() - 1;
  (parent == kNone ? roots_ : nodes_[parent].children).push_back(index);
  return index;
}

void ProtocolTree::Add(const ProtocolStack& phs, uint64_t bytes) {
  size_t parent = kNone;
  for (size_t i = 0; i < phs.size; ++i) {
    const size_t node = Child(parent, phs.names[i]);
    if (node == kNone) {
      ++dropped_paths_;
      return;
    }
    nodes_[node].frames += 1;
    nodes_[node].bytes += bytes;
    parent = node;
  }
}

}  // namespace mcpcap
