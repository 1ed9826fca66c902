// Real frames (tcpdump -xx of loopback traffic on the build machine) and small builders that wrap
// or patch them, for the decoder tests.
#ifndef MCPCAP_TESTS_DISSECT_TEST_FRAMES_H_
#define MCPCAP_TESTS_DISSECT_TEST_FRAMES_H_

#include <cstdint>
#include <deque>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "backend/base/byte_reader.h"

namespace mcpcap::testing {

using Frame = std::vector<uint8_t>;

// "0000 86dd 60..." -> bytes; whitespace ignored.
inline Frame Hex(const std::string& text) {
  Frame out;
  int high = -1;
  for (char c : text) {
    int v = -1;
    if (c >= '0' && c <= '9') v = c - '0';
    if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
    if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
    if (v < 0) continue;
    if (high < 0) {
      high = v;
    } else {
      out.push_back(static_cast<uint8_t>(high << 4 | v));
      high = -1;
    }
  }
  return out;
}

inline Bytes View(const Frame& f) { return Bytes(f.data(), f.size()); }

// A decoded packet points into its frame (payload, options): helpers that build a frame and
// return its decoding keep the frame here, alive until the test program ends.
inline const Frame& KeepAlive(Frame f) {
  static std::deque<Frame>* kept = new std::deque<Frame>();
  kept->push_back(std::move(f));
  return kept->back();
}

inline Frame Concat(std::initializer_list<Frame> parts) {
  Frame out;
  for (const Frame& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

inline Frame Drop(const Frame& f, size_t n) { return Frame(f.begin() + n, f.end()); }

// Ethernet (loopback, zero MACs): IPv6 TCP SYN ::1.48342 > ::1.5555 with
// mss 65476, sackOK, TS val 1573944969 ecr 0, nop, wscale 10.
inline Frame Ipv6SynFrame() {
  return Hex(
      "0000 0000 0000 0000 0000 0000 86dd 6008"
      "5758 0028 0640 0000 0000 0000 0000 0000"
      "0000 0000 0001 0000 0000 0000 0000 0000"
      "0000 0000 0001 bcd6 15b3 1584 90be 0000"
      "0000 a002 ffc4 0030 0000 0204 ffc4 0402"
      "080a 5dd0 7e89 0000 0000 0103 030a");
}

// Ethernet: IPv6 TCP [P.] seq 361009343 ack 3717668201, TS options, payload "hello".
inline Frame Ipv6DataFrame() {
  return Hex(
      "0000 0000 0000 0000 0000 0000 86dd 6008"
      "5758 0025 0640 0000 0000 0000 0000 0000"
      "0000 0000 0001 0000 0000 0000 0000 0000"
      "0000 0000 0001 bcd6 15b3 1584 90bf dd97"
      "1d69 8018 0040 002d 0000 0101 080a 5dd0"
      "7e89 debb 3c4d 6865 6c6c 6f");
}

// Ethernet: IPv4 UDP 127.0.0.1.34729 > 127.0.0.1.5556, payload "dns?", DF, id 0xa1ae.
inline Frame Ipv4UdpFrame() {
  return Hex(
      "0000 0000 0000 0000 0000 0000 0800 4500"
      "0020 a1ae 4000 4011 9b1c 7f00 0001 7f00"
      "0001 87a9 15b4 000c fe1f 646e 733f");
}

// Ethernet: ICMP port unreachable quoting the UDP packet above.
inline Frame IcmpUnreachableFrame() {
  return Hex(
      "0000 0000 0000 0000 0000 0000 0800 45c0"
      "003c 0aee 0000 4001 7111 7f00 0001 7f00"
      "0001 0303 89c5 0000 0000 4500 0020 a1ae"
      "4000 4011 9b1c 7f00 0001 7f00 0001 87a9"
      "15b4 000c fe1f 646e 733f");
}

// Ethernet: ICMP echo request id 11967 seq 1, 56 data bytes.
inline Frame IcmpEchoFrame() {
  return Hex(
      "0000 0000 0000 0000 0000 0000 0800 4500"
      "0054 0af1 4000 4001 31b6 7f00 0001 7f00"
      "0001 0800 cf5f 2ebf 0001 1888 096b 0000"
      "0000 111a 0800 0000 0000 1011 1213 1415"
      "1617 1819 1a1b 1c1d 1e1f 2021 2223 2425"
      "2627 2829 2a2b 2c2d 2e2f 3031 3233 3435"
      "3637");
}

inline constexpr size_t kEthLen = 14;

// The IP packet inside one of the Ethernet frames above.
inline Frame IpOf(const Frame& ethernet_frame) { return Drop(ethernet_frame, kEthLen); }

// A 20-byte TCP header 1000 -> 80 with the given data offset (in 4-byte words) and flags byte,
// followed by `options_and_payload`.
inline Frame TcpHeader(uint8_t data_offset_words, uint8_t flags, const Frame& options_and_payload) {
  Frame h = Hex("03e8 0050 0000 0001 0000 0002 0000 2000 0000 0000");
  h[12] = static_cast<uint8_t>(data_offset_words << 4);
  h[13] = flags;
  return Concat({h, options_and_payload});
}

// An IPv4 header (IHL 5, no options) around `payload` with protocol `proto`, 10.0.0.1 -> 10.0.0.2.
inline Frame Ipv4Packet(uint8_t proto, const Frame& payload) {
  Frame h = Hex("4500 0000 1234 0000 4000 0000 0a00 0001 0a00 0002");
  size_t total = h.size() + payload.size();
  h[2] = static_cast<uint8_t>(total >> 8);
  h[3] = static_cast<uint8_t>(total);
  h[9] = proto;
  return Concat({h, payload});
}

// An IPv6 header around `payload` (extension headers included) with first next header `next`,
// 2001:db8::1 -> 2001:db8::2.
inline Frame Ipv6Packet(uint8_t next, const Frame& payload) {
  Frame h =
      Hex("6000 0000 0000 0040 2001 0db8 0000 0000 0000 0000 0000 0001"
          "2001 0db8 0000 0000 0000 0000 0000 0002");
  h[4] = static_cast<uint8_t>(payload.size() >> 8);
  h[5] = static_cast<uint8_t>(payload.size());
  h[6] = next;
  return Concat({h, payload});
}

inline Frame EthernetFrame(uint16_t ethertype, const Frame& payload) {
  Frame h = Hex("0200 0000 0002 0200 0000 0001 0000");
  h[12] = static_cast<uint8_t>(ethertype >> 8);
  h[13] = static_cast<uint8_t>(ethertype);
  return Concat({h, payload});
}

}  // namespace mcpcap::testing

#endif  // MCPCAP_TESTS_DISSECT_TEST_FRAMES_H_
