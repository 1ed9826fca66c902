// Hand-built raw IP packets (LINKTYPE_RAW) for the ICMP analysis tests.
#ifndef MCPCAP_TESTS_ANALYSIS_ICMP_PACKET_BUILDER_H_
#define MCPCAP_TESTS_ANALYSIS_ICMP_PACKET_BUILDER_H_

#include <arpa/inet.h>

#include <cstdint>
#include <string>
#include <vector>

#include "tests/testing/capture_builder.h"

namespace mcpcap::testing {

inline std::string Be16(uint16_t v) { return {static_cast<char>(v >> 8), static_cast<char>(v)}; }
inline std::string Be32(uint32_t v) {
  return Be16(static_cast<uint16_t>(v >> 16)) + Be16(static_cast<uint16_t>(v));
}

inline std::string V4(const char* text) {
  uint8_t b[4] = {};
  ::inet_pton(AF_INET, text, b);
  return std::string(reinterpret_cast<const char*>(b), 4);
}
inline std::string V6(const char* text) {
  uint8_t b[16] = {};
  ::inet_pton(AF_INET6, text, b);
  return std::string(reinterpret_cast<const char*>(b), 16);
}

// IPv4 header + payload. frag_field: flags and offset (in 8-byte units) as on the wire.
inline std::string Ip4(const char* src, const char* dst, uint8_t protocol, uint8_t ttl,
                       const std::string& payload, uint16_t id = 1, uint16_t frag_field = 0,
                       int total_length = -1) {
  const uint16_t len =
      static_cast<uint16_t>(total_length >= 0 ? total_length : 20 + payload.size());
  std::string h = "\x45";
  h += '\0';
  h += Be16(len) + Be16(id) + Be16(frag_field);
  h += static_cast<char>(ttl);
  h += static_cast<char>(protocol);
  h += Be16(0) + V4(src) + V4(dst);
  return h + payload;
}

inline std::string Ip6(const char* src, const char* dst, uint8_t next, uint8_t hop_limit,
                       const std::string& payload) {
  std::string h = "\x60";
  h += std::string(3, '\0');
  h += Be16(static_cast<uint16_t>(payload.size()));
  h += static_cast<char>(next);
  h += static_cast<char>(hop_limit);
  return h + V6(src) + V6(dst) + payload;
}

// ICMP: type, code, checksum (0), 4 bytes `rest`, body.
inline std::string Icmp(uint8_t type, uint8_t code, const std::string& rest,
                        const std::string& body) {
  std::string m;
  m += static_cast<char>(type);
  m += static_cast<char>(code);
  m += Be16(0);
  return m + rest + body;
}
inline std::string Echo(uint8_t type, uint16_t id, uint16_t seq, const std::string& data) {
  return Icmp(type, 0, Be16(id) + Be16(seq), data);
}
inline std::string Udp(uint16_t sport, uint16_t dport, const std::string& data) {
  return Be16(sport) + Be16(dport) + Be16(static_cast<uint16_t>(8 + data.size())) + Be16(0) + data;
}

// The standard Linux ping data: 16 bytes of timestamp, then 0x10, 0x11, ...
inline std::string PingData(size_t n = 56) {
  std::string d(n, '\0');
  for (size_t i = 16; i < n; ++i) d[i] = static_cast<char>(i);
  return d;
}

// A capture of raw IP packets, one per `step_us` microseconds from t0.
struct Timed {
  double t;  // seconds from the start
  std::string ip;
};
inline std::string RawCapture(const std::vector<Timed>& packets) {
  std::vector<TestPacket> out;
  for (const Timed& p : packets) {
    const uint64_t us = static_cast<uint64_t>(p.t * 1e6 + 0.5);
    TestPacket tp;
    tp.ts_sec = 1700000000 + us / 1000000;
    tp.ts_frac = static_cast<uint32_t>(us % 1000000);
    tp.data = p.ip;
    out.push_back(tp);
  }
  return BuildPcap(out, 101);
}

}  // namespace mcpcap::testing

#endif  // MCPCAP_TESTS_ANALYSIS_ICMP_PACKET_BUILDER_H_
