#include "tools/gencap/frame_builder.h"

namespace mcpcap::gencap {
namespace {

constexpr uint16_t kEtherIpv4 = 0x0800, kEtherIpv6 = 0x86dd, kEtherVlan = 0x8100;

// One's-complement sum of 16-bit big-endian words (RFC 1071), not yet folded.
uint32_t SumWords(const uint8_t* p, size_t n, uint32_t sum) {
  for (; n >= 2; p += 2, n -= 2) sum += (uint32_t{p[0]} << 8) | p[1];
  if (n) sum += uint32_t{p[0]} << 8;
  return sum;
}

uint16_t Fold(uint32_t sum) {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

}  // namespace

IpAddr IpAddr::V4(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
  IpAddr ip;
  ip.b[0] = a;
  ip.b[1] = b;
  ip.b[2] = c;
  ip.b[3] = d;
  return ip;
}

IpAddr IpAddr::V6(const uint16_t (&groups)[8]) {
  IpAddr ip;
  ip.v6 = true;
  for (int i = 0; i < 8; ++i) {
    ip.b[2 * i] = static_cast<uint8_t>(groups[i] >> 8);
    ip.b[2 * i + 1] = static_cast<uint8_t>(groups[i]);
  }
  return ip;
}

void FrameBuilder::Begin(const LinkHeader& link, const IpAddr& src, const IpAddr& dst,
                         uint8_t proto, uint8_t ttl, uint16_t ip_id) {
  w_.Reset();
  v6_ = src.v6;
  proto_ = proto;
  w_.Bytes(link.dst.b, 6);
  w_.Bytes(link.src.b, 6);
  if (link.vlan) {
    w_.U16(kEtherVlan);
    w_.U16(link.vlan & 0x0fff);  // priority 0, DEI 0
  }
  w_.U16(v6_ ? kEtherIpv6 : kEtherIpv4);
  ip_off_ = w_.size();
  if (v6_) {
    w_.U32(0x60000000);  // version 6, traffic class 0, flow label 0
    w_.U16(0);           // payload length: Finish()
    w_.U8(proto);
    w_.U8(ttl);
    w_.Bytes(src.b, 16);
    w_.Bytes(dst.b, 16);
  } else {
    w_.U8(0x45);     // version 4, 20-byte header
    w_.U8(0);        // DSCP/ECN
    w_.U16(0);       // total length: Finish()
    w_.U16(ip_id);   //
    w_.U16(0x4000);  // don't fragment
    w_.U8(ttl);
    w_.U8(proto);
    w_.U16(0);  // header checksum: Finish()
    w_.Bytes(src.b, 4);
    w_.Bytes(dst.b, 4);
  }
  l4_off_ = w_.size();
}

void FrameBuilder::Tcp(uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags,
                       uint16_t window, bool syn_options) {
  w_.U16(sport);
  w_.U16(dport);
  w_.U32(seq);
  w_.U32(ack);
  w_.U8(syn_options ? 0x80 : 0x50);  // data offset: 32 or 20 bytes
  w_.U8(flags);
  w_.U16(window);
  csum_off_ = 16;
  w_.U16(0);  // checksum
  w_.U16(0);  // urgent pointer
  if (syn_options) {
    w_.U8(2);  // MSS 1460 (1440 over IPv6)
    w_.U8(4);
    w_.U16(v6_ ? 1440 : 1460);
    w_.U8(1);  // NOP
    w_.U8(3);  // window scale 7
    w_.U8(3);
    w_.U8(7);
    w_.U8(1);  // NOP, NOP, SACK permitted
    w_.U8(1);
    w_.U8(4);
    w_.U8(2);
  }
}

void FrameBuilder::Udp(uint16_t sport, uint16_t dport) {
  w_.U16(sport);
  w_.U16(dport);
  w_.U16(0);  // length: Finish()
  csum_off_ = 6;
  w_.U16(0);
}

void FrameBuilder::IcmpEcho(bool reply, uint16_t id, uint16_t seq) {
  // ICMP echo 8/0, ICMPv6 echo 128/129.
  w_.U8(v6_ ? (reply ? 129 : 128) : (reply ? 0 : 8));
  w_.U8(0);
  csum_off_ = 2;
  w_.U16(0);
  w_.U16(id);
  w_.U16(seq);
}

bool FrameBuilder::Finish() {
  if (!w_.ok()) return false;
  uint8_t* p = w_.data();
  const size_t l4_len = w_.size() - l4_off_;
  const size_t ip_len = w_.size() - ip_off_;
  if (proto_ == ip_proto::kUdp) w_.PutU16At(l4_off_ + 4, static_cast<uint16_t>(l4_len));

  uint32_t sum = 0;
  if (v6_) {
    w_.PutU16At(ip_off_ + 4, static_cast<uint16_t>(l4_len));
    sum = SumWords(p + ip_off_ + 8, 32, 0);  // source and destination addresses
  } else {
    w_.PutU16At(ip_off_ + 2, static_cast<uint16_t>(ip_len));
    w_.PutU16At(ip_off_ + 10, Fold(SumWords(p + ip_off_, 20, 0)));
    if (proto_ != ip_proto::kIcmp) sum = SumWords(p + ip_off_ + 12, 8, 0);
  }
  if (proto_ != ip_proto::kIcmp) sum += proto_ + static_cast<uint32_t>(l4_len);
  uint16_t csum = Fold(SumWords(p + l4_off_, l4_len, sum));
  if (proto_ == ip_proto::kUdp && csum == 0) csum = 0xffff;  // 0 means "no checksum" in UDP
  w_.PutU16At(l4_off_ + csum_off_, csum);
  return w_.ok();
}

}  // namespace mcpcap::gencap
