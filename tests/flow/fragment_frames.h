// Builds raw-IP (LINKTYPE_RAW) frames byte by byte for the reassembly tests: a UDP datagram and
// its IPv4 or IPv6 fragments, so that tests go through the real decoder.
#ifndef MCPCAP_TESTS_FLOW_FRAGMENT_FRAMES_H_
#define MCPCAP_TESTS_FLOW_FRAGMENT_FRAMES_H_

#include <algorithm>
#include <cstdint>
#include <vector>

namespace mcpcap::testing {

using Frame = std::vector<uint8_t>;

inline void PutU16(Frame& f, uint16_t v) {
  f.push_back(static_cast<uint8_t>(v >> 8));
  f.push_back(static_cast<uint8_t>(v));
}
inline void PutU32(Frame& f, uint32_t v) {
  PutU16(f, static_cast<uint16_t>(v >> 16));
  PutU16(f, static_cast<uint16_t>(v));
}

// UDP header (checksum 0) and payload: what the IP layer carries before fragmentation.
inline Frame UdpDatagram(uint16_t src_port, uint16_t dst_port, const Frame& payload) {
  Frame f;
  PutU16(f, src_port);
  PutU16(f, dst_port);
  PutU16(f, static_cast<uint16_t>(8 + payload.size()));
  PutU16(f, 0);
  f.insert(f.end(), payload.begin(), payload.end());
  return f;
}

// Deterministic filler whose bytes differ with position, so misplaced data is caught.
inline Frame Pattern(size_t n, uint8_t seed = 0) {
  Frame f(n);
  for (size_t i = 0; i < n; ++i) f[i] = static_cast<uint8_t>(i * 7 + seed + (i >> 8));
  return f;
}

struct Ipv4Fragment {
  uint16_t id = 0x1234;
  uint16_t offset = 0;  // bytes, a multiple of 8
  bool more = false;
  uint8_t protocol = 17;
  uint8_t src_last = 1;  // 192.0.2.<src_last> -> 198.51.100.1
};

inline Frame Ipv4FragmentFrame(const Ipv4Fragment& h, const uint8_t* data, size_t size) {
  Frame f = {0x45, 0x00};
  PutU16(f, static_cast<uint16_t>(20 + size));
  PutU16(f, h.id);
  PutU16(f, static_cast<uint16_t>((h.more ? 0x2000 : 0) | (h.offset / 8)));
  f.push_back(64);
  f.push_back(h.protocol);
  PutU16(f, 0);
  for (uint8_t b : {192, 0, 2}) f.push_back(b);
  f.push_back(h.src_last);
  for (uint8_t b : {198, 51, 100, 1}) f.push_back(b);
  f.insert(f.end(), data, data + size);
  return f;
}

// IPv6 with a fragment header (and optionally a destination-options header before the upper
// layer inside the first fragment's data, which the caller then includes in `data`).
inline Frame Ipv6FragmentFrame(uint32_t id, uint16_t offset, bool more, uint8_t next_header,
                               const uint8_t* data, size_t size) {
  Frame f = {0x60, 0x00, 0x00, 0x00};
  PutU16(f, static_cast<uint16_t>(8 + size));
  f.push_back(44);  // fragment header
  f.push_back(64);
  const uint8_t src[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  const uint8_t dst[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};
  f.insert(f.end(), src, src + 16);
  f.insert(f.end(), dst, dst + 16);
  f.push_back(next_header);
  f.push_back(0);
  PutU16(f, static_cast<uint16_t>(offset | (more ? 1 : 0)));
  PutU32(f, id);
  f.insert(f.end(), data, data + size);
  return f;
}

// Splits `datagram` into IPv4 fragments carrying `chunk` bytes each (a multiple of 8).
inline std::vector<Frame> FragmentIpv4(const Frame& datagram, size_t chunk, Ipv4Fragment h = {}) {
  std::vector<Frame> out;
  for (size_t at = 0; at < datagram.size(); at += chunk) {
    const size_t n = std::min(chunk, datagram.size() - at);
    h.offset = static_cast<uint16_t>(at);
    h.more = at + n < datagram.size();
    out.push_back(Ipv4FragmentFrame(h, datagram.data() + at, n));
  }
  return out;
}

inline std::vector<Frame> FragmentIpv6(const Frame& datagram, size_t chunk, uint32_t id,
                                       uint8_t next_header = 17) {
  std::vector<Frame> out;
  for (size_t at = 0; at < datagram.size(); at += chunk) {
    const size_t n = std::min(chunk, datagram.size() - at);
    out.push_back(Ipv6FragmentFrame(id, static_cast<uint16_t>(at), at + n < datagram.size(),
                                    next_header, datagram.data() + at, n));
  }
  return out;
}

}  // namespace mcpcap::testing

#endif  // MCPCAP_TESTS_FLOW_FRAGMENT_FRAMES_H_
