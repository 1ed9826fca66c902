// analyze_dns_packets end to end: golden JSON over our own loopback capture (record.sh), and
// synthetic captures for the security indicators, IP fragments and listing limits.
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "backend/analysis/dns/dns.h"
#include "gmock/gmock.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/type_resolver_util.h"
#include "gtest/gtest.h"
#include "tests/analysis/dns/dns_message_builder.h"
#include "tests/testing/capture_builder.h"
#include "tests/testing/listings.h"

namespace mcpcap {
namespace {

using testing::BuildPcap;
using testing::DnsBuilder;
using testing::TestPacket;
using testing::WriteTempFile;

const std::string kData = MCPCAP_DNS_TEST_DATA;

v1::AnalyzeDnsPacketsResponse Analyze(const std::string& path, const std::string& source,
                                      uint32_t max_results = 100, std::string filter = "") {
  AnalysisInput input;
  input.source = source;
  input.local_path = path;
  input.listings.max = max_results;
  input.bpf_filter = std::move(filter);
  v1::AnalyzeDnsPacketsRequest request;
  request.set_pcap_file(source);
  auto result = AnalyzeDnsPackets(input, request);
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? *result : v1::AnalyzeDnsPacketsResponse();
}

// JSON with map entries in key order: the binary form is written deterministically (sorted
// maps) and converted to JSON in wire order, so the golden file does not depend on hashing.
std::string ToJson(v1::AnalyzeDnsPacketsResponse r) {
  r.clear_analysis_timestamp();
  std::string binary;
  {
    google::protobuf::io::StringOutputStream raw(&binary);
    google::protobuf::io::CodedOutputStream coded(&raw);
    coded.SetSerializationDeterministic(true);
    EXPECT_TRUE(r.SerializeToCodedStream(&coded));
  }
  std::unique_ptr<google::protobuf::util::TypeResolver> resolver(
      google::protobuf::util::NewTypeResolverForDescriptorPool(
          "type.googleapis.com", google::protobuf::DescriptorPool::generated_pool()));
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string json;
  EXPECT_TRUE(google::protobuf::util::BinaryToJsonString(
                  resolver.get(), "type.googleapis.com/" + r.GetDescriptor()->full_name(), binary,
                  &json, options)
                  .ok());
  return json;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Compares with the golden file; MCPCAP_UPDATE_GOLDEN=1 rewrites it instead.
void ExpectGolden(const std::string& json, const std::string& golden) {
  if (const char* u = std::getenv("MCPCAP_UPDATE_GOLDEN"); u != nullptr && std::string(u) == "1") {
    std::ofstream(golden) << json;
    GTEST_SKIP() << "rewrote " << golden;
  }
  EXPECT_EQ(json, ReadFile(golden))
      << "golden differs: " << golden << " (MCPCAP_UPDATE_GOLDEN=1 to rewrite, then review)";
}

TEST(DnsAnalysis, GoldenDnsmasq) {
  const auto r = Analyze(kData + "/dnsmasq.pcap", "dnsmasq.pcap");
  ExpectGolden(ToJson(r), kData + "/dnsmasq.golden.json");
}

TEST(DnsAnalysis, DnsmasqFacts) {
  const auto r = Analyze(kData + "/dnsmasq.pcap", "dnsmasq.pcap");
  EXPECT_EQ(r.capture().source(), "dnsmasq.pcap");
  EXPECT_GT(r.analysis_timestamp().seconds(), 1700000000);
  ASSERT_GT(r.packets_size(), 30);
  std::map<std::string, const v1::DnsRecord*> by_type;
  std::set<std::string> rcodes;
  for (const auto& p : r.packets()) {
    EXPECT_TRUE(p.has_timestamp());
    rcodes.insert(p.rcode_name());
    for (const auto& a : p.answers()) by_type[a.type_name()] = &a;
    if (p.flags().is_response() && p.variant() != v1::DNS_VARIANT_MDNS) {
      EXPECT_GT(p.paired_packet().packet_number(), 0u) << p.packet_number();
    }
  }
  EXPECT_TRUE(rcodes.count("NXDOMAIN"));
  EXPECT_TRUE(rcodes.count("REFUSED"));
  ASSERT_TRUE(by_type.count("A") && by_type.count("AAAA") && by_type.count("MX") &&
              by_type.count("TXT") && by_type.count("SRV") && by_type.count("CNAME") &&
              by_type.count("PTR") && by_type.count("SOA"));
  EXPECT_EQ(by_type["CNAME"]->cname(), "web.example.test");
  EXPECT_EQ(by_type["MX"]->mx(), "mail.example.test");
  EXPECT_EQ(by_type["MX"]->data(), "10 mail.example.test");
  EXPECT_EQ(by_type["TXT"]->data(), "\"v=spf1 -all\" \"second string\"");
  EXPECT_EQ(by_type["SRV"]->data(), "10 20 5060 sip.example.test");
  EXPECT_EQ(by_type["PTR"]->data(), "web.example.test");
  EXPECT_THAT(by_type["SOA"]->data(), ::testing::StartsWith("ns.example.test "));
  // dig +subnet: the client subnet option is decoded.
  bool saw_ecs = false;
  for (const auto& p : r.packets()) {
    for (const auto& o : p.edns().options()) saw_ecs |= o.value() == "192.0.2.0/24/0";
  }
  EXPECT_TRUE(saw_ecs);
  // Two queries in one TCP segment, and one split over two segments.
  int tcp_queries = 0;
  for (const auto& p : r.packets()) {
    if (p.protocol() == v1::TRANSPORT_TCP && !p.flags().is_response()) ++tcp_queries;
  }
  EXPECT_GE(tcp_queries, 4);
  std::map<uint32_t, int> hand_made;
  for (const auto& p : r.packets()) {
    if (p.dns_id() >= 0x1001 && p.dns_id() <= 0x1003) ++hand_made[p.dns_id()];
  }
  EXPECT_EQ(hand_made[0x1001], 2);  // query and response
  EXPECT_EQ(hand_made[0x1002], 1);  // dnsmasq answers one query per connection
  EXPECT_EQ(hand_made[0x1003], 2);
  // The link goes to the right one of two queries carried by the same segment.
  for (const auto& p : r.packets()) {
    if (p.dns_id() == 0x1001 && !p.flags().is_response()) {
      EXPECT_GT(p.paired_packet().packet_number(), 0u);
    }
    if (p.dns_id() == 0x1002) {
      EXPECT_FALSE(p.has_paired_packet());
    }
  }
  // mDNS and LLMNR.
  EXPECT_EQ(r.statistics().variants().at("mdns"), 2u);
  EXPECT_EQ(r.statistics().variants().at("llmnr"), 1u);
  // Unanswered: dig's two tries at a dead server, the second TCP query, the LLMNR query.
  EXPECT_EQ(r.statistics().unanswered_queries(), 4u);
  EXPECT_EQ(r.unanswered_queries_size(), 4);
  EXPECT_EQ(r.statistics().responses_without_query(), 0u);
  EXPECT_GT(r.statistics().latency().samples(), 10u);
  // Port 5533 is found by content and flagged.
  bool odd_port = false;
  for (const auto& f : r.findings()) odd_port |= f.indicator() == "dns_non_standard_port";
  EXPECT_TRUE(odd_port);
  EXPECT_EQ(r.statistics().unique_domains(0), "5.2.1.10.in-addr.arpa");  // sorted
}

// data/opcodes.py: every opcode class answered, then DNS quoted in ICMP and ICMPv6 errors.
TEST(DnsAnalysis, EveryOpcodeIsAMessageAndQuotedDnsIsNot) {
  const auto r = Analyze(kData + "/opcodes.pcap", "opcodes.pcap");
  // 7 exchanges and the 2 queries the errors quote; frames 16 and 18 are ICMP, not DNS.
  EXPECT_EQ(r.dns_packets_found(), 16u);
  std::map<uint64_t, const v1::DnsPacket*> by_frame;
  for (const auto& p : r.packets()) by_frame[p.packet_number()] = &p;
  EXPECT_FALSE(by_frame.count(16));
  EXPECT_FALSE(by_frame.count(18));
  const std::map<uint64_t, std::string> opcode_of = {
      {3, "IQUERY"}, {5, "STATUS"}, {7, "NOTIFY"}, {9, "UPDATE"}, {11, "OPCODE3"}, {13, "OPCODE9"}};
  for (const auto& [frame, name] : opcode_of) {
    ASSERT_TRUE(by_frame.count(frame) && by_frame.count(frame + 1)) << frame;
    EXPECT_EQ(by_frame[frame]->opcode_name(), name);
    EXPECT_EQ(by_frame[frame + 1]->opcode_name(), name);
    EXPECT_EQ(by_frame[frame + 1]->paired_packet().packet_number(), frame) << name;
  }
  const auto& st = r.statistics();
  EXPECT_EQ(st.queries(), 9u);
  EXPECT_EQ(st.responses(), 7u);
  EXPECT_EQ(st.opcodes().at("QUERY"), 4u);
  EXPECT_EQ(st.opcodes().at("UPDATE"), 2u);
  EXPECT_EQ(st.opcodes().at("OPCODE9"), 2u);
  EXPECT_EQ(st.response_codes().at("NOTIMP"), 3u);
  // UPDATE: zone, prerequisites and updates, not questions, answers and authorities.
  const v1::DnsPacket& update = *by_frame[9];
  EXPECT_TRUE(update.questions().empty());
  EXPECT_TRUE(update.answers().empty());
  EXPECT_TRUE(update.authorities().empty());
  ASSERT_EQ(update.zone_size(), 1);
  EXPECT_EQ(update.zone(0).name(), "example.test");
  EXPECT_EQ(update.zone(0).type_name(), "SOA");
  ASSERT_EQ(update.prerequisites_size(), 1);
  EXPECT_EQ(update.prerequisites(0).class_name(), "NONE");
  ASSERT_EQ(update.updates_size(), 2);
  EXPECT_EQ(update.updates(0).class_name(), "ANY");
  EXPECT_EQ(update.updates(1).address(), "10.1.2.9");
  EXPECT_EQ(update.summary(), "UPDATE 0x0105 SOA example.test");
  // NOTIFY keeps the usual section names; its answer is the zone's new SOA.
  ASSERT_EQ(by_frame[7]->answers_size(), 1);
  EXPECT_EQ(by_frame[7]->answers(0).type_name(), "SOA");
}

TEST(DnsAnalysis, ListingsAreBoundedWithExactTotals) {
  const auto all = Analyze(kData + "/dnsmasq.pcap", "dnsmasq.pcap");
  const auto r = Analyze(kData + "/dnsmasq.pcap", "dnsmasq.pcap", 3);
  EXPECT_EQ(r.packets_size(), 3);
  EXPECT_EQ(r.dns_packets_analyzed(), all.dns_packets_found());  // every page analyses all
  EXPECT_EQ(r.dns_packets_found(), all.dns_packets_found());
  EXPECT_EQ(r.statistics().queries(), all.statistics().queries());
  EXPECT_TRUE(r.capture().truncated());
  EXPECT_THAT(testing::PartialListingNames(r.capture()), ::testing::Contains("packets"));
  EXPECT_EQ(r.note(), all.note());  // the same on every page
  EXPECT_EQ(r.statistics().unique_domains_size(), 3);
  EXPECT_EQ(r.statistics().unique_domains_queried(), all.statistics().unique_domains_queried());
}

TEST(DnsAnalysis, NoDns) {
  const std::string path = WriteTempFile("nodns.pcap", BuildPcap({}));
  const auto r = Analyze(path, path);
  EXPECT_EQ(r.dns_packets_found(), 0u);
  EXPECT_EQ(r.note(), "No DNS packets found in this capture");
}

// Ethernet + IPv4 + UDP around `payload`; fragment fields for the IP header.
std::string UdpFrame(uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport,
                     const std::vector<uint8_t>& payload) {
  DnsBuilder f;
  f.Bytes({0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6}).U16(0x0800);
  f.U8(0x45)
      .U8(0)
      .U16(static_cast<uint16_t>(28 + payload.size()))
      .U16(1)
      .U16(0)
      .U8(64)
      .U8(17)
      .U16(0)
      .U32(src)
      .U32(dst);
  f.U16(sport).U16(dport).U16(static_cast<uint16_t>(8 + payload.size())).U16(0);
  std::string out(f.bytes().begin(), f.bytes().end());
  out.append(payload.begin(), payload.end());
  return out;
}

// The IPv4 fragments of one UDP datagram, split at `cut` bytes of the IP payload (a multiple of 8).
std::vector<std::string> Fragments(uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport,
                                   const std::vector<uint8_t>& payload, size_t cut) {
  DnsBuilder udp;
  udp.U16(sport).U16(dport).U16(static_cast<uint16_t>(8 + payload.size())).U16(0);
  std::vector<uint8_t> ip_payload = udp.bytes();
  ip_payload.insert(ip_payload.end(), payload.begin(), payload.end());
  std::vector<std::string> out;
  for (size_t off = 0; off < ip_payload.size(); off += cut) {
    const size_t n = std::min(cut, ip_payload.size() - off);
    const bool more = off + n < ip_payload.size();
    DnsBuilder f;
    f.Bytes({0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6}).U16(0x0800);
    f.U8(0x45)
        .U8(0)
        .U16(static_cast<uint16_t>(20 + n))
        .U16(0x4242)
        .U16(static_cast<uint16_t>((more ? 0x2000 : 0) | off / 8))
        .U8(64)
        .U8(17)
        .U16(0)
        .U32(src)
        .U32(dst);
    std::string frame(f.bytes().begin(), f.bytes().end());
    frame.append(ip_payload.begin() + off, ip_payload.begin() + off + n);
    out.push_back(frame);
  }
  return out;
}

constexpr uint32_t kClient = 0x0a000005, kServer = 0x0a000035;

TEST(DnsAnalysis, ReassemblesFragmentedResponse) {
  DnsBuilder q;
  q.Header(0x77, 0x0100, 1, 0).Question("big.example.com", 16);
  DnsBuilder resp;
  resp.Header(0x77, 0x8180, 1, 1).Question("big.example.com", 16);
  std::vector<uint8_t> txt = {255};
  txt.insert(txt.end(), 255, 'x');
  std::vector<uint8_t> rdata;
  for (int i = 0; i < 8; ++i) rdata.insert(rdata.end(), txt.begin(), txt.end());
  resp.Record("big.example.com", 16, rdata);
  std::vector<TestPacket> packets = {
      {1700000000, 0, UdpFrame(kClient, kServer, 40000, 53, q.bytes()), 0, 0}};
  for (const std::string& frag : Fragments(kServer, kClient, 53, 40000, resp.bytes(), 1480)) {
    packets.push_back({1700000000, 20000, frag, 0, 0});
  }
  const std::string path = WriteTempFile("frag_dns.pcap", BuildPcap(packets));
  const auto r = Analyze(path, path);
  ASSERT_EQ(r.packets_size(), 2);
  const auto& p = r.packets(1);
  EXPECT_EQ(p.packet_number(), packets.size());  // reported at the frame that completed it
  EXPECT_TRUE(p.anomalies().empty());
  ASSERT_EQ(p.answers_size(), 1);
  EXPECT_EQ(p.answers(0).rdlength(), 2048u);
  EXPECT_EQ(p.paired_packet().packet_number(), 1u);
  EXPECT_EQ(p.response_time().nanos(), 20'000'000);
  EXPECT_EQ(r.packets(0).paired_packet().packet_number(), packets.size());
}

TEST(DnsAnalysis, SecurityIndicators) {
  std::vector<TestPacket> packets;
  uint32_t usec = 0;
  auto add = [&](uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport, const DnsBuilder& b) {
    packets.push_back(
        {1700000000, usec += 1000, UdpFrame(src, dst, sport, dport, b.bytes()), 0, 0});
  };
  // 60 tunnel-like queries under t.evil-example.com: long random hex leftmost labels.
  std::mt19937 rng(1);
  for (int i = 0; i < 60; ++i) {
    std::string label;
    for (int k = 0; k < 50; ++k) label.push_back("0123456789abcdef"[rng() % 16]);
    DnsBuilder b;
    b.Header(static_cast<uint16_t>(i), 0x0100, 1, 0).Question(label + ".t.evil-example.com", 16);
    add(kClient, kServer, static_cast<uint16_t>(30000 + i), 53, b);
  }
  // 12 NXDOMAINs for random-looking domains to one client.
  for (int i = 0; i < 12; ++i) {
    std::string sld;
    for (int k = 0; k < 14; ++k) sld.push_back("abcdefghijklmnopqrstuvwxyz"[rng() % 26]);
    DnsBuilder b;
    b.Header(static_cast<uint16_t>(1000 + i), 0x8183, 1, 0).Question(sld + ".com", 1);
    add(kServer, kClient, 53, static_cast<uint16_t>(31000 + i), b);
  }
  // 2 NULL queries.
  for (int i = 0; i < 2; ++i) {
    DnsBuilder b;
    b.Header(static_cast<uint16_t>(2000 + i), 0x0100, 1, 0).Question("n.example.org", 10);
    add(kClient, kServer, 32000, 53, b);
  }
  const std::string path = WriteTempFile("evil_dns.pcap", BuildPcap(packets));
  const auto r = Analyze(path, path);
  std::map<std::string, v1::Finding> found;
  for (const auto& f : r.findings()) found[f.indicator()] = f;
  ASSERT_TRUE(found.count("dns_tunnelling_suspected"));
  EXPECT_EQ(found["dns_tunnelling_suspected"].severity(), v1::SEVERITY_HIGH);
  EXPECT_THAT(found["dns_tunnelling_suspected"].evidence(),
              ::testing::Contains(::testing::HasSubstr("evil-example.com")));
  const v1::Finding& tunnel = found["dns_tunnelling_suspected"];
  ASSERT_EQ(tunnel.examples_size(), 10);
  EXPECT_EQ(tunnel.examples(0).packet_number(), 1u);  // captured 1 ms after the second
  EXPECT_EQ(tunnel.examples(0).timestamp().seconds(), 1700000000);
  EXPECT_EQ(tunnel.examples(0).timestamp().nanos(), 1'000'000);
  for (int i = 0; i < tunnel.examples_size(); ++i) {
    EXPECT_GT(tunnel.examples(i).packet_number(), 0u);
    EXPECT_TRUE(tunnel.examples(i).has_timestamp());
    if (i > 0) {
      EXPECT_GT(tunnel.examples(i).packet_number(), tunnel.examples(i - 1).packet_number());
    }
  }
  EXPECT_TRUE(found.count("dns_many_subdomains"));
  ASSERT_TRUE(found.count("dns_dga_suspected"));
  EXPECT_THAT(found["dns_dga_suspected"].evidence(),
              ::testing::Contains(::testing::HasSubstr("12 of 12")));
  ASSERT_TRUE(found.count("dns_unusual_record_types"));
  EXPECT_THAT(
      found["dns_unusual_record_types"].evidence(),
      ::testing::Contains(::testing::HasSubstr("NULL questions in unicast DNS queries: 2")));
  for (const auto& [name, f] : found) {
    EXPECT_GE(f.confidence(), 0.0);
    EXPECT_LE(f.confidence(), 1.0);
    EXPECT_FALSE(f.recommendation().empty());
  }
  EXPECT_EQ(r.statistics().responses_without_query(), 12u);
  EXPECT_EQ(r.statistics().top_nxdomain_names_size(), 10);
}

TEST(DnsAnalysis, MalformedMessagesAreCountedNotFatal) {
  DnsBuilder loop;
  loop.Header(9, 0x0100, 1, 0).Pointer(12).U16(1).U16(1);
  DnsBuilder tiny;
  tiny.U16(1).U16(2);
  const std::string path = WriteTempFile(
      "bad_dns.pcap",
      BuildPcap({{1700000000, 0, UdpFrame(kClient, kServer, 1234, 53, loop.bytes()), 0, 0},
                 {1700000000, 1, UdpFrame(kClient, kServer, 1234, 53, tiny.bytes()), 0, 0}}));
  const auto r = Analyze(path, path);
  ASSERT_EQ(r.packets_size(), 2);
  EXPECT_THAT(r.packets(0).anomalies(), ::testing::Contains("dns_pointer_loop"));
  EXPECT_THAT(r.packets(1).anomalies(), ::testing::Contains("dns_truncated_header"));
  EXPECT_EQ(r.capture().anomalies().at("dns_pointer_loop"), 1u);
  EXPECT_EQ(r.capture().anomalies().at("dns_truncated_header"), 1u);
  EXPECT_EQ(r.statistics().malformed_messages(), 2u);
}

}  // namespace
}  // namespace mcpcap
