// The decoded view of one frame: flat, fixed size, no heap. Spans point into the caller's frame
// bytes and are valid only as long as those bytes are. A field is meaningful only when the kind of
// its layer says the layer is present (e.g. `tcp` only when l4_kind == L4Kind::kTcp).
#ifndef MCPCAP_BACKEND_DISSECT_PACKET_H_
#define MCPCAP_BACKEND_DISSECT_PACKET_H_

#include <cstdint>

#include "backend/base/byte_reader.h"
#include "backend/dissect/anomaly.h"
#include "backend/dissect/ip_address.h"

namespace mcpcap {

enum class LinkKind : uint8_t {
  kUnknown,    // unsupported link type
  kEthernet,   // LINKTYPE_ETHERNET
  kNull,       // LINKTYPE_NULL and LINKTYPE_LOOP (4-byte address family)
  kRawIp,      // LINKTYPE_RAW / IPV4 / IPV6 and the platform aliases 12 and 14
  kLinuxSll,   // LINKTYPE_LINUX_SLL
  kLinuxSll2,  // LINKTYPE_LINUX_SLL2
  kNflog,      // LINKTYPE_NFLOG
  kPpp,        // LINKTYPE_PPP, PPP_HDLC and C_HDLC
  kFddi,       // LINKTYPE_FDDI
  kIpoib,      // LINKTYPE_IPOIB (IP over InfiniBand)
};

enum class L3Kind : uint8_t {
  kNone,  // decoding stopped before the network layer
  kIpv4,
  kIpv6,
  kArp,    // ARP or RARP
  kOther,  // a network protocol we do not decode (see `ethertype`)
};

enum class L4Kind : uint8_t {
  kNone,  // no transport header decoded (stopped earlier, IP fragment, ESP, no next header)
  kTcp,
  kUdp,
  kIcmp,
  kIcmpv6,
  kOther,  // a transport we do not decode (see ip.protocol); `payload` is the IP payload
};

struct MacAddress {
  uint8_t bytes[6] = {};
};

// Stacked 802.1Q/802.1ad tags decoded before giving up: provider networks stack three or four;
// more is hostile.
inline constexpr int kMaxVlanTags = 8;

struct VlanTag {
  uint16_t tpid = 0;  // 0x8100, 0x88a8, 0x9100 or 0x9200
  uint16_t tci = 0;
  uint16_t vid() const { return tci & 0x0fff; }
  uint8_t pcp() const { return static_cast<uint8_t>(tci >> 13); }
  bool dei() const { return (tci & 0x1000) != 0; }
};

struct IpInfo {
  IpAddress src;
  IpAddress dst;
  uint8_t version = 0;               // 4 or 6
  uint8_t ttl = 0;                   // IPv4 TTL or IPv6 hop limit
  uint8_t tos = 0;                   // IPv4 TOS byte or IPv6 traffic class
  uint8_t protocol = 0;              // final protocol / next header after extension headers
  uint16_t header_length = 0;        // IPv4 IHL*4; IPv6 40 plus the extension headers walked
  uint16_t total_length = 0;         // as on the wire: IPv4 total length; IPv6 40 + payload length
  uint32_t id = 0;                   // IPv4 identification, or IPv6 fragment header identification
  uint32_t flow_label = 0;           // IPv6 only
  uint16_t fragment_offset = 0;      // in bytes (the header's 8-byte units * 8)
  bool dont_fragment = false;        // IPv4 DF
  bool more_fragments = false;       // IPv4 MF or IPv6 fragment header M
  bool is_fragment = false;          // MF set or offset > 0: transport is not decoded
  bool has_fragment_header = false;  // IPv6 fragment header present
  uint8_t extension_header_count = 0;  // IPv6 extension headers walked
  // The bytes after the IP header(s), clamped to the IP length and to what was captured.
  Bytes payload;
};

struct SackBlock {
  uint32_t left = 0;
  uint32_t right = 0;
};

struct TcpOptions {
  bool has_mss = false;
  bool has_window_scale = false;
  bool sack_permitted = false;
  bool has_timestamps = false;
  uint8_t window_scale = 0;
  uint8_t sack_block_count = 0;  // 0..4
  uint16_t mss = 0;
  uint32_t ts_val = 0;
  uint32_t ts_ecr = 0;
  SackBlock sack[4];
};

// TCP flag bits as in `TcpInfo::flags` (NS is bit 8, from the data-offset byte).
enum TcpFlag : uint16_t {
  kTcpFin = 0x001,
  kTcpSyn = 0x002,
  kTcpRst = 0x004,
  kTcpPsh = 0x008,
  kTcpAck = 0x010,
  kTcpUrg = 0x020,
  kTcpEce = 0x040,
  kTcpCwr = 0x080,
  kTcpNs = 0x100,
};

struct TcpInfo {
  uint32_t seq = 0;
  uint32_t ack = 0;
  uint16_t flags = 0;   // TcpFlag bits
  uint16_t window = 0;  // unscaled, as on the wire
  uint16_t urgent = 0;
  uint8_t header_length = 0;  // data offset * 4
  TcpOptions options;
};

struct UdpInfo {
  uint16_t length = 0;  // the UDP length field
};

struct IcmpInfo {
  uint8_t type = 0;
  uint8_t code = 0;
  bool is_echo = false;   // echo request/reply: id and seq are set
  bool is_error = false;  // an error message quoting the offending packet in `quoted`
  // The header ends early (snap length or a short packet): only type and code (when captured)
  // are set, is_echo and is_error stay false.
  bool header_truncated = false;
  uint16_t id = 0;
  uint16_t seq = 0;
  Bytes quoted;  // the quoted IP packet of an error message (decode it with LINKTYPE_RAW)
};

struct DecodedPacket {
  AnomalySet anomalies;
  uint16_t link_type = 0;  // LINKTYPE_* the frame was decoded as
  LinkKind link_kind = LinkKind::kUnknown;
  L3Kind l3_kind = L3Kind::kNone;
  L4Kind l4_kind = L4Kind::kNone;

  // Link layer.
  bool has_src_mac = false;  // Ethernet; SLL/SLL2 when the link address is 6 bytes
  bool has_dst_mac = false;  // Ethernet only
  uint8_t vlan_count = 0;    // tags in `vlans`, outermost first
  // Network protocol after any VLAN tags. Raw IP and null links report 0x0800 / 0x86dd; values
  // below 0x0600 on Ethernet are 802.3 lengths (l3_kind kOther).
  uint16_t ethertype = 0;
  uint16_t sll_packet_type = 0;  // SLL/SLL2 packet type (0 host, 4 outgoing, ...)
  MacAddress src_mac;
  MacAddress dst_mac;
  VlanTag vlans[kMaxVlanTags];

  IpInfo ip;  // when l3_kind is kIpv4 or kIpv6

  // Transport: ports for TCP and UDP.
  uint16_t src_port = 0;
  uint16_t dst_port = 0;
  TcpInfo tcp;
  UdpInfo udp;
  IcmpInfo icmp;  // ICMP and ICMPv6
  // The transport payload (after the TCP/UDP/ICMP header), clamped to IP length and capture.
  Bytes payload;

  bool ok() const { return anomalies.empty(); }
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_DISSECT_PACKET_H_
