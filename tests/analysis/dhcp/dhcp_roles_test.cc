// Roles follow the protocol and outcomes name the real end, on captures of a real dnsmasq
// (data/make_roles.sh): dhclient -6 over a veth pair (the client is the port 546 side, never
// the ff02::1:2 group it sends to), and a DHCPv4 transaction acknowledged and then declined (the
// declining client is a python script: no real client declines on demand). The outcome rules
// are also checked message by message.
#include <map>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "backend/analysis/dhcp/dhcp.h"
#include "backend/analysis/dhcp/dhcp_state.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/tshark.h"

namespace mcpcap {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;

const std::string kDir = MCPCAP_DHCP_DATA;

v1::AnalyzeDhcpPacketsResponse Analyze(const std::string& name) {
  AnalysisInput input;
  input.source = name;
  input.local_path = kDir + "/" + name;
  input.listings.max = 100;
  absl::StatusOr<v1::AnalyzeDhcpPacketsResponse> r =
      AnalyzeDhcpPackets(input, v1::AnalyzeDhcpPacketsRequest());
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : v1::AnalyzeDhcpPacketsResponse();
}

constexpr char kClient6[] = "fe80::66:ff:fe00:2";
constexpr char kServer6[] = "fe80::66:ff:fe00:1";

TEST(DhcpRoles, Dhcpv6ClientIsThePort546Side) {
  const auto r = Analyze("dhcpv6_veth.pcap");
  ASSERT_EQ(r.packets_size(), 6);
  const v1::DhcpPacket& solicit = r.packets(0);
  EXPECT_EQ(solicit.message_type(), "SOLICIT");
  EXPECT_EQ(solicit.destination().ip(), "ff02::1:2");
  EXPECT_EQ(solicit.sender_role(), v1::DHCP_ROLE_CLIENT);
  EXPECT_EQ(solicit.client().ip(), kClient6);
  EXPECT_EQ(solicit.client().port(), 546u);
  EXPECT_FALSE(solicit.has_server());  // sent to the group: no one server named
  const v1::DhcpPacket& advertise = r.packets(1);
  EXPECT_EQ(advertise.sender_role(), v1::DHCP_ROLE_SERVER);
  EXPECT_EQ(advertise.client().ip(), kClient6);
  EXPECT_EQ(advertise.server().ip(), kServer6);
  EXPECT_EQ(advertise.server().port(), 547u);
  for (const auto& p : r.packets()) {
    EXPECT_EQ(p.client().ip(), kClient6) << p.packet_number();
    EXPECT_EQ(p.sender_role(),
              p.op() == v1::DHCP_OP_REQUEST ? v1::DHCP_ROLE_CLIENT : v1::DHCP_ROLE_SERVER);
  }
  const auto& v6 = r.statistics().dhcpv6();
  ASSERT_EQ(v6.clients_size(), 1);
  EXPECT_EQ(v6.clients(0).ip(), kClient6);
  ASSERT_EQ(v6.servers_size(), 1);
  EXPECT_EQ(v6.servers(0).ip(), kServer6);
  // SOLICIT/ADVERTISE, REQUEST/REPLY, RELEASE/REPLY: three transactions, each of the client.
  const auto& ts = r.statistics().transactions();
  ASSERT_EQ(ts.size(), 3);
  EXPECT_EQ(ts[0].outcome(), v1::DHCP_OUTCOME_OFFERED_NOT_REQUESTED);
  EXPECT_EQ(ts[1].outcome(), v1::DHCP_OUTCOME_ACKNOWLEDGED);
  EXPECT_EQ(ts[2].outcome(), v1::DHCP_OUTCOME_RELEASED);
  for (const auto& t : ts) EXPECT_EQ(t.client().ip(), kClient6);

  // tshark: the port 546 side of every message is our client.
  const auto rows = testing::TsharkFields(
      kDir + "/dhcpv6_veth.pcap",
      "-Y dhcpv6 -e frame.number -e ipv6.src -e ipv6.dst -e udp.srcport -e dhcpv6.msgtype");
  if (rows.empty()) GTEST_SKIP() << "tshark not available";
  ASSERT_EQ(rows.size(), 6u);
  for (size_t i = 0; i < rows.size(); ++i) {
    ASSERT_GE(rows[i].size(), 5u);
    const std::string side546 = rows[i][3] == "546" ? rows[i][1] : rows[i][2];
    EXPECT_EQ(r.packets(i).client().ip(), side546) << rows[i][0];
    EXPECT_EQ(std::to_string(r.packets(i).message_type_code()), rows[i][4]);
  }
}

TEST(DhcpRoles, AckThenDeclineIsDeclined) {
  const auto r = Analyze("ack_decline.pcap");
  const auto& ts = r.statistics().transactions();
  ASSERT_EQ(ts.size(), 2);
  const v1::DhcpTransaction& declined = ts[0];
  EXPECT_EQ(declined.transaction_id(), "0x0d5c0001");
  std::vector<std::string> steps;
  for (const auto& s : declined.steps()) steps.push_back(s.message_type());
  EXPECT_EQ(steps, (std::vector<std::string>{"DISCOVER", "OFFER", "REQUEST", "ACK", "DECLINE"}));
  EXPECT_EQ(declined.outcome(), v1::DHCP_OUTCOME_DECLINED);
  ASSERT_FALSE(declined.acknowledged_ip().empty());
  // dhclient's own transaction, after it, was acknowledged; the server unicast its OFFER and
  // ACK to the address it gave, so that is the client's address.
  EXPECT_EQ(ts[1].outcome(), v1::DHCP_OUTCOME_ACKNOWLEDGED);
  EXPECT_EQ(ts[1].client().ip(), ts[1].acknowledged_ip());
  EXPECT_EQ(ts[1].client().port(), 68u);
  EXPECT_NE(ts[1].acknowledged_ip(), declined.acknowledged_ip());
  // The finding names the decline, its client, its address and its packet.
  const v1::Finding* decline = nullptr;
  for (const auto& f : r.findings()) {
    EXPECT_NE(f.indicator(), "dhcp_nak");
    if (f.indicator() == "dhcp_decline") decline = &f;
  }
  ASSERT_NE(decline, nullptr);
  EXPECT_THAT(decline->evidence(), Contains(HasSubstr("02:66:00:00:00:02")));
  EXPECT_THAT(decline->evidence(), Contains(HasSubstr(declined.acknowledged_ip())));
  ASSERT_EQ(decline->examples_size(), 1);
  EXPECT_EQ(decline->examples(0).packet_number(), declined.steps(4).packet_number());
  // Roles: broadcast messages name no client or server address; the server's name is its own.
  for (const auto& p : r.packets()) {
    EXPECT_NE(p.client().ip(), "255.255.255.255");
    EXPECT_NE(p.client().ip(), "0.0.0.0");
    EXPECT_EQ(p.sender_role(),
              p.op() == v1::DHCP_OP_REQUEST ? v1::DHCP_ROLE_CLIENT : v1::DHCP_ROLE_SERVER);
    if (p.op() == v1::DHCP_OP_REPLY) {
      EXPECT_EQ(p.server().ip(), "10.66.0.1");
    }
  }

  const auto rows = testing::TsharkFields(kDir + "/ack_decline.pcap",
                                          "-Y dhcp -e frame.number -e dhcp.option.dhcp");
  if (rows.empty()) GTEST_SKIP() << "tshark not available";
  ASSERT_EQ(rows.size(), static_cast<size_t>(r.packets_size()));
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(std::to_string(r.packets(i).message_type_code()), rows[i][1]) << rows[i][0];
  }
}

// The outcome after each message sequence, as the transaction saw it in frame order.
v1::DhcpOutcome OutcomeOf(const std::vector<std::string>& types, bool v6 = false,
                          const std::string& last_status = "") {
  DhcpState state;
  uint64_t frame = 0;
  for (const std::string& type : types) {
    v1::DhcpPacket p;
    p.set_packet_number(++frame);
    p.set_version(v6 ? v1::DHCP_VERSION_DHCPV6 : v1::DHCP_VERSION_DHCPV4);
    p.set_message_type(type);
    p.set_transaction_id("0x1");
    p.set_client_mac("02:00:00:00:00:01");
    if (frame == types.size()) p.set_message(last_status);
    AccumulateDhcp(p, "", static_cast<CaptureNanos>(frame), &state);
  }
  EXPECT_EQ(state.transactions.size(), 1u);
  return state.transactions.empty() ? v1::DHCP_OUTCOME_UNSPECIFIED
                                    : TransactionOutcome(state.transactions.begin()->second);
}

TEST(DhcpOutcome, TheLastDecisiveMessageWins) {
  EXPECT_EQ(OutcomeOf({"DISCOVER"}), v1::DHCP_OUTCOME_NO_OFFER);
  EXPECT_EQ(OutcomeOf({"DISCOVER", "OFFER"}), v1::DHCP_OUTCOME_OFFERED_NOT_REQUESTED);
  EXPECT_EQ(OutcomeOf({"DISCOVER", "OFFER", "REQUEST"}), v1::DHCP_OUTCOME_NO_REPLY);
  EXPECT_EQ(OutcomeOf({"DISCOVER", "OFFER", "REQUEST", "ACK"}), v1::DHCP_OUTCOME_ACKNOWLEDGED);
  EXPECT_EQ(OutcomeOf({"DISCOVER", "OFFER", "REQUEST", "ACK", "DECLINE"}),
            v1::DHCP_OUTCOME_DECLINED);
  EXPECT_EQ(OutcomeOf({"REQUEST", "NAK"}), v1::DHCP_OUTCOME_NAK);
  EXPECT_EQ(OutcomeOf({"REQUEST", "ACK", "RELEASE"}), v1::DHCP_OUTCOME_RELEASED);
  EXPECT_EQ(OutcomeOf({"INFORM", "ACK"}), v1::DHCP_OUTCOME_ACKNOWLEDGED);
  EXPECT_EQ(OutcomeOf({"INFORM"}), v1::DHCP_OUTCOME_NO_REPLY);
  // A retransmission crossing the answer, or a second server's late OFFER, undoes nothing.
  EXPECT_EQ(OutcomeOf({"REQUEST", "ACK", "REQUEST"}), v1::DHCP_OUTCOME_ACKNOWLEDGED);
  EXPECT_EQ(OutcomeOf({"REQUEST", "NAK", "REQUEST"}), v1::DHCP_OUTCOME_NAK);
  EXPECT_EQ(OutcomeOf({"DISCOVER", "OFFER", "REQUEST", "OFFER"}), v1::DHCP_OUTCOME_NO_REPLY);
  EXPECT_EQ(OutcomeOf({"DISCOVER", "OFFER", "DISCOVER"}), v1::DHCP_OUTCOME_OFFERED_NOT_REQUESTED);
  // A NAK after an ACK (the server changed its mind) is the end.
  EXPECT_EQ(OutcomeOf({"REQUEST", "ACK", "NAK"}), v1::DHCP_OUTCOME_NAK);
  EXPECT_EQ(OutcomeOf({"BOOTREQUEST", "BOOTREPLY"}), v1::DHCP_OUTCOME_ACKNOWLEDGED);
  EXPECT_EQ(OutcomeOf({"FORCERENEW"}), v1::DHCP_OUTCOME_OTHER);
}

TEST(DhcpOutcome, Dhcpv6RepliesConfirmOrRefuse) {
  EXPECT_EQ(OutcomeOf({"SOLICIT", "ADVERTISE"}, true), v1::DHCP_OUTCOME_OFFERED_NOT_REQUESTED);
  EXPECT_EQ(OutcomeOf({"REQUEST", "REPLY"}, true), v1::DHCP_OUTCOME_ACKNOWLEDGED);
  // The REPLY to a RELEASE or DECLINE confirms it: the end is the release or the decline.
  EXPECT_EQ(OutcomeOf({"RELEASE", "REPLY"}, true, "Success: "), v1::DHCP_OUTCOME_RELEASED);
  EXPECT_EQ(OutcomeOf({"DECLINE", "REPLY"}, true, "Success: "), v1::DHCP_OUTCOME_DECLINED);
  // A REPLY with an error status and no address refuses.
  EXPECT_EQ(OutcomeOf({"RENEW", "REPLY"}, true, "NoBinding: no binding"), v1::DHCP_OUTCOME_NAK);
  EXPECT_EQ(OutcomeOf({"CONFIRM", "REPLY"}, true, "NotOnLink: "), v1::DHCP_OUTCOME_NAK);
  EXPECT_EQ(OutcomeOf({"REBIND"}, true), v1::DHCP_OUTCOME_NO_REPLY);
  EXPECT_EQ(OutcomeOf({"SOLICIT", "ADVERTISE"}, true, "NoAddrsAvail: none"),
            v1::DHCP_OUTCOME_NO_OFFER);
  EXPECT_EQ(OutcomeOf({"INFORMATION-REQUEST", "REPLY"}, true), v1::DHCP_OUTCOME_ACKNOWLEDGED);
}

}  // namespace
}  // namespace mcpcap
