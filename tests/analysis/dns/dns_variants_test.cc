// Unicast DNS, mDNS and LLMNR kept apart, on data/mdns_mixed.pcap (make_mdns_mixed.sh: dnsmasq,
// dig, two avahi-daemons probing with ANY, an LLMNR responder, all in namespaces). The ANY
// indicator counts unicast DNS only, multicast groups are never clients or servers, and the
// extremes name their packets; counts are compared with tshark.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "backend/analysis/dns/dns.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/tshark.h"

namespace mcpcap {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;

const std::string kCapture = std::string(MCPCAP_DNS_TEST_DATA) + "/mdns_mixed.pcap";

v1::AnalyzeDnsPacketsResponse Analyze(const std::string& filter = "") {
  AnalysisInput input;
  input.source = "mdns_mixed.pcap";
  input.local_path = kCapture;
  input.listings.max = 100;
  input.bpf_filter = filter;
  v1::AnalyzeDnsPacketsRequest request;
  request.set_pcap_file(input.source);
  auto result = AnalyzeDnsPackets(input, request);
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? *result : v1::AnalyzeDnsPacketsResponse();
}

const v1::Finding* FindingOf(const v1::AnalyzeDnsPacketsResponse& r, const std::string& id) {
  for (const v1::Finding& f : r.findings()) {
    if (f.indicator() == id) return &f;
  }
  return nullptr;
}

const v1::DnsVariantStatistics* VariantOf(const v1::AnalyzeDnsPacketsResponse& r,
                                          v1::DnsVariant v) {
  for (const auto& s : r.statistics().by_variant()) {
    if (s.variant() == v) return &s;
  }
  return nullptr;
}

bool IsGroup(const std::string& ip) {
  return ip == "224.0.0.251" || ip == "224.0.0.252" || ip.rfind("ff0", 0) == 0;
}

double Ms(const google::protobuf::Duration& d) {
  return static_cast<double>(d.seconds()) * 1e3 + d.nanos() / 1e6;
}

// tshark's view of every message: frame, sender, ports, response flag, question types, dns.time,
// dns.response_to, UDP length.
struct TsharkMessage {
  uint64_t frame = 0;
  std::string src;
  int sport = 0, dport = 0;
  bool response = false;
  std::vector<int> qtypes;
  double time_s = -1;
  uint64_t response_to = 0;
  int udp_length = 0;
  bool Port(int p) const { return sport == p || dport == p; }
};

std::vector<TsharkMessage> TsharkMessages() {
  std::vector<TsharkMessage> out;
  for (const auto& row : testing::TsharkFields(
           kCapture,
           "-Y 'dns or mdns or llmnr' -E aggregator=';' -e frame.number -e ip.src -e ipv6.src "
           "-e udp.srcport -e udp.dstport -e dns.flags.response -e dns.qry.type -e dns.time "
           "-e dns.response_to -e udp.length")) {
    if (row.size() < 10) continue;
    TsharkMessage m;
    if (!absl::SimpleAtoi(row[0], &m.frame)) continue;
    m.src = !row[1].empty() ? row[1] : row[2];
    (void)absl::SimpleAtoi(row[3], &m.sport);
    (void)absl::SimpleAtoi(row[4], &m.dport);
    m.response = row[5] == "1" || row[5] == "True";
    for (absl::string_view t : absl::StrSplit(row[6], ';', absl::SkipEmpty())) {
      int v = 0;
      if (absl::SimpleAtoi(t, &v)) m.qtypes.push_back(v);
    }
    if (!row[7].empty()) (void)absl::SimpleAtod(row[7], &m.time_s);
    (void)absl::SimpleAtoi(row[8], &m.response_to);
    (void)absl::SimpleAtoi(row[9], &m.udp_length);
    out.push_back(m);
  }
  return out;
}

TEST(DnsVariants, AnyFindingCountsUnicastDnsOnly) {
  const auto r = Analyze();
  const v1::Finding* f = FindingOf(r, "dns_unusual_record_types");
  ASSERT_NE(f, nullptr);
  // dig sent 5 ANY of 9 unicast questions; both avahi-daemons probed with ANY over mDNS.
  EXPECT_THAT(f->evidence(), Contains(HasSubstr("ANY questions in unicast DNS queries: 5 of 9")));
  EXPECT_THAT(f->evidence(), Contains(HasSubstr("ANY sent by: 10.77.0.2 (5)")));
  const v1::DnsVariantStatistics* mdns = VariantOf(r, v1::DNS_VARIANT_MDNS);
  ASSERT_NE(mdns, nullptr);
  const uint64_t mdns_any = mdns->query_types().at("ANY");
  EXPECT_GE(mdns_any, 12u);  // 3 probes of at least 2 names by each daemon
  EXPECT_THAT(f->evidence(), Contains(HasSubstr("not counted: " + std::to_string(mdns_any) +
                                                " mDNS and 0 LLMNR")));
  // Every example is one of dig's ANY queries.
  std::set<uint64_t> unicast_any;
  const auto tshark = TsharkMessages();
  if (!tshark.empty()) {
    uint64_t tshark_mdns_any = 0;
    for (const TsharkMessage& m : tshark) {
      for (int t : m.qtypes) {
        if (t != 255 || m.response) continue;
        if (m.Port(53)) unicast_any.insert(m.frame);
        if (m.Port(5353)) ++tshark_mdns_any;
      }
    }
    EXPECT_EQ(unicast_any.size(), 5u);
    EXPECT_EQ(mdns_any, tshark_mdns_any);
    ASSERT_EQ(f->examples_size(), 5);
    for (const auto& e : f->examples()) EXPECT_TRUE(unicast_any.count(e.packet_number()));
  }
}

TEST(DnsVariants, MdnsProbesAloneAreNoFinding) {
  // Only the mDNS traffic: dozens of ANY questions, none of them reconnaissance.
  const auto r = Analyze("udp port 5353");
  EXPECT_EQ(FindingOf(r, "dns_unusual_record_types"), nullptr);
  ASSERT_EQ(r.statistics().by_variant_size(), 1);
  EXPECT_EQ(r.statistics().by_variant(0).variant(), v1::DNS_VARIANT_MDNS);
  EXPECT_GE(r.statistics().query_types().at("ANY"), 12u);
  // mDNS answers are not paired: the pairing figures are unknown, not 0.
  EXPECT_FALSE(r.statistics().by_variant(0).has_answered_queries());
  EXPECT_FALSE(r.statistics().by_variant(0).has_unanswered_queries());
}

TEST(DnsVariants, MulticastGroupsAreNeverClientsOrServers) {
  const auto r = Analyze();
  std::set<std::string> clients, servers;
  for (const auto& c : r.statistics().top_clients()) clients.insert(c.name());
  for (const auto& s : r.statistics().top_servers()) servers.insert(s.name());
  for (const std::string& c : clients) EXPECT_FALSE(IsGroup(c)) << c;
  for (const std::string& s : servers) EXPECT_FALSE(IsGroup(s)) << s;
  EXPECT_TRUE(clients.count("10.77.0.2"));
  EXPECT_TRUE(servers.count("10.77.0.1"));
  const auto tshark = TsharkMessages();
  if (tshark.empty()) GTEST_SKIP() << "tshark not available";
  // The clients are exactly the senders of queries, each counted once per query.
  std::map<std::string, uint64_t> senders;
  for (const TsharkMessage& m : tshark) {
    if (!m.response) ++senders[m.src];
  }
  std::map<std::string, uint64_t> ours;
  for (const auto& c : r.statistics().top_clients()) ours[c.name()] = c.count();
  EXPECT_EQ(ours, senders);
}

TEST(DnsVariants, PerVariantCountsAgreeWithTshark) {
  const auto r = Analyze();
  const v1::DnsVariantStatistics* dns = VariantOf(r, v1::DNS_VARIANT_DNS);
  const v1::DnsVariantStatistics* mdns = VariantOf(r, v1::DNS_VARIANT_MDNS);
  const v1::DnsVariantStatistics* llmnr = VariantOf(r, v1::DNS_VARIANT_LLMNR);
  ASSERT_TRUE(dns && mdns && llmnr);
  EXPECT_EQ(dns->queries(), 9u);
  EXPECT_EQ(dns->answered_queries(), 9u);
  EXPECT_EQ(dns->unanswered_queries(), 0u);
  EXPECT_EQ(dns->query_types().at("ANY"), 5u);
  EXPECT_EQ(dns->clients(), 1u);
  // LLMNR: "probe-b" answered from the responder's unicast address, "nobody" left unanswered.
  EXPECT_EQ(llmnr->queries(), 2u);
  EXPECT_EQ(llmnr->responses(), 1u);
  EXPECT_EQ(llmnr->answered_queries(), 1u);
  EXPECT_EQ(llmnr->unanswered_queries(), 1u);
  EXPECT_FALSE(mdns->has_answered_queries());
  EXPECT_EQ(dns->queries() + mdns->queries() + llmnr->queries(), r.statistics().queries());
  EXPECT_EQ(dns->responses() + mdns->responses() + llmnr->responses(), r.statistics().responses());
  const auto tshark = TsharkMessages();
  if (tshark.empty()) GTEST_SKIP() << "tshark not available";
  std::map<int, std::pair<uint64_t, uint64_t>> by_port;  // port -> queries, responses
  for (const TsharkMessage& m : tshark) {
    for (int p : {53, 5353, 5355}) {
      if (m.Port(p)) (m.response ? by_port[p].second : by_port[p].first) += 1;
    }
  }
  EXPECT_EQ(dns->queries(), by_port[53].first);
  EXPECT_EQ(dns->responses(), by_port[53].second);
  EXPECT_EQ(mdns->queries(), by_port[5353].first);
  EXPECT_EQ(mdns->responses(), by_port[5353].second);
  EXPECT_EQ(llmnr->queries(), by_port[5355].first);
  EXPECT_EQ(llmnr->responses(), by_port[5355].second);
}

TEST(DnsVariants, ExtremesNameTheirPackets) {
  const auto r = Analyze();
  const v1::DnsStatistics& st = r.statistics();
  ASSERT_TRUE(st.has_slowest_response());
  const v1::DnsExchange& slow = st.slowest_response();
  // The python upstream behind dnsmasq answers slow.test after 400 ms.
  EXPECT_EQ(slow.name(), "slow.test");
  EXPECT_EQ(slow.variant(), v1::DNS_VARIANT_DNS);
  EXPECT_EQ(slow.client().ip(), "10.77.0.2");
  EXPECT_EQ(slow.server().ip(), "10.77.0.1");
  EXPECT_GE(Ms(slow.response_time()), 400.0);
  EXPECT_NEAR(Ms(slow.response_time()), Ms(st.latency().max()), 1e-6);
  ASSERT_TRUE(st.has_largest_response());
  const v1::DnsExchange& big = st.largest_response();
  const auto tshark = TsharkMessages();
  if (tshark.empty()) GTEST_SKIP() << "tshark not available";
  // tshark's slowest paired unicast DNS response (it also pairs mDNS announcements with probes
  // by id 0, which we do not).
  const TsharkMessage* slowest = nullptr;
  const TsharkMessage* largest = nullptr;
  for (const TsharkMessage& m : tshark) {
    if (m.response && m.Port(53) && m.time_s >= 0 && (!slowest || m.time_s > slowest->time_s)) {
      slowest = &m;
    }
    if (m.response && (!largest || m.udp_length > largest->udp_length)) largest = &m;
  }
  ASSERT_TRUE(slowest && largest);
  EXPECT_EQ(slow.response().packet_number(), slowest->frame);
  EXPECT_EQ(slow.query().packet_number(), slowest->response_to);
  EXPECT_NEAR(Ms(slow.response_time()), slowest->time_s * 1e3, 1e-3);
  EXPECT_EQ(big.response().packet_number(), largest->frame);
  EXPECT_EQ(big.response_size(), static_cast<uint32_t>(largest->udp_length - 8));
  // The largest is an avahi announcement: mDNS, unasked, so no query to name.
  EXPECT_EQ(big.variant(), v1::DNS_VARIANT_MDNS);
  EXPECT_FALSE(big.has_query());
}

}  // namespace
}  // namespace mcpcap
