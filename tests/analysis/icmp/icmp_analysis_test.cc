// AnalyzeIcmpPackets over hand-built captures: one test per branch and per malformation.
#include <string>
#include <vector>

#include "backend/analysis/icmp/icmp.h"
#include "backend/base/proto_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/analysis/icmp/packet_builder.h"
#include "tests/testing/listings.h"

namespace mcpcap {
namespace {

using testing::Be16;
using testing::Be32;
using testing::Echo;
using testing::Icmp;
using testing::Ip4;
using testing::Ip6;
using testing::PingData;
using testing::RawCapture;
using testing::Timed;
using testing::Udp;
using testing::V4;
using testing::V6;

v1::AnalyzeIcmpPacketsResponse Analyze(const std::string& name, const std::vector<Timed>& packets,
                                       uint32_t max_results = 100) {
  AnalysisInput input;
  input.source = name;
  input.local_path = testing::WriteTempFile(name, RawCapture(packets));
  input.listings.max = max_results;
  absl::StatusOr<v1::AnalyzeIcmpPacketsResponse> r =
      AnalyzeIcmpPackets(input, v1::AnalyzeIcmpPacketsRequest());
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : v1::AnalyzeIcmpPacketsResponse();
}

const v1::Finding* FindIndicator(const v1::AnalyzeIcmpPacketsResponse& r, const std::string& id) {
  for (const v1::Finding& f : r.findings()) {
    if (f.indicator() == id) return &f;
  }
  return nullptr;
}

TEST(IcmpAnalysis, EchoPairsKeyedByHostPairIdentifierAndSequence) {
  // Two hosts ping the same target with the same identifier: the original merged them.
  const auto r = Analyze("echo.pcap",
                         {
                             {0.000, Ip4("10.0.0.1", "10.0.0.9", 1, 64, Echo(8, 7, 1, PingData()))},
                             {0.010, Ip4("10.0.0.9", "10.0.0.1", 1, 64, Echo(0, 7, 1, PingData()))},
                             {0.020, Ip4("10.0.0.2", "10.0.0.9", 1, 64, Echo(8, 7, 1, PingData()))},
                             {0.050, Ip4("10.0.0.9", "10.0.0.2", 1, 64, Echo(0, 7, 1, PingData()))},
                             {1.000, Ip4("10.0.0.1", "10.0.0.9", 1, 64, Echo(8, 7, 2, PingData()))},
                             {1.004, Ip4("10.0.0.9", "10.0.0.1", 1, 64, Echo(0, 7, 2, PingData()))},
                             {2.000, Ip4("10.0.0.1", "10.0.0.9", 1, 64, Echo(8, 7, 3, PingData()))},
                             {3.000, Ip4("10.0.0.1", "10.0.0.9", 1, 64, Echo(8, 7, 4, PingData()))},
                         });
  EXPECT_EQ(r.icmp_packets_found(), 8u);
  const auto& st = r.statistics();
  EXPECT_EQ(st.echo_sessions(), 2u);
  ASSERT_EQ(st.echo_pairs_size(), 2);
  const v1::EchoStats& a = st.echo_pairs(0);
  EXPECT_EQ(a.source().ip(), "10.0.0.1");
  EXPECT_FALSE(a.source().has_port());
  EXPECT_EQ(a.destination().ip(), "10.0.0.9");
  EXPECT_EQ(a.protocol(), v1::ICMP_PROTOCOL_ICMP);
  EXPECT_EQ(a.first_packet().packet_number(), 1u);
  EXPECT_EQ(a.first_packet().timestamp().seconds(), 1700000000);
  EXPECT_EQ(a.identifier(), 7u);
  EXPECT_EQ(a.requests(), 4u);
  EXPECT_EQ(a.replies(), 2u);
  EXPECT_EQ(a.unanswered(), 2u);
  EXPECT_DOUBLE_EQ(a.loss_percent(), 50.0);
  EXPECT_EQ(a.rtt().samples(), 2u);
  EXPECT_NEAR(DurationMillis(a.rtt().min()), 4.0, 1e-6);
  EXPECT_NEAR(DurationMillis(a.rtt().max()), 10.0, 1e-6);
  EXPECT_NEAR(DurationMillis(a.rtt().average()), 7.0, 1e-6);
  EXPECT_NEAR(DurationMillis(a.rtt().median()), 7.0, 1e-6);
  EXPECT_NEAR(DurationMillis(a.rtt().p95()), 10.0, 1e-6);
  const v1::EchoStats& b = st.echo_pairs(1);
  EXPECT_EQ(b.source().ip(), "10.0.0.2");
  EXPECT_EQ(b.replies(), 1u);
  EXPECT_NEAR(DurationMillis(b.rtt().min()), 30.0, 1e-6);
  EXPECT_DOUBLE_EQ(b.loss_percent(), 0.0);

  ASSERT_EQ(r.packets_size(), 8);
  EXPECT_EQ(r.packets(0).packet_number(), 1u);
  EXPECT_EQ(r.packets(0).icmp_type_name(), "Echo Request");
  EXPECT_EQ(r.packets(0).response_in().packet_number(), 2u);
  EXPECT_EQ(r.packets(0).source().ip(), "10.0.0.1");
  EXPECT_FALSE(r.packets(0).source().has_port());
  EXPECT_EQ(r.packets(0).destination().ip(), "10.0.0.9");
  EXPECT_EQ(r.packets(0).protocol(), v1::ICMP_PROTOCOL_ICMP);
  EXPECT_TRUE(r.packets(0).has_icmp_id());
  EXPECT_EQ(r.packets(0).payload_size(), 56u);
  EXPECT_EQ(r.packets(1).response_to().packet_number(), 1u);
  EXPECT_EQ(r.packets(1).response_to().timestamp().seconds(), 1700000000);
  EXPECT_NEAR(DurationMillis(r.packets(1).rtt()), 10.0, 1e-6);
  EXPECT_EQ(r.packets(3).response_to().packet_number(), 3u);
  EXPECT_FALSE(r.packets(6).has_response_in());
  EXPECT_FALSE(r.packets(0).has_rtt());
  EXPECT_EQ(r.packets(0).timestamp().seconds(), 1700000000);  // 2023-11-14T22:13:20Z
  EXPECT_EQ(r.packets(0).timestamp().nanos(), 0);
  EXPECT_EQ(r.statistics().icmp_type_counts().at("Echo Request"), 5u);
  EXPECT_EQ(r.statistics().icmp_type_counts().at("Echo Reply"), 3u);
  EXPECT_EQ(r.findings_size(), 0);
}

TEST(IcmpAnalysis, ReplyWithoutRequestIsUnmatched) {
  const auto r = Analyze("unmatched.pcap",
                         {
                             {0.0, Ip4("10.0.0.9", "10.0.0.1", 1, 64, Echo(0, 7, 1, PingData()))},
                         });
  ASSERT_EQ(r.statistics().echo_pairs_size(), 1);
  EXPECT_EQ(r.statistics().echo_pairs(0).source().ip(), "10.0.0.1");  // the requester
  EXPECT_EQ(r.statistics().echo_pairs(0).unmatched_replies(), 1u);
  EXPECT_FALSE(r.packets(0).has_rtt());
}

TEST(IcmpAnalysis, UnreachableReportsTheQuotedTarget) {
  const std::string probe = Ip4("10.0.0.1", "192.0.2.50", 17, 64, Udp(40000, 53, "q"));
  const auto r = Analyze(
      "unreach.pcap",
      {
          {0.0, probe},
          // A router reports the target unreachable; the outer destination is the sender.
          {0.1, Ip4("10.0.0.254", "10.0.0.1", 1, 64, Icmp(3, 1, Be32(0), probe.substr(0, 28)))},
          // The target itself: port unreachable.
          {0.2, Ip4("192.0.2.50", "10.0.0.1", 1, 64, Icmp(3, 3, Be32(0), probe.substr(0, 28)))},
      });
  const auto& st = r.statistics();
  ASSERT_EQ(st.unreachable_destinations_size(), 1);
  EXPECT_EQ(st.unreachable_destinations(0), "192.0.2.50");
  EXPECT_EQ(st.unreachable_destinations_count(), 1u);
  ASSERT_EQ(st.unreachable_details_size(), 2);
  EXPECT_EQ(st.unreachable_details(0).reason(), "Host Unreachable");
  EXPECT_EQ(st.unreachable_details(0).protocol(), "UDP");
  EXPECT_EQ(st.unreachable_details(0).destination().ip(), "192.0.2.50");
  EXPECT_EQ(st.unreachable_details(0).destination().port(), 53u);
  EXPECT_EQ(st.unreachable_details(0).first_packet().packet_number(), 2u);
  EXPECT_EQ(st.unreachable_details(0).first_packet().timestamp().nanos(), 100000000);
  EXPECT_EQ(st.unreachable_details(0).reported_by(0), "10.0.0.254");
  EXPECT_EQ(st.unreachable_details(1).reason(), "Port Unreachable");
  ASSERT_EQ(r.packets_size(), 2);  // the UDP probe is not ICMP
  const v1::IcmpPacket& p = r.packets(0);
  EXPECT_FALSE(p.has_icmp_id());
  EXPECT_FALSE(p.has_icmp_seq());
  EXPECT_EQ(p.icmp_code_name(), "Host Unreachable");
  EXPECT_EQ(p.quoted().source().ip(), "10.0.0.1");
  EXPECT_EQ(p.quoted().destination().ip(), "192.0.2.50");
  EXPECT_EQ(p.quoted().protocol(), "UDP");
  EXPECT_EQ(p.quoted().source().port(), 40000u);
  EXPECT_EQ(p.quoted().destination().port(), 53u);
  EXPECT_EQ(p.quoted().ttl(), 64u);
  EXPECT_TRUE(st.traceroutes().empty());
}

TEST(IcmpAnalysis, FragmentationNeededAndPacketTooBigCarryTheMtu) {
  const std::string big = Ip4("10.0.0.1", "10.0.0.2", 6, 64, Be16(5000) + Be16(443) + Be32(1));
  const std::string big6 = Ip6("2001:db8::1", "2001:db8::2", 17, 64, Udp(5000, 443, "x"));
  const auto r = Analyze(
      "mtu.pcap",
      {
          {0.0, Ip4("10.0.0.254", "10.0.0.1", 1, 64, Icmp(3, 4, Be16(0) + Be16(1400), big))},
          {0.1, Ip6("2001:db8::fe", "2001:db8::1", 58, 64, Icmp(2, 0, Be32(1280), big6))},
      });
  ASSERT_EQ(r.packets_size(), 2);
  EXPECT_EQ(r.packets(0).mtu(), 1400u);
  EXPECT_EQ(r.packets(0).quoted().protocol(), "TCP");
  EXPECT_EQ(r.packets(0).quoted().destination().port(), 443u);
  EXPECT_EQ(r.packets(1).mtu(), 1280u);
  EXPECT_EQ(r.packets(1).protocol(), v1::ICMP_PROTOCOL_ICMPV6);
  EXPECT_EQ(r.packets(1).icmp_type_name(), "Packet Too Big");
  EXPECT_EQ(r.packets(1).hop_limit(), 64u);
  EXPECT_EQ(r.packets(1).quoted().destination().ip(), "2001:db8::2");
  EXPECT_EQ(r.statistics().icmp_type_counts().at("ICMPv6 Packet Too Big"), 1u);
}

// Probes with TTL 1..3; routers answer 1 and 2, hop 3 is silent, then the target answers TTL 4.
TEST(IcmpAnalysis, TracerouteFromCapturedProbes) {
  std::vector<Timed> pk;
  auto probe = [](uint8_t ttl, uint16_t port) {
    return Ip4("10.0.0.1", "198.51.100.7", 17, ttl, Udp(50000, port, std::string(32, '@')));
  };
  const char* routers[] = {"10.0.0.254", "172.16.0.1"};
  for (int ttl = 1; ttl <= 4; ++ttl) {
    const std::string p = probe(static_cast<uint8_t>(ttl), static_cast<uint16_t>(33433 + ttl));
    pk.push_back({ttl * 1.0, p});
    // The quoted header is the one the router saw: TTL 1.
    std::string quoted = p.substr(0, 28);
    quoted[8] = 1;
    if (ttl <= 2) {
      pk.push_back({ttl * 1.0 + 0.001 * ttl,
                    Ip4(routers[ttl - 1], "10.0.0.1", 1, 64, Icmp(11, 0, Be32(0), quoted))});
    } else if (ttl == 4) {
      pk.push_back({ttl + 0.005,
                    Ip4("198.51.100.7", "10.0.0.1", 1, 64, Icmp(3, 3, Be32(0), p.substr(0, 28)))});
    }
  }
  const auto r = Analyze("trace.pcap", pk);
  ASSERT_EQ(r.statistics().traceroutes_size(), 1);
  const v1::TraceroutePath& path = r.statistics().traceroutes(0);
  EXPECT_EQ(path.source().ip(), "10.0.0.1");
  EXPECT_EQ(path.destination().ip(), "198.51.100.7");
  EXPECT_FALSE(path.destination().has_port());
  EXPECT_EQ(path.protocol(), "UDP");
  EXPECT_TRUE(path.reached());
  ASSERT_EQ(path.hops_size(), 4);
  EXPECT_EQ(path.hops(0).hop(), 1u);
  EXPECT_EQ(path.hops(0).router(), "10.0.0.254");
  EXPECT_NEAR(DurationMillis(path.hops(0).rtt()), 1.0, 1e-6);
  ASSERT_EQ(path.hops(0).probe_rtts_size(), 1);
  EXPECT_NEAR(DurationMillis(path.hops(0).probe_rtts(0)), 1.0, 1e-6);
  EXPECT_EQ(path.hops(0).first_answer().packet_number(), 2u);
  EXPECT_EQ(path.hops(1).router(), "172.16.0.1");
  EXPECT_NEAR(DurationMillis(path.hops(1).rtt()), 2.0, 1e-6);
  EXPECT_EQ(path.hops(2).hop(), 3u);
  EXPECT_EQ(path.hops(2).router(), "*");
  EXPECT_FALSE(path.hops(2).has_first_answer());
  EXPECT_EQ(path.hops(3).hop(), 4u);
  EXPECT_EQ(path.hops(3).router(), "198.51.100.7");
  EXPECT_TRUE(path.hops(3).is_destination());
  EXPECT_EQ(r.packets(0).quoted().probe_packet().packet_number(), 1u);
  EXPECT_EQ(r.packets(0).quoted().probe_packet().timestamp().seconds(), 1700000001);
}

// The capture was taken elsewhere: no probes, so hops are ranked by probe order (dest port).
TEST(IcmpAnalysis, TracerouteWithoutProbesRanksRouters) {
  auto quoted = [](uint16_t port) {
    return Ip4("10.0.0.1", "198.51.100.7", 17, 1, Udp(50000, port, "")).substr(0, 28);
  };
  const auto r =
      Analyze("trace2.pcap",
              {
                  {0.0, Ip4("172.16.0.1", "10.0.0.1", 1, 60, Icmp(11, 0, Be32(0), quoted(33437)))},
                  {0.1, Ip4("10.0.0.254", "10.0.0.1", 1, 64, Icmp(11, 0, Be32(0), quoted(33434)))},
                  {0.2, Ip4("10.0.0.254", "10.0.0.1", 1, 64, Icmp(11, 0, Be32(0), quoted(33435)))},
              });
  ASSERT_EQ(r.statistics().traceroutes_size(), 1);
  const auto& path = r.statistics().traceroutes(0);
  EXPECT_FALSE(path.reached());
  ASSERT_EQ(path.hops_size(), 2);
  EXPECT_EQ(path.hops(0).router(), "10.0.0.254");
  EXPECT_EQ(path.hops(0).probes(), 2u);
  EXPECT_FALSE(path.hops(0).has_rtt());
  EXPECT_EQ(path.hops(1).hop(), 2u);
  EXPECT_EQ(path.hops(1).router(), "172.16.0.1");
}

TEST(IcmpAnalysis, IcmpTracerouteReachedByEchoReply) {
  const auto r = Analyze(
      "trace_icmp.pcap",
      {
          {0.0, Ip4("10.0.0.1", "10.0.0.9", 1, 1, Echo(8, 5, 1, PingData(32)))},
          {0.001, Ip4("10.0.0.254", "10.0.0.1", 1, 64,
                      Icmp(11, 0, Be32(0),
                           Ip4("10.0.0.1", "10.0.0.9", 1, 1, Echo(8, 5, 1, "")).substr(0, 28)))},
          {0.002, Ip4("10.0.0.1", "10.0.0.9", 1, 2, Echo(8, 5, 2, PingData(32)))},
          {0.004, Ip4("10.0.0.9", "10.0.0.1", 1, 63, Echo(0, 5, 2, PingData(32)))},
      });
  ASSERT_EQ(r.statistics().traceroutes_size(), 1);
  const auto& path = r.statistics().traceroutes(0);
  EXPECT_EQ(path.protocol(), "ICMP");
  EXPECT_TRUE(path.reached());
  ASSERT_EQ(path.hops_size(), 2);
  EXPECT_EQ(path.hops(1).router(), "10.0.0.9");
  EXPECT_NEAR(DurationMillis(path.hops(1).rtt()), 2.0, 1e-6);
  EXPECT_EQ(r.packets(1).quoted().icmp_id(), 5u);
  EXPECT_EQ(r.packets(1).quoted().icmp_seq(), 1u);
}

TEST(IcmpAnalysis, Icmpv6EchoAndNeighbourDiscovery) {
  const auto r = Analyze(
      "v6.pcap",
      {
          {0.0, Ip6("fe80::1", "ff02::1:ff00:2", 58, 255, Icmp(135, 0, Be32(0), V6("fe80::2")))},
          {0.1, Ip6("2001:db8::1", "2001:db8::2", 58, 64, Echo(128, 9, 1, PingData()))},
          {0.3, Ip6("2001:db8::2", "2001:db8::1", 58, 64, Echo(129, 9, 1, PingData()))},
      });
  ASSERT_EQ(r.packets_size(), 3);
  EXPECT_EQ(r.packets(0).icmp_type_name(), "Neighbor Solicitation");
  EXPECT_EQ(r.packets(0).ip_version(), 6u);
  EXPECT_FALSE(r.packets(0).has_icmp_id());
  EXPECT_EQ(r.packets(1).icmp_type_name(), "Echo Request");
  EXPECT_EQ(r.packets(2).response_to().packet_number(), 2u);
  EXPECT_NEAR(DurationMillis(r.packets(2).rtt()), 200.0, 1e-6);
  ASSERT_EQ(r.statistics().echo_pairs_size(), 1);
  EXPECT_EQ(r.statistics().echo_pairs(0).protocol(), v1::ICMP_PROTOCOL_ICMPV6);
  EXPECT_EQ(r.statistics().icmp_type_counts().at("ICMPv6 Echo Request"), 1u);
  EXPECT_EQ(r.statistics().unique_sources(0), "2001:db8::1");
}

TEST(IcmpAnalysis, FragmentedEchoIsAnalysedWhole) {
  const std::string data = PingData(2000);
  const std::string msg = Echo(8, 3, 1, data);  // 2008 bytes of ICMP
  const std::string first = msg.substr(0, 1480);
  const std::string second = msg.substr(1480);
  const auto r =
      Analyze("frag.pcap", {
                               {0.0, Ip4("10.0.0.1", "10.0.0.2", 1, 64, first, 77, 0x2000)},
                               {0.0, Ip4("10.0.0.1", "10.0.0.2", 1, 64, second, 77, 1480 / 8)},
                           });
  EXPECT_EQ(r.icmp_packets_found(), 1u);
  ASSERT_EQ(r.packets_size(), 1);
  EXPECT_EQ(r.packets(0).packet_number(), 2u);  // the completing frame
  EXPECT_EQ(r.packets(0).payload_size(), 2000u);
  ASSERT_NE(FindIndicator(r, "icmp_large_echo_payload"), nullptr);
}

TEST(IcmpAnalysis, MalformedMessagesAreAnomaliesNotErrors) {
  const auto r = Analyze(
      "bad.pcap",
      {
          {0.0, Ip4("10.0.0.1", "10.0.0.2", 1, 64, "\x08\x00\x00")},           // 3 bytes
          {0.1, Ip4("10.0.0.3", "10.0.0.1", 1, 64, Icmp(3, 1, Be32(0), ""))},  // empty quote
          {0.2, Ip4("10.0.0.3", "10.0.0.1", 1, 64, Icmp(3, 1, Be32(0), "\x45\x00garbage"))},
          {0.3, Ip4("10.0.0.3", "10.0.0.1", 1, 64, Icmp(11, 0, Be32(0), std::string(40, '\xff')))},
          {0.4, Ip6("2001:db8::1", "2001:db8::2", 58, 64, "\x80")},
          {0.5, Ip4("10.0.0.1", "10.0.0.2", 1, 64, Echo(8, 1, 1, "x"), 1, 0, 400)},  // cut record
      });
  EXPECT_EQ(r.capture().anomalies().at("icmp_truncated"), 1u);
  EXPECT_EQ(r.capture().anomalies().at("icmpv6_truncated"), 1u);
  // The ICMPv4 header cut at 3 bytes is not a message (tshark lists none below 6); the ICMPv6
  // one of 1 byte is, flagged truncated, and so is the echo whose IP length runs past the record.
  EXPECT_EQ(r.icmp_packets_found(), 5u);
  EXPECT_EQ(r.statistics().truncated_messages(), 1u);
  EXPECT_EQ(r.capture().anomalies().at("ipv4_total_length_exceeds_capture"), 1u);
  EXPECT_EQ(r.statistics().unreachable_destinations_count(), 0u);
  EXPECT_TRUE(r.statistics().traceroutes().empty());
  for (const auto& p : r.packets()) EXPECT_TRUE(p.quoted().destination().ip().empty());
}

TEST(IcmpAnalysis, HeadersCutBySnapLengthAreCountedTruncated) {
  // record.sh: IPv4 echoes cut to 4, 6 and 7 bytes of ICMP, a whole pair, ICMPv6 cut to 1 and 4.
  AnalysisInput input;
  input.source = "snapped.pcap";
  input.local_path = std::string(MCPCAP_ICMP_DATA) + "/snapped.pcap";
  absl::StatusOr<v1::AnalyzeIcmpPacketsResponse> r =
      AnalyzeIcmpPackets(input, v1::AnalyzeIcmpPacketsRequest());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->icmp_packets_found(), 6u);  // tshark -Y 'icmp or icmpv6': frames 2-7
  EXPECT_EQ(r->statistics().truncated_messages(), 4u);
  ASSERT_EQ(r->packets_size(), 6);
  std::vector<uint64_t> truncated;
  for (const auto& p : r->packets()) {
    if (p.truncated()) truncated.push_back(p.packet_number());
  }
  EXPECT_EQ(truncated, (std::vector<uint64_t>{2, 3, 6, 7}));
  EXPECT_EQ(r->packets(0).icmp_type(), 8u);
  EXPECT_FALSE(r->packets(0).has_icmp_seq());  // not captured
  EXPECT_EQ(r->packets(4).icmp_type(), 128u);
  EXPECT_EQ(r->packets(4).protocol(), v1::ICMP_PROTOCOL_ICMPV6);
  // Only the whole pair is an echo exchange.
  EXPECT_EQ(r->statistics().echo_requests(), 1u);
  EXPECT_EQ(r->statistics().echo_replies(), 1u);
  EXPECT_EQ(r->packets(2).response_in().packet_number(), 5u);
}

TEST(IcmpAnalysis, RedirectsAreFindings) {
  const std::string quoted = Ip4("10.0.0.5", "8.8.8.8", 17, 64, Udp(1, 53, ""));
  const auto r =
      Analyze("redirect.pcap",
              {
                  {0.0, Ip4("10.0.0.1", "10.0.0.5", 1, 64, Icmp(5, 1, V4("10.0.0.66"), quoted))},
                  {0.1, Ip6("fe80::1", "fe80::5", 58, 255,
                            Icmp(137, 0, Be32(0), V6("fe80::66") + V6("2001:db8::8")))},
              });
  ASSERT_EQ(r.packets_size(), 2);
  EXPECT_EQ(r.packets(0).redirect_gateway(), "10.0.0.66");
  EXPECT_EQ(r.packets(0).icmp_code_name(), "Redirect for Host");
  EXPECT_EQ(r.packets(1).redirect_gateway(), "fe80::66");
  const v1::Finding* f = FindIndicator(r, "icmp_redirect");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(f->examples_size(), 2);
  EXPECT_EQ(f->examples(0).packet_number(), 1u);
  EXPECT_EQ(f->examples(1).packet_number(), 2u);
  EXPECT_EQ(f->examples(1).timestamp().nanos(), 100000000);
  EXPECT_FALSE(f->recommendation().empty());
}

TEST(IcmpAnalysis, PingSweepIsAFinding) {
  std::vector<Timed> pk;
  for (int i = 1; i <= 12; ++i) {
    const std::string dst = "10.1.0." + std::to_string(i);
    pk.push_back({i * 0.01, Ip4("10.0.0.66", dst.c_str(), 1, 64, Echo(8, 1, 1, PingData()))});
  }
  const auto r = Analyze("sweep.pcap", pk, 5);
  const v1::Finding* f = FindIndicator(r, "icmp_ping_sweep");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->severity(), v1::SEVERITY_MEDIUM);
  EXPECT_GT(f->confidence(), 0.5);
  EXPECT_EQ(f->examples_size(), 10);
  // Listings are cut at max_results, totals stay exact.
  EXPECT_EQ(r.packets_size(), 5);
  EXPECT_EQ(r.statistics().echo_pairs_size(), 5);
  EXPECT_EQ(r.statistics().echo_sessions(), 12u);
  EXPECT_EQ(r.statistics().unique_destinations_count(), 12u);
  EXPECT_TRUE(r.capture().truncated());
  EXPECT_THAT(testing::PartialListingNames(r.capture()),
              ::testing::IsSupersetOf({"packets", "statistics.echo_pairs"}));
  EXPECT_TRUE(r.note().empty());  // what the page holds is in partial_listings
}

TEST(IcmpAnalysis, TunnelLikePayloadsAreFindings) {
  const std::string secret = "GET /exfil?data=SGVsbG8gV29ybGQgZnJvbSB0aGUgdHVubmVs HTTP/1.1";
  const auto r = Analyze("tunnel.pcap",
                         {
                             {0.0, Ip4("10.0.0.1", "203.0.113.5", 1, 64, Echo(8, 1, 1, secret))},
                             {0.1, Ip4("203.0.113.5", "10.0.0.1", 1, 64,
                                       Echo(0, 1, 1, "HTTP/1.1 200 OK\r\nX: yyyyyy"))},
                         });
  const v1::Finding* f = FindIndicator(r, "icmp_tunnelling_suspected");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->severity(), v1::SEVERITY_HIGH);
  EXPECT_EQ(FindIndicator(r, "icmp_ping_sweep"), nullptr);
}

TEST(IcmpAnalysis, StandardPingsAreNotTunnels) {
  std::string windows;
  for (int i = 0; i < 32; ++i) windows += static_cast<char>('a' + i % 23);
  const auto r = Analyze(
      "normal.pcap",
      {
          {0.0, Ip4("10.0.0.1", "10.0.0.2", 1, 128, Echo(8, 1, 1, windows))},
          {0.1, Ip4("10.0.0.2", "10.0.0.1", 1, 128, Echo(0, 1, 1, windows))},
          {0.2, Ip4("10.0.0.1", "10.0.0.2", 1, 64, Echo(8, 2, 1, PingData(1000)))},
          {0.3, Ip4("10.0.0.1", "10.0.0.2", 1, 64, Echo(8, 3, 1, std::string(100, '\xaa')))},
      });
  EXPECT_EQ(r.findings_size(), 0);
}

TEST(IcmpAnalysis, FloodIsAFinding) {
  std::vector<Timed> pk;
  for (int i = 0; i < 150; ++i) {
    pk.push_back({0.001 * i, Ip4("10.0.0.1", "10.0.0.2", 1, 64,
                                 Echo(8, 1, static_cast<uint16_t>(i), PingData()))});
  }
  const auto r = Analyze("flood.pcap", pk, 1);
  const v1::Finding* f = FindIndicator(r, "icmp_flood");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->severity(), v1::SEVERITY_MEDIUM);
  EXPECT_EQ(r.statistics().echo_pairs(0).loss_percent(), 100.0);
}

TEST(IcmpAnalysis, NoIcmpGivesANote) {
  const auto r = Analyze("none.pcap", {{0.0, Ip4("10.0.0.1", "10.0.0.2", 17, 64, Udp(1, 2, ""))}});
  EXPECT_EQ(r.icmp_packets_found(), 0u);
  EXPECT_EQ(r.capture().packets_read(), 1u);
  EXPECT_FALSE(r.note().empty());
}

TEST(IcmpAnalysis, MissingFileIsAnError) {
  AnalysisInput input;
  input.source = input.local_path = "/nonexistent/x.pcap";
  EXPECT_FALSE(AnalyzeIcmpPackets(input, v1::AnalyzeIcmpPacketsRequest()).ok());
}

}  // namespace
}  // namespace mcpcap
