// AnalyzeDhcpPackets over hand-built captures: transactions, clients, servers, findings and
// anomalies.
#include <map>
#include <string>
#include <vector>

#include "backend/analysis/dhcp/dhcp.h"
#include "backend/base/proto_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/analysis/dhcp/dhcp_builder.h"
#include "tests/testing/listings.h"

namespace mcpcap {
namespace {

using testing::Be16;
using testing::Be32;
using testing::Bootp;
using testing::BootpFields;
using testing::DhcpIp;
using testing::kEnd;
using testing::MsgType;
using testing::Opt;
using testing::RawCapture;
using testing::Timed;
using testing::V4;
using testing::V6;
using testing::V6Opt;

v1::AnalyzeDhcpPacketsResponse Analyze(const std::string& name, const std::vector<Timed>& packets,
                                       uint32_t max_results = 100) {
  AnalysisInput input;
  input.source = name;
  input.local_path = testing::WriteTempFile(name, RawCapture(packets));
  input.listings.max = max_results;
  absl::StatusOr<v1::AnalyzeDhcpPacketsResponse> r =
      AnalyzeDhcpPackets(input, v1::AnalyzeDhcpPacketsRequest());
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : v1::AnalyzeDhcpPacketsResponse();
}

const v1::Finding* FindIndicator(const v1::AnalyzeDhcpPacketsResponse& r, const std::string& id) {
  for (const v1::Finding& f : r.findings()) {
    if (f.indicator() == id) return &f;
  }
  return nullptr;
}

std::string Client(uint8_t type, uint32_t xid, const std::string& extra = "",
                   const std::string& mac = std::string("\x00\x0c\x29\x12\x34\x56", 6)) {
  BootpFields f;
  f.xid = xid;
  f.chaddr = mac;
  return DhcpIp("0.0.0.0", "255.255.255.255", 68, 67,
                Bootp(f, MsgType(type) + Opt(12, "laptop-01") + Opt(60, "MSFT 5.0") +
                             Opt(61, std::string("\x01", 1) + mac) + extra + kEnd));
}

std::string Server(uint8_t type, uint32_t xid, const char* server, const char* yiaddr,
                   const std::string& extra = "") {
  BootpFields f;
  f.op = 2;
  f.xid = xid;
  f.yiaddr = V4(yiaddr);
  return DhcpIp(
      server, yiaddr, 67, 68,
      Bootp(f, MsgType(type) + Opt(54, V4(server)) + Opt(51, Be32(86400)) +
                   Opt(1, V4("255.255.255.0")) + Opt(3, V4("192.168.1.1") + V4("192.168.1.2")) +
                   Opt(6, V4("1.1.1.1") + V4("8.8.8.8")) + extra + kEnd));
}

TEST(DhcpAnalysis, DoraTransaction) {
  const auto r = Analyze(
      "dora.pcap",
      {
          {0.0, Client(1, 0x1000, Opt(55, "\x01\x03\x06\x0f\x77\x79"))},
          {0.1, Server(2, 0x1000, "192.168.1.1", "192.168.1.100")},
          {0.2, Client(3, 0x1000, Opt(50, V4("192.168.1.100")) + Opt(54, V4("192.168.1.1")))},
          {0.3, Server(5, 0x1000, "192.168.1.1", "192.168.1.100")},
      });
  EXPECT_EQ(r.dhcp_packets_found(), 4u);
  ASSERT_EQ(r.packets_size(), 4);
  const v1::DhcpPacket& d = r.packets(0);
  EXPECT_EQ(d.message_type(), "DISCOVER");
  EXPECT_EQ(d.op(), v1::DHCP_OP_REQUEST);
  EXPECT_EQ(d.source().ip(), "0.0.0.0");
  EXPECT_EQ(d.source().port(), 68u);
  EXPECT_EQ(d.destination().ip(), "255.255.255.255");
  EXPECT_EQ(d.destination().port(), 67u);
  EXPECT_EQ(d.transaction_id(), "0x00001000");
  EXPECT_EQ(d.client_mac(), "00:0c:29:12:34:56");
  EXPECT_EQ(d.hostname(), "laptop-01");
  EXPECT_EQ(d.vendor_class(), "MSFT 5.0");
  EXPECT_EQ(d.client_id(), "01:00:0c:29:12:34:56");
  EXPECT_EQ(d.parameter_request_list_size(), 6);
  EXPECT_EQ(d.parameter_request_list(5), "121 (classless_static_route)");
  EXPECT_FALSE(d.has_lease_time());
  EXPECT_EQ(d.version(), v1::DHCP_VERSION_DHCPV4);
  EXPECT_EQ(d.timestamp().seconds(), 1700000000);  // 2023-11-14T22:13:20Z
  EXPECT_EQ(d.timestamp().nanos(), 0);
  EXPECT_EQ(d.secs(), 3u);  // as the builder writes it
  EXPECT_TRUE(d.has_secs());
  const v1::DhcpPacket& o = r.packets(1);
  EXPECT_EQ(o.message_type(), "OFFER");
  EXPECT_EQ(o.lease_time().seconds(), 86400);
  EXPECT_EQ(o.op(), v1::DHCP_OP_REPLY);
  EXPECT_EQ(o.server_id(), "192.168.1.1");
  EXPECT_EQ(o.subnet_mask(), "255.255.255.0");
  ASSERT_EQ(o.routers_size(), 2);  // the original dropped multi-valued options
  EXPECT_EQ(o.routers(1), "192.168.1.2");
  ASSERT_EQ(o.dns_servers_size(), 2);
  EXPECT_EQ(r.packets(2).requested_ip(), "192.168.1.100");

  const auto& st = r.statistics();
  EXPECT_EQ(st.transaction_count(), 1u);
  ASSERT_EQ(st.transactions_size(), 1);
  const v1::DhcpTransaction& t = st.transactions(0);
  EXPECT_EQ(t.outcome(), v1::DHCP_OUTCOME_ACKNOWLEDGED);
  EXPECT_EQ(t.version(), v1::DHCP_VERSION_DHCPV4);
  EXPECT_EQ(t.steps_size(), 4);
  EXPECT_EQ(t.steps(3).message_type(), "ACK");
  EXPECT_EQ(t.steps(3).timestamp().seconds(), 1700000000);
  EXPECT_EQ(t.steps(3).timestamp().nanos(), 300000000);
  EXPECT_EQ(t.offered_ip(), "192.168.1.100");
  EXPECT_EQ(t.acknowledged_ip(), "192.168.1.100");
  EXPECT_EQ(t.server_id(), "192.168.1.1");
  EXPECT_EQ(t.lease_time().seconds(), 86400);
  EXPECT_NEAR(DurationMillis(t.duration()), 300.0, 1e-6);
  EXPECT_EQ(t.hostname(), "laptop-01");
  EXPECT_EQ(st.unique_clients(0), "00:0c:29:12:34:56");
  EXPECT_EQ(st.unique_servers(0), "192.168.1.1");
  ASSERT_EQ(st.clients_size(), 1);
  EXPECT_EQ(st.clients(0).hostname(), "laptop-01");
  EXPECT_EQ(st.clients(0).addresses(0), "192.168.1.100");
  ASSERT_EQ(st.servers_size(), 1);
  EXPECT_EQ(st.servers(0).offers(), 1u);
  EXPECT_EQ(st.servers(0).acks(), 1u);
  EXPECT_EQ(st.message_type_counts().at("DISCOVER"), 1u);
  EXPECT_EQ(r.findings_size(), 0);
  EXPECT_TRUE(r.capture().anomalies().empty());
}

TEST(DhcpAnalysis, TwoOfferingServersAreARogueSignal) {
  const auto r = Analyze("rogue.pcap", {
                                           {0.0, Client(1, 0x2000)},
                                           {0.1, Server(2, 0x2000, "192.168.1.1", "192.168.1.100")},
                                           {0.1, Server(2, 0x2000, "10.66.0.1", "10.66.0.50")},
                                           {0.2, Client(3, 0x2000, Opt(54, V4("10.66.0.1")))},
                                           {0.3, Server(5, 0x2000, "10.66.0.1", "10.66.0.50")},
                                       });
  const v1::Finding* f = FindIndicator(r, "dhcp_rogue_server_suspected");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->severity(), v1::SEVERITY_HIGH);
  EXPECT_EQ(f->evidence_size(), 2);
  EXPECT_EQ(r.statistics().unique_servers_count(), 2u);
  EXPECT_EQ(r.statistics().transactions(0).server_id(), "10.66.0.1");
  EXPECT_EQ(r.statistics().transactions(0).offered_ip(), "192.168.1.100");  // the first offer
}

TEST(DhcpAnalysis, NakAndDeclineAreHighlighted) {
  const auto r = Analyze(
      "nak.pcap",
      {
          {0.0, Client(3, 0x3000, Opt(50, V4("192.168.77.5")))},
          {0.1, Server(6, 0x3000, "192.168.1.1", "0.0.0.0", Opt(56, "wrong network"))},
          {1.0, Client(4, 0x3001, Opt(50, V4("192.168.1.100")) + Opt(54, V4("192.168.1.1")))},
          {2.0, Client(7, 0x3002)},
          {3.0, Client(1, 0x3003)},
      });
  const auto& st = r.statistics();
  ASSERT_EQ(st.transactions_size(), 4);
  EXPECT_EQ(st.transactions(0).outcome(), v1::DHCP_OUTCOME_NAK);
  EXPECT_EQ(st.transactions(1).outcome(), v1::DHCP_OUTCOME_DECLINED);
  EXPECT_EQ(st.transactions(2).outcome(), v1::DHCP_OUTCOME_RELEASED);
  EXPECT_EQ(st.transactions(3).outcome(), v1::DHCP_OUTCOME_NO_OFFER);
  EXPECT_FALSE(st.transactions(3).has_lease_time());
  EXPECT_EQ(r.packets(1).message(), "wrong network");
  const v1::Finding* nak = FindIndicator(r, "dhcp_nak");
  ASSERT_NE(nak, nullptr);
  ASSERT_EQ(nak->examples_size(), 1);
  EXPECT_EQ(nak->examples(0).packet_number(), 2u);
  EXPECT_EQ(nak->examples(0).timestamp().seconds(), 1700000000);
  EXPECT_EQ(nak->examples(0).timestamp().nanos(), 100000000);
  ASSERT_NE(FindIndicator(r, "dhcp_decline"), nullptr);
  EXPECT_EQ(st.servers(0).naks(), 1u);
}

TEST(DhcpAnalysis, MalformedOptionsAreNamedAnomalies) {
  BootpFields f;
  const auto r = Analyze(
      "bad.pcap",
      {
          {0.0, DhcpIp("0.0.0.0", "255.255.255.255", 68, 67, Bootp(f, MsgType(1) + "\x0c\x20xy"))},
          {0.1, DhcpIp("0.0.0.0", "255.255.255.255", 68, 67, Bootp(f, MsgType(1) + Opt(1, "abc")))},
          {0.2, DhcpIp("0.0.0.0", "255.255.255.255", 68, 67, std::string(100, '\x01'))},
          {0.3, DhcpIp("0.0.0.0", "255.255.255.255", 68, 67,
                       Bootp(f, MsgType(1) + Opt(119, "\xc0\x00") + kEnd))},
      });
  const auto& a = r.capture().anomalies();
  EXPECT_EQ(a.at("dhcp_option_truncated"), 1u);
  EXPECT_EQ(a.at("dhcp_option_bad_length"), 1u);
  EXPECT_EQ(a.at("dhcp_option_end_missing"), 1u);
  EXPECT_EQ(a.at("dhcp_truncated"), 1u);
  EXPECT_EQ(a.at("dhcp_option_bad_value"), 1u);
  // The 100-byte payload is a BOOTP header cut short: counted (as tshark does), flagged.
  EXPECT_EQ(r.dhcp_packets_found(), 4u);
  ASSERT_EQ(r.packets_size(), 4);
  EXPECT_EQ(r.packets(0).anomalies(0), "dhcp_option_truncated");
  EXPECT_EQ(r.packets(1).options(1).hex(), "61:62:63");
  EXPECT_TRUE(r.packets(1).options(1).values().empty());
}

TEST(DhcpAnalysis, PlainBootpAndRelayInformation) {
  BootpFields f;
  f.magic = false;
  BootpFields relayed;
  relayed.giaddr = V4("10.0.0.1");
  const std::string agent = std::string(
      "\x01\x04"
      "eth0\x02\x02\xaa\xbb",
      10);
  const auto r = Analyze(
      "bootp.pcap",
      {
          {0.0, DhcpIp("0.0.0.0", "255.255.255.255", 68, 67, Bootp(f, std::string(64, '\0')))},
          {0.1, DhcpIp("10.0.0.1", "10.0.0.2", 67, 67,
                       Bootp(relayed, MsgType(1) + Opt(82, agent) + kEnd))},
      });
  ASSERT_EQ(r.packets_size(), 2);
  EXPECT_EQ(r.packets(0).message_type(), "BOOTREQUEST");
  EXPECT_EQ(r.packets(0).message_type_code(), 0u);
  EXPECT_EQ(r.statistics().bootp_packets(), 1u);
  EXPECT_EQ(r.packets(1).relay_ip(), "10.0.0.1");
  EXPECT_EQ(r.packets(1).relay_circuit_id(), "65:74:68:30");
  EXPECT_EQ(r.packets(1).relay_remote_id(), "aa:bb");
}

TEST(DhcpAnalysis, Dhcpv6Messages) {
  const std::string duid = testing::Be16(3) + Be16(1) + std::string("\x02\x00\x00\x00\x00\x01", 6);
  const std::string sduid = Be16(3) + Be16(1) + std::string("\x02\x00\x00\x00\x00\xfe", 6);
  const std::string ia =
      V6Opt(3, Be32(1) + Be32(0) + Be32(0) + V6Opt(5, V6("fd00::17") + Be32(3600) + Be32(7200)));
  auto udp6 = [](const char* s, const char* d, uint16_t sp, uint16_t dp, const std::string& m) {
    return testing::Ip6(s, d, 17, 64, testing::Udp(sp, dp, m));
  };
  const auto r = Analyze(
      "v6.pcap",
      {
          {0.0, udp6("fe80::1", "ff02::1:2", 546, 547,
                     std::string("\x01\x00\x00\x07", 4) + V6Opt(1, duid) + V6Opt(6, Be16(23)))},
          {0.1, udp6("fe80::fe", "fe80::1", 547, 546,
                     std::string("\x02\x00\x00\x07", 4) + V6Opt(1, duid) + V6Opt(2, sduid) + ia +
                         V6Opt(23, V6("fd00::53")))},
          {0.2, udp6("fe80::1", "ff02::1:2", 546, 547,
                     std::string("\x03\x00\x00\x08", 4) + V6Opt(1, duid) + V6Opt(2, sduid) + ia)},
          {0.3, udp6("fe80::fe", "fe80::1", 547, 546,
                     std::string("\x07\x00\x00\x08", 4) + V6Opt(1, duid) + V6Opt(2, sduid) + ia)},
      });
  ASSERT_EQ(r.packets_size(), 4);
  EXPECT_EQ(r.packets(0).version(), v1::DHCP_VERSION_DHCPV6);
  EXPECT_EQ(r.packets(0).op(), v1::DHCP_OP_REQUEST);
  EXPECT_FALSE(r.packets(0).has_secs());
  EXPECT_EQ(r.packets(0).message_type(), "SOLICIT");
  EXPECT_EQ(r.packets(0).transaction_id(), "0x000007");
  EXPECT_EQ(r.packets(0).client_mac(), "02:00:00:00:00:01");
  EXPECT_EQ(r.packets(1).assigned_addresses(0), "fd00::17");
  EXPECT_EQ(r.packets(1).dns_servers(0), "fd00::53");
  EXPECT_EQ(r.packets(1).server_id(), "DUID-LL 00:03:00:01:02:00:00:00:00:fe");
  const auto& st = r.statistics();
  EXPECT_EQ(st.dhcpv6_packets(), 4u);
  EXPECT_EQ(st.message_type_counts().at("DHCPv6 REPLY"), 1u);
  ASSERT_EQ(st.transactions_size(), 2);
  EXPECT_EQ(st.transactions(0).outcome(), v1::DHCP_OUTCOME_OFFERED_NOT_REQUESTED);
  EXPECT_EQ(st.transactions(1).outcome(), v1::DHCP_OUTCOME_ACKNOWLEDGED);
  EXPECT_EQ(st.transactions(1).version(), v1::DHCP_VERSION_DHCPV6);
  EXPECT_EQ(st.transactions(1).acknowledged_ip(), "fd00::17");
  EXPECT_EQ(st.clients(0).addresses(0), "fd00::17");
}

TEST(DhcpAnalysis, StarvationAndListingLimits) {
  std::vector<Timed> pk;
  for (int i = 0; i < 60; ++i) {
    std::string mac("\x02\x00\x00\x00\x00\x00", 6);
    mac[5] = static_cast<char>(i);
    pk.push_back({0.01 * i, Client(1, 0x5000 + static_cast<uint32_t>(i), "", mac)});
  }
  const auto r = Analyze("starve.pcap", pk, 10);
  ASSERT_NE(FindIndicator(r, "dhcp_starvation_suspected"), nullptr);
  EXPECT_EQ(r.packets_size(), 10);
  EXPECT_EQ(r.dhcp_packets_found(), 60u);
  EXPECT_EQ(r.statistics().unique_clients_count(), 60u);
  EXPECT_EQ(r.statistics().unique_clients_size(), 10);
  EXPECT_EQ(r.statistics().transaction_count(), 60u);
  EXPECT_EQ(r.statistics().transactions_size(), 10);
  EXPECT_TRUE(r.capture().truncated());
  // What the page holds is said in partial_listings; the note stays the same on every page.
  EXPECT_THAT(testing::PartialListingNames(r.capture()),
              ::testing::IsSupersetOf({"packets", "statistics.transactions"}));
  EXPECT_TRUE(r.note().empty());
}

TEST(DhcpAnalysis, FragmentedDhcpIsAnalysedWhole) {
  const std::string big = std::string(1200, '\0');
  const std::string udp = testing::Udp(67, 68,
                                       Bootp({}, MsgType(1) + Opt(43, std::string(250, 'v')) +
                                                     Opt(43, std::string(250, 'w')) + kEnd + big));
  const auto r = Analyze(
      "frag.pcap",
      {
          {0.0, testing::Ip4("10.0.0.1", "10.0.0.2", 17, 64, udp.substr(0, 800), 9, 0x2000)},
          {0.0, testing::Ip4("10.0.0.1", "10.0.0.2", 17, 64, udp.substr(800), 9, 100)},
      });
  ASSERT_EQ(r.packets_size(), 1);
  EXPECT_EQ(r.packets(0).packet_number(), 2u);
  EXPECT_EQ(r.packets(0).options(1).hex().size(), 500u * 3 - 1);  // joined (RFC 3396)
}

TEST(DhcpAnalysis, NoDhcpGivesANote) {
  const auto r =
      Analyze("none.pcap",
              {{0.0, testing::Ip4("10.0.0.1", "10.0.0.2", 17, 64, testing::Udp(53, 53, "x"))}});
  EXPECT_EQ(r.dhcp_packets_found(), 0u);
  EXPECT_FALSE(r.note().empty());
}

v1::AnalyzeDhcpPacketsResponse AnalyzeData(const std::string& name) {
  AnalysisInput input;
  input.source = name;
  input.local_path = std::string(MCPCAP_DHCP_DATA) + "/" + name;
  input.listings.max = 100;
  absl::StatusOr<v1::AnalyzeDhcpPacketsResponse> r =
      AnalyzeDhcpPackets(input, v1::AnalyzeDhcpPacketsRequest());
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : v1::AnalyzeDhcpPacketsResponse();
}

// data/generate.py: plain BOOTP, a BOOTP header cut by the snap length, proxyDHCP on port 4011.
TEST(DhcpAnalysis, BootpWithoutOption53IsCountedAsBootp) {
  const auto r = AnalyzeData("bootp.pcap");
  // Frame 4 is cut inside the client hardware address: tshark lists no BOOTP there either.
  ASSERT_EQ(r.packets_size(), 5);
  EXPECT_EQ(r.dhcp_packets_found(), 5u);
  std::map<uint64_t, const v1::DhcpPacket*> by_frame;
  for (const auto& p : r.packets()) by_frame[p.packet_number()] = &p;
  ASSERT_TRUE(by_frame.count(1) && by_frame.count(2) && by_frame.count(3));
  EXPECT_EQ(by_frame[1]->message_type(), "BOOTREQUEST");
  EXPECT_EQ(by_frame[1]->op(), v1::DHCP_OP_REQUEST);
  EXPECT_EQ(by_frame[2]->message_type(), "BOOTREPLY");
  EXPECT_EQ(by_frame[2]->op(), v1::DHCP_OP_REPLY);
  EXPECT_EQ(by_frame[2]->your_ip(), "192.0.2.50");
  EXPECT_EQ(by_frame[2]->sname(), "bootserver");
  EXPECT_EQ(by_frame[2]->message_type_code(), 0u);
  // Cut after 100 bytes of header: still a BOOTP request, flagged.
  EXPECT_EQ(by_frame[3]->message_type(), "BOOTREQUEST");
  EXPECT_EQ(by_frame[3]->client_mac(), "02:00:00:00:01:0a");
  EXPECT_THAT(by_frame[3]->anomalies(), ::testing::Contains("dhcp_truncated"));
  EXPECT_FALSE(by_frame.count(4));
  ASSERT_TRUE(by_frame.count(5) && by_frame.count(6));
  EXPECT_EQ(by_frame[5]->message_type(), "REQUEST");
  EXPECT_EQ(by_frame[6]->message_type(), "ACK");
  const auto& st = r.statistics();
  EXPECT_EQ(st.bootp_packets(), 3u);
  EXPECT_EQ(st.dhcpv4_packets(), 2u);
  EXPECT_EQ(st.message_type_counts().at("BOOTREQUEST"), 2u);
  EXPECT_EQ(st.message_type_counts().at("BOOTREPLY"), 1u);
  EXPECT_FALSE(st.has_dhcpv6());
  // The BOOTP exchange is a transaction whose reply assigned an address.
  bool bootp_acknowledged = false;
  for (const auto& t : st.transactions()) {
    if (t.transaction_id() == "0x00001001") {
      bootp_acknowledged =
          t.outcome() == v1::DHCP_OUTCOME_ACKNOWLEDGED && t.acknowledged_ip() == "192.0.2.50";
    }
  }
  EXPECT_TRUE(bootp_acknowledged);
}

// data/generate.py: DHCPv6 through a relay, every client message type, NoAddrsAvail.
TEST(DhcpAnalysis, Dhcpv6InItsOwnTerms) {
  const auto r = AnalyzeData("dhcpv6_relay.pcap");
  EXPECT_EQ(r.dhcp_packets_found(), 32u);
  const v1::Dhcpv6Statistics& v6 = r.statistics().dhcpv6();
  // Every message is seen twice: between client and relay, and relayed.
  EXPECT_EQ(v6.message_type_counts().at("SOLICIT"), 4u);
  EXPECT_EQ(v6.message_type_counts().at("REPLY"), 12u);
  for (const char* type :
       {"ADVERTISE", "REQUEST", "RENEW", "REBIND", "CONFIRM", "DECLINE", "INFORMATION-REQUEST"}) {
    EXPECT_TRUE(v6.message_type_counts().count(type)) << type;
  }
  EXPECT_EQ(v6.relayed_messages(), 16u);
  EXPECT_EQ(v6.transaction_count(), 8u);
  ASSERT_EQ(v6.clients_count(), 2u);
  ASSERT_EQ(v6.clients_size(), 2);
  const v1::Dhcpv6Client& c = v6.clients(1);  // "DUID-LLT ..." sorts after "DUID-LL ..."
  EXPECT_THAT(c.duid(), ::testing::StartsWith("DUID-LLT "));
  EXPECT_EQ(c.mac(), "02:00:00:00:01:0a");
  EXPECT_THAT(c.addresses(), ::testing::ElementsAre("2001:db8:1::100"));
  EXPECT_THAT(c.prefixes(), ::testing::ElementsAre("2001:db8:100::/56"));
  EXPECT_EQ(c.message_type_counts().at("SOLICIT"), 2u);
  ASSERT_EQ(v6.servers_size(), 1);
  EXPECT_EQ(v6.servers(0).duid(), "DUID-LL 00:03:00:01:02:00:00:00:01:01");
  EXPECT_EQ(v6.servers(0).advertises(), 4u);
  EXPECT_EQ(v6.status_codes().at("NoAddrsAvail"), 2u);
  EXPECT_EQ(v6.status_codes().at("Success"), 4u);
  // The first lease: the address offered in the first ADVERTISE, with its IA and lifetimes.
  const v1::Dhcpv6Lease* offered = nullptr;
  for (const auto& l : v6.leases()) {
    if (l.kind() == v1::DHCPV6_LEASE_KIND_OFFERED && offered == nullptr) offered = &l;
  }
  ASSERT_NE(offered, nullptr);
  EXPECT_EQ(offered->packet_number(), 3u);
  EXPECT_EQ(offered->address(), "2001:db8:1::100");
  EXPECT_TRUE(offered->has_timestamp());
  EXPECT_EQ(offered->ia(), v1::DHCPV6_IA_TYPE_IA_NA);
  EXPECT_EQ(offered->iaid(), 1u);
  EXPECT_EQ(offered->preferred_lifetime().seconds(), 3600);
  EXPECT_EQ(offered->valid_lifetime().seconds(), 7200);
  EXPECT_EQ(offered->transaction_id(), "0x000010");
}

}  // namespace
}  // namespace mcpcap
