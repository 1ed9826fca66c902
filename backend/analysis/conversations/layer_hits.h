// Where a frame meets the layer of a conversation table, as tshark's taps count it: once per
// header of that protocol in the frame (a tunnel's outer and inner IP both count), never inside
// the packet an ICMP error quotes. An IPv4 fragment counts at the IP layer; an IPv6 fragment only
// in the frame that completes its datagram, as do TCP and UDP; a UDP header whose length field
// is under 8 does not count (tshark stops there).
#ifndef MCPCAP_BACKEND_ANALYSIS_CONVERSATIONS_LAYER_HITS_H_
#define MCPCAP_BACKEND_ANALYSIS_CONVERSATIONS_LAYER_HITS_H_

#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <utility>

#include "backend/analysis/common/frame_scan.h"
#include "backend/dissect/ip_address.h"
#include "backend/dissect/packet.h"
#include "backend/flow/ip_reassembler.h"
#include "mcpcap/v1/conversations.pb.h"

namespace mcpcap {

// A MAC or IP address by value, usable as a hash key.
struct TableAddress {
  enum Kind : uint8_t { kNone = 0, kMac = 1, kIpv4 = 4, kIpv6 = 6 };

  static TableAddress Mac(const MacAddress& mac);
  static TableAddress Ip(const IpAddress& ip);

  // The IP address (empty for a MAC).
  IpAddress ip() const;
  // tshark's text: aa:bb:cc:dd:ee:ff, a dotted quad or RFC 5952 IPv6.
  std::string ToString() const;

  friend bool operator==(const TableAddress& a, const TableAddress& b) {
    return a.kind == b.kind && std::memcmp(a.bytes, b.bytes, sizeof(a.bytes)) == 0;
  }
  friend bool operator<(const TableAddress& a, const TableAddress& b) {
    if (a.kind != b.kind) return a.kind < b.kind;
    return std::memcmp(a.bytes, b.bytes, sizeof(a.bytes)) < 0;
  }
  template <typename H>
  friend H AbslHashValue(H h, const TableAddress& a) {
    return H::combine_contiguous(H::combine(std::move(h), a.kind), a.bytes, sizeof(a.bytes));
  }

  Kind kind = kNone;
  uint8_t bytes[16] = {};  // unused tail zero
};

// One header of the table's protocol: who sent to whom.
struct LayerHit {
  TableAddress src;
  TableAddress dst;
  uint16_t src_port = 0;  // tcp and udp
  uint16_t dst_port = 0;
  std::optional<uint64_t> stream;  // tcp.stream / udp.stream
};

// The headers of a layer in a frame, outermost first (at most two: the link's and a tunnel's).
struct LayerHits {
  std::array<LayerHit, 2> hits;
  size_t count = 0;
};

// Finds the headers of one layer in each frame of a scan, in file order.
class LayerHitFinder {
 public:
  explicit LayerHitFinder(v1::ConversationLayer layer) : layer_(layer) {}
  LayerHits Find(const Frame& frame);

 private:
  void AddIp(const Frame& frame, const DecodedPacket& p, L3Kind kind, LayerHits* out);

  v1::ConversationLayer layer_;
  // IPv6 fragments of protocols other than TCP and UDP (FrameScan reassembles those), to know
  // the frame that completes a datagram.
  IpReassembler ipv6_defrag_;
};

// The layer a request names (unspecified: ip).
inline v1::ConversationLayer EffectiveLayer(v1::ConversationLayer layer) {
  return layer == v1::CONVERSATION_LAYER_UNSPECIFIED ? v1::CONVERSATION_LAYER_IP : layer;
}

// True for the layers whose rows carry ports.
inline bool HasPorts(v1::ConversationLayer layer) {
  return layer == v1::CONVERSATION_LAYER_TCP || layer == v1::CONVERSATION_LAYER_UDP;
}

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_CONVERSATIONS_LAYER_HITS_H_
