// Builds one Ethernet frame at a time with explicit byte writes: Ethernet (optionally 802.1Q),
// IPv4 or IPv6, then TCP, UDP or ICMP/ICMPv6, then payload. Lengths and checksums (IPv4 header,
// TCP/UDP/ICMP with the pseudo header where the protocol has one) are filled in by Finish().
#ifndef MCPCAP_TOOLS_GENCAP_FRAME_BUILDER_H_
#define MCPCAP_TOOLS_GENCAP_FRAME_BUILDER_H_

#include <cstddef>
#include <cstdint>

#include "tools/gencap/byte_writer.h"

namespace mcpcap::gencap {

struct Mac {
  uint8_t b[6] = {};
};

struct IpAddr {
  bool v6 = false;
  uint8_t b[16] = {};  // IPv4 uses the first 4 bytes

  static IpAddr V4(uint8_t a, uint8_t b, uint8_t c, uint8_t d);
  static IpAddr V6(const uint16_t (&groups)[8]);
};

struct LinkHeader {
  Mac src;
  Mac dst;
  uint16_t vlan = 0;  // 0: untagged
};

namespace tcp_flags {
inline constexpr uint8_t kFin = 0x01, kSyn = 0x02, kRst = 0x04, kPsh = 0x08, kAck = 0x10;
}

namespace ip_proto {
inline constexpr uint8_t kIcmp = 1, kTcp = 6, kUdp = 17, kIcmpv6 = 58;
}

class FrameBuilder {
 public:
  static constexpr size_t kMaxFrame = 1600;  // 1514 + VLAN tag, with room to spare

  FrameBuilder() : w_(buf_, sizeof(buf_)) {}

  // Starts a frame: link header and the IP header (length and checksum left for Finish()).
  void Begin(const LinkHeader& link, const IpAddr& src, const IpAddr& dst, uint8_t proto,
             uint8_t ttl, uint16_t ip_id);
  // SYN segments carry MSS, window scale and SACK-permitted options like a real stack.
  void Tcp(uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags,
           uint16_t window, bool syn_options);
  void Udp(uint16_t sport, uint16_t dport);
  void IcmpEcho(bool reply, uint16_t id, uint16_t seq);
  // Payload goes here, after the transport header.
  ByteWriter& payload() { return w_; }
  // Fills in lengths and checksums. False if the frame did not fit.
  bool Finish();

  const uint8_t* data() const { return buf_; }
  size_t size() const { return w_.size(); }

 private:
  uint8_t buf_[kMaxFrame];
  ByteWriter w_;
  size_t ip_off_ = 0;
  size_t l4_off_ = 0;
  size_t csum_off_ = 0;  // checksum field offset within the transport header
  uint8_t proto_ = 0;
  bool v6_ = false;
};

}  // namespace mcpcap::gencap

#endif  // MCPCAP_TOOLS_GENCAP_FRAME_BUILDER_H_
