#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "backend/analysis/sip/sip.h"
#include "backend/base/proto_time.h"
#include "gmock/gmock.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/type_resolver_util.h"
#include "gtest/gtest.h"
#include "tests/analysis/sip/sip_test_util.h"
#include "tests/testing/capture_builder.h"
#include "tests/testing/listings.h"

namespace mcpcap {
namespace {

using testing::AnalyzeSip;
using testing::BuildPcap;
using testing::Ip;
using testing::TestPacket;
using testing::UdpFrame;
using testing::WriteTempFile;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// MessageToJsonString prints maps in the proto map's per-process hash order; going through a
// deterministic (key-sorted) binary serialisation makes the golden files stable.
std::string ToJson(const google::protobuf::Message& m) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string binary;
  {
    google::protobuf::io::StringOutputStream stream(&binary);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    EXPECT_TRUE(m.SerializeToCodedStream(&coded));
  }
  std::unique_ptr<google::protobuf::util::TypeResolver> resolver(
      google::protobuf::util::NewTypeResolverForDescriptorPool(
          "type.googleapis.com", google::protobuf::DescriptorPool::generated_pool()));
  std::string json;
  EXPECT_TRUE(google::protobuf::util::BinaryToJsonString(
                  resolver.get(), "type.googleapis.com/" + m.GetDescriptor()->full_name(), binary,
                  &json, options)
                  .ok());
  return json;
}

// Golden JSON over our own captures: rewritten only with MCPCAP_UPDATE_GOLDEN=1.
class SipGolden : public ::testing::TestWithParam<const char*> {};

TEST_P(SipGolden, MatchesGoldenJson) {
  const std::string dir = MCPCAP_SIP_DATA;
  const std::string name = GetParam();
  AnalysisInput input;
  input.source = name + ".pcap";
  input.local_path = dir + "/" + name + ".pcap";
  input.listings.max = 100;  // every message
  v1::AnalyzeSipPacketsRequest request;
  request.set_pcap_file(input.source);
  auto result = AnalyzeSipPackets(input, request);
  ASSERT_TRUE(result.ok()) << result.status();
  result->clear_analysis_timestamp();
  const std::string json = ToJson(*result);
  const std::string golden = dir + "/" + name + ".golden.json";
  if (std::getenv("MCPCAP_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(golden, std::ios::binary) << json;
    GTEST_SKIP() << "rewrote " << golden;
  }
  EXPECT_EQ(json, ReadFile(golden)) << "run with MCPCAP_UPDATE_GOLDEN=1 and review the diff";
}

INSTANTIATE_TEST_SUITE_P(Captures, SipGolden, ::testing::Values("sip_udp", "sip_tcp"));

TEST(SipAnalysis, UdpCaptureCallsAndStatistics) {
  const auto r = AnalyzeSip(std::string(MCPCAP_SIP_DATA) + "/sip_udp.pcap");
  EXPECT_EQ(r.sip_packets_found(), 22u);
  EXPECT_EQ(r.statistics().requests(), 10u);
  EXPECT_EQ(r.statistics().responses(), 12u);
  ASSERT_EQ(r.calls_size(), 5);
  EXPECT_EQ(r.calls(0).call_id(), "reg-1@127.0.0.1");
  EXPECT_EQ(r.calls(0).outcome(), v1::SIP_CALL_OUTCOME_REGISTRATION);
  EXPECT_THAT(r.calls(1).sequence(),
              ::testing::ElementsAre("INVITE", "100", "180", "200", "ACK", "BYE", "200"));
  EXPECT_EQ(r.calls(1).outcome(), v1::SIP_CALL_OUTCOME_COMPLETED);
  EXPECT_EQ(r.calls(1).final_status_code(), 200u);
  EXPECT_LT(r.calls(1).first_packet().packet_number(), r.calls(1).last_packet().packet_number());
  EXPECT_TRUE(r.calls(1).first_packet().has_timestamp());
  EXPECT_GE(DurationNanos(r.calls(1).duration()), 0);
  EXPECT_EQ(DurationNanos(r.calls(1).duration()),
            (r.calls(1).last_packet().timestamp().seconds() -
             r.calls(1).first_packet().timestamp().seconds()) *
                    1'000'000'000 +
                r.calls(1).last_packet().timestamp().nanos() -
                r.calls(1).first_packet().timestamp().nanos());
  EXPECT_EQ(r.calls(2).outcome(), v1::SIP_CALL_OUTCOME_CANCELLED);
  EXPECT_EQ(r.calls(3).outcome(), v1::SIP_CALL_OUTCOME_OPTIONS);
  EXPECT_EQ(r.calls(4).outcome(), v1::SIP_CALL_OUTCOME_COMPLETED);  // MESSAGE answered 202
  // The compact-form MESSAGE: names expanded, both Vias kept, body measured exactly.
  const v1::SipPacket& msg = r.packets(20);
  EXPECT_EQ(msg.method(), "MESSAGE");
  EXPECT_EQ(msg.call_id(), "msg-1@127.0.0.1");
  EXPECT_EQ(msg.vias_size(), 2);
  EXPECT_EQ(msg.via(), msg.vias(0));
  EXPECT_EQ(msg.content_type(), "text/plain");
  EXPECT_EQ(msg.content_length(), 7u);
  EXPECT_EQ(msg.body_length(), 7u);
  EXPECT_EQ(msg.packet_number(), 21u);
  EXPECT_EQ(msg.transport(), v1::TRANSPORT_UDP);
  EXPECT_EQ(msg.message_type(), v1::SIP_MESSAGE_TYPE_REQUEST);
  EXPECT_FALSE(msg.source().ip().empty());
  EXPECT_TRUE(msg.source().has_port());
  EXPECT_TRUE(msg.destination().has_port());
  EXPECT_TRUE(msg.has_timestamp());
  EXPECT_TRUE(r.capture().anomalies().empty());
}

TEST(SipAnalysis, TcpSeveralMessagesPerSegmentAndSplitMessage) {
  const auto r = AnalyzeSip(std::string(MCPCAP_SIP_DATA) + "/sip_tcp.pcap");
  ASSERT_EQ(r.packets_size(), 9);
  // Frame 8 carries REGISTER and OPTIONS; frame 9 both 200s; the INVITE completes in frame 14.
  EXPECT_EQ(r.packets(2).packet_number(), 8u);
  EXPECT_EQ(r.packets(3).packet_number(), 8u);
  EXPECT_EQ(r.packets(3).method(), "OPTIONS");
  EXPECT_EQ(r.packets(5).packet_number(), 9u);
  EXPECT_EQ(r.packets(6).method(), "INVITE");
  EXPECT_EQ(r.packets(6).packet_number(), 14u);
  EXPECT_EQ(r.packets(6).body_length(), r.packets(6).content_length());
  EXPECT_EQ(r.statistics().transports().at("tcp"), 9u);
  EXPECT_EQ(r.packets(8).method(), "ACK");  // after a TCP retransmission, delivered once
  EXPECT_TRUE(r.capture().anomalies().empty());
}

TEST(SipAnalysis, FragmentedUdpInviteIsAnalysedWhole) {
  std::string sdp(1200, 'a');
  const std::string invite =
      "INVITE sip:bob@x SIP/2.0\r\nCall-ID: frag-1\r\nCSeq: 1 INVITE\r\nContent-Length: " +
      std::to_string(sdp.size()) + "\r\n\r\n" + sdp;
  const std::string udp = testing::Udp(5060, 5060, invite);
  const size_t cut = 600;  // a multiple of 8
  const auto a = Ip(10, 0, 0, 1), b = Ip(10, 0, 0, 2);
  const std::string path = WriteTempFile(
      "sip_frag.pcap",
      BuildPcap({{1700000000, 0, testing::Ipv4Frame(a, b, 17, udp.substr(0, cut), 7, 0, true)},
                 {1700000000, 1, testing::Ipv4Frame(a, b, 17, udp.substr(cut), 7, cut, false)}}));
  const auto r = AnalyzeSip(path);
  ASSERT_EQ(r.packets_size(), 1);
  EXPECT_EQ(r.packets(0).packet_number(), 2u);
  EXPECT_EQ(r.packets(0).body_length(), 1200u);
  EXPECT_TRUE(r.packets(0).problems().empty());
}

std::string Register(int n, const std::string& user, const std::string& ua = "Phone") {
  return "REGISTER sip:pbx SIP/2.0\r\nTo: <sip:" + user + "@pbx>\r\nFrom: <sip:" + user +
         "@pbx>\r\nCall-ID: r" + std::to_string(n) + "\r\nCSeq: 1 REGISTER\r\nUser-Agent: " + ua +
         "\r\nl: 0\r\n\r\n";
}
std::string Reject(int n, const std::string& user, int code) {
  return "SIP/2.0 " + std::to_string(code) + " No\r\nTo: <sip:" + user + "@pbx>\r\nCall-ID: r" +
         std::to_string(n) + "\r\nCSeq: 1 REGISTER\r\nServer: Asterisk PBX 16.2.1\r\nl: 0\r\n\r\n";
}

TEST(SipAnalysis, SecurityIndicators) {
  const auto attacker = Ip(203, 0, 113, 9), pbx = Ip(198, 51, 100, 1);
  std::vector<TestPacket> pkts;
  uint64_t t = 1700000000;
  auto add = [&](uint32_t s, uint32_t d, const std::string& m) {
    pkts.push_back({t++, 0, UdpFrame(s, d, 5060, 5060, m)});
  };
  for (int i = 0; i < 12; ++i) {
    add(attacker, pbx, Register(i, "100" + std::to_string(i), "friendly-scanner"));
    add(pbx, attacker, Reject(i, "100" + std::to_string(i), i % 2 ? 403 : 401));
  }
  for (int i = 0; i < 4; ++i) {
    add(attacker, pbx,
        "INVITE sip:" + std::to_string(200 + i) + "@pbx SIP/2.0\r\nCall-ID: f" + std::to_string(i) +
            "\r\nCSeq: 1 INVITE\r\nl: 0\r\n\r\n");
    add(pbx, attacker,
        "SIP/2.0 403 Forbidden\r\nCall-ID: f" + std::to_string(i) +
            "\r\nCSeq: 1 INVITE\r\nl: 0\r\n\r\n");
  }
  add(attacker, pbx,
      "INVITE sip:0044203555000@pbx SIP/2.0\r\nCall-ID: intl\r\nCSeq: 1 INVITE\r\n"
      "Via: SIP/2.0/UDP 192.168.1.20:5060\r\nl: 0\r\n\r\n");
  add(pbx, attacker, "SIP/2.0 200 OK\r\nCall-ID: intl\r\nCSeq: 1 INVITE\r\nl: 0\r\n\r\n");
  for (int i = 0; i < 10; ++i) {
    pkts.push_back({t++, 0,
                    UdpFrame(attacker, Ip(198, 51, 100, 10 + i), 5070, 5060,
                             "OPTIONS sip:100@x SIP/2.0\r\nCall-ID: o" + std::to_string(i) +
                                 "\r\nCSeq: 1 OPTIONS\r\nl: 0\r\n\r\n")});
  }
  const auto r = AnalyzeSip(WriteTempFile("sip_attack.pcap", BuildPcap(pkts)));
  std::map<std::string, const v1::Finding*> by;
  for (const auto& f : r.findings()) by.emplace(f.indicator(), &f);
  ASSERT_TRUE(by.count("sip_register_bruteforce"));
  EXPECT_THAT(by["sip_register_bruteforce"]->evidence(0), ::testing::HasSubstr("401: 6, 403: 6"));
  ASSERT_TRUE(by.count("sip_scanner_user_agent"));
  ASSERT_TRUE(by.count("sip_options_sweep"));
  ASSERT_TRUE(by.count("sip_toll_fraud_suspected"));
  EXPECT_EQ(by["sip_toll_fraud_suspected"]->severity(), v1::SEVERITY_HIGH);  // it was answered
  ASSERT_TRUE(by.count("sip_version_disclosure"));
  ASSERT_TRUE(by.count("sip_topology_leak"));
  EXPECT_THAT(by["sip_topology_leak"]->evidence(0), ::testing::HasSubstr("192.168.1.20"));
  for (const auto& [indicator, f] : by) {
    ASSERT_GT(f->examples_size(), 0) << indicator;
    EXPECT_LE(f->examples_size(), 10) << indicator;
    EXPECT_GT(f->examples(0).packet_number(), 0u) << indicator;
    EXPECT_TRUE(f->examples(0).has_timestamp()) << indicator;
  }
}

TEST(SipAnalysis, ListingsBoundedWithExactTotals) {
  const auto r = AnalyzeSip(std::string(MCPCAP_SIP_DATA) + "/sip_udp.pcap", 3);
  EXPECT_EQ(r.packets_size(), 3);
  EXPECT_EQ(r.sip_packets_found(), 22u);
  EXPECT_EQ(r.calls_size(), 3);
  EXPECT_EQ(r.statistics().call_ids_size(), 3);
  EXPECT_EQ(r.statistics().unique_call_ids(), 5u);
  EXPECT_TRUE(r.capture().truncated());
  EXPECT_THAT(testing::PartialListingNames(r.capture()),
              ::testing::IsSupersetOf({"packets", "calls", "statistics.call_ids"}));
  EXPECT_TRUE(r.note().empty());  // what the page holds is in partial_listings
}

TEST(SipAnalysis, MalformedMessagesAreNamedAnomalies) {
  const auto a = Ip(10, 0, 0, 1), b = Ip(10, 0, 0, 2);
  const auto r = AnalyzeSip(WriteTempFile(
      "sip_bad.pcap",
      BuildPcap({{1, 0, UdpFrame(a, b, 5060, 5060, "INVITE sip:x\r\n\r\n")},
                 {2, 0, UdpFrame(a, b, 5060, 5060, "BYE sip:x SIP/2.0\r\nl: 80\r\n\r\nabc")},
                 {3, 0, UdpFrame(a, b, 5060, 5060, "ACK sip:x SIP/2.0\r\nCall-ID: 1")},
                 {4, 0, UdpFrame(a, b, 1234, 80, "GET / HTTP/1.1\r\n\r\n")}})));
  EXPECT_EQ(r.sip_packets_found(), 2u);
  EXPECT_EQ(r.capture().anomalies().at("sip_bad_start_line"), 1u);
  EXPECT_EQ(r.capture().anomalies().at("sip_content_length_mismatch"), 1u);
  EXPECT_EQ(r.capture().anomalies().at("sip_no_header_end"), 1u);
  EXPECT_THAT(r.packets(0).problems(), ::testing::ElementsAre("sip_content_length_mismatch"));
}

TEST(SipAnalysis, NoSipGivesANote) {
  const auto r = AnalyzeSip(
      WriteTempFile("nosip.pcap", BuildPcap({{1, 0, UdpFrame(1, 2, 53, 53, "not sip at all")}})));
  EXPECT_EQ(r.sip_packets_found(), 0u);
  EXPECT_EQ(r.capture().packets_read(), 1u);
  EXPECT_EQ(r.note(), "No SIP packets found in this capture");
}

// The original's output on its own synth_sip.pcap: same selection, keys and values, except for
// the bugs of §6.8 that we fix on purpose (named below).
TEST(SipAnalysis, AgreesWithTheOriginalOnSynthSip) {
  const std::string ref = MCPCAP_REFERENCE;
  const std::string pcap = ref + "/mcpcap-inputs/synth_sip.pcap";
  if (!std::filesystem::exists(pcap)) GTEST_SKIP() << "no reference inputs at " << ref;
  const auto r = AnalyzeSip(pcap);
  EXPECT_EQ(r.capture().packets_read(), 10u);
  EXPECT_EQ(r.sip_packets_found(), 9u);
  EXPECT_EQ(r.sip_packets_analyzed(), 9u);
  const auto& s = r.statistics();
  EXPECT_EQ(s.requests(), 5u);
  EXPECT_EQ(s.responses(), 4u);
  EXPECT_THAT(s.methods(), ::testing::UnorderedElementsAre(
                               ::testing::Pair("ACK", 1), ::testing::Pair("BYE", 1),
                               ::testing::Pair("INVITE", 1), ::testing::Pair("OPTIONS", 1),
                               ::testing::Pair("REGISTER", 1)));
  EXPECT_THAT(s.response_classes(),
              ::testing::UnorderedElementsAre(::testing::Pair("1xx", 2), ::testing::Pair("2xx", 1),
                                              ::testing::Pair("4xx", 1)));
  EXPECT_THAT(s.call_ids(), ::testing::ElementsAre("call-1@10.5.0.1", "opt-1", "reg-1"));
  EXPECT_THAT(s.transports(), ::testing::UnorderedElementsAre(::testing::Pair("tcp", 2),
                                                              ::testing::Pair("udp", 7)));
  EXPECT_THAT(s.user_agents(), ::testing::ElementsAre("SynthPhone/1.0"));
  ASSERT_EQ(r.packets_size(), 9);
  // packet_number is the frame number; the original counted SIP packets, which here coincide
  // because the one non-SIP packet (HTTP) is the last frame.
  for (int i = 0; i < 9; ++i) EXPECT_EQ(r.packets(i).packet_number(), i + 1u) << i;
  const v1::SipPacket& invite = r.packets(0);
  EXPECT_EQ(invite.start_line(), "INVITE sip:bob@example.com SIP/2.0");
  EXPECT_EQ(invite.from_header(), "Alice <sip:alice@example.com>;tag=1");
  EXPECT_EQ(invite.content_length(), 10u);
  // Fixed: the original normalised CRLF before measuring and reported 9.
  EXPECT_EQ(invite.body_length(), 10u);
  // Fixed: UTC with a zone, not server-local time without an offset.
  EXPECT_EQ(invite.timestamp().seconds(), 1700000000);  // 2023-11-14T22:13:20Z
  EXPECT_EQ(invite.timestamp().nanos(), 0);
  EXPECT_EQ(invite.message_type(), v1::SIP_MESSAGE_TYPE_REQUEST);
  EXPECT_EQ(r.packets(1).message_type(), v1::SIP_MESSAGE_TYPE_RESPONSE);
  EXPECT_TRUE(invite.known_sip_port());
  EXPECT_EQ(r.packets(1).status_code(), 100u);
  EXPECT_EQ(r.packets(1).server(), "SynthPBX/2.0");
  // The BYE carries "Call-ID" and then a compact "i:". Fixed: the compact form is mapped, and
  // the first value wins, so call_id stays the same as the original's.
  const v1::SipPacket& bye = r.packets(5);
  EXPECT_EQ(bye.call_id(), "call-1@10.5.0.1");
  EXPECT_EQ(bye.headers(2).name(), "call-id");
  EXPECT_EQ(bye.headers(2).value(), "compact-form-not-mapped");
  EXPECT_FALSE(r.packets(8).known_sip_port());                      // OPTIONS on 5080
  EXPECT_EQ(r.calls(0).outcome(), v1::SIP_CALL_OUTCOME_COMPLETED);  // INVITE answered, then BYE
}

}  // namespace
}  // namespace mcpcap
