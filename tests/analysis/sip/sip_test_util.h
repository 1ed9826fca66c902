// Helpers for the SIP analysis tests: frames around SIP text, and running the analysis.
#ifndef MCPCAP_TESTS_ANALYSIS_SIP_SIP_TEST_UTIL_H_
#define MCPCAP_TESTS_ANALYSIS_SIP_SIP_TEST_UTIL_H_

#include <cstdint>
#include <string>

#include "backend/analysis/sip/sip.h"
#include "gtest/gtest.h"

namespace mcpcap::testing {

inline void Put16(std::string* s, size_t at, uint16_t v) {
  (*s)[at] = static_cast<char>(v >> 8);
  (*s)[at + 1] = static_cast<char>(v & 0xff);
}

// Ethernet + IPv4 (a.b.c.d as uint32) carrying `l4` of protocol `proto`; fragment fields given.
inline std::string Ipv4Frame(uint32_t src, uint32_t dst, uint8_t proto, const std::string& l4,
                             uint16_t id = 1, uint16_t frag_offset_bytes = 0, bool mf = false) {
  std::string f(14, '\0');
  f[12] = 0x08;
  std::string ip(20, '\0');
  ip[0] = 0x45;
  Put16(&ip, 2, static_cast<uint16_t>(20 + l4.size()));
  Put16(&ip, 4, id);
  Put16(&ip, 6, static_cast<uint16_t>((mf ? 0x2000 : 0) | (frag_offset_bytes / 8)));
  ip[8] = 64;
  ip[9] = static_cast<char>(proto);
  for (int i = 0; i < 4; ++i) {
    ip[12 + i] = static_cast<char>(src >> (24 - 8 * i));
    ip[16 + i] = static_cast<char>(dst >> (24 - 8 * i));
  }
  return f + ip + l4;
}

inline std::string Udp(uint16_t sport, uint16_t dport, const std::string& payload) {
  std::string u(8, '\0');
  Put16(&u, 0, sport);
  Put16(&u, 2, dport);
  Put16(&u, 4, static_cast<uint16_t>(8 + payload.size()));
  return u + payload;
}

inline std::string UdpFrame(uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport,
                            const std::string& payload) {
  return Ipv4Frame(src, dst, 17, Udp(sport, dport, payload));
}

constexpr uint32_t Ip(int a, int b, int c, int d) {
  return static_cast<uint32_t>(a) << 24 | static_cast<uint32_t>(b) << 16 |
         static_cast<uint32_t>(c) << 8 | static_cast<uint32_t>(d);
}

inline v1::AnalyzeSipPacketsResponse AnalyzeSip(const std::string& path,
                                                uint32_t max_results = 100) {
  AnalysisInput input;
  input.source = input.local_path = path;
  input.listings.max = max_results;
  v1::AnalyzeSipPacketsRequest request;
  request.set_pcap_file(path);
  auto result = AnalyzeSipPackets(input, request);
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? *result : v1::AnalyzeSipPacketsResponse();
}

}  // namespace mcpcap::testing

#endif  // MCPCAP_TESTS_ANALYSIS_SIP_SIP_TEST_UTIL_H_
