// Protobuf -> JSON by reflection.
#include "gateway/convert/message_to_json.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "mcpcap/v1/capinfos.pb.h"
#include "mcpcap/v1/capture.pb.h"
#include "mcpcap/v1/icmp.pb.h"

namespace mcpcap::gateway {
namespace {

TEST(MessageToJson, NumbersZerosOrderAndMaps) {
  v1::CaptureSummary s;
  s.set_source("/x.pcap");
  s.set_file_size_bytes(std::numeric_limits<uint64_t>::max());
  (*s.mutable_anomalies())["zeta"] = 2;
  (*s.mutable_anomalies())["alpha"] = 1;
  (*s.mutable_anomalies())["mid"] = 3;
  const Json j = MessageToJson(s);
  EXPECT_EQ(DumpJson(j),
            R"({"source":"/x.pcap","file_size_bytes":18446744073709551615,)"
            R"("packets_read":0,"packets_examined":0,"packet_limit_reached":false,)"
            R"("bpf_filter":"","warnings":[],"anomalies":{"alpha":1,"mid":3,"zeta":2},)"
            R"("partial_listings":[],"truncated":false})");
}

// (mcp_name): a field renamed for MCP is written under its MCP name.
TEST(MessageToJson, RenamedFieldsUseTheirMcpName) {
  v1::CaptureSummary s;
  v1::ListingPage* page = s.add_partial_listings();
  page->set_listing("statistics.unique_sources");
  page->set_next_page_token("tok");
  const Json j = MessageToJson(s)["partial_listings"][0];
  EXPECT_EQ(j["next_cursor"], "tok");
  EXPECT_FALSE(j.contains("next_page_token"));
  EXPECT_EQ(j["listing"], "statistics.unique_sources");
}

TEST(MessageToJson, OptionalAndMessagesOmittedWhenUnset) {
  v1::IcmpPacket p;
  p.set_packet_number(7);
  Json j = MessageToJson(p);
  EXPECT_FALSE(j.contains("icmp_id"));
  EXPECT_FALSE(j.contains("quoted"));
  EXPECT_EQ(j["icmp_type"], 0);
  p.set_icmp_id(0);  // set to zero: present
  p.mutable_quoted();
  j = MessageToJson(p);
  EXPECT_EQ(j["icmp_id"], 0);
  EXPECT_TRUE(j["quoted"].is_object());
}

TEST(MessageToJson, NonFiniteDoublesAreNull) {
  v1::Finding f;
  f.set_confidence(std::nan(""));
  EXPECT_TRUE(MessageToJson(f)["confidence"].is_null());
  f.set_confidence(std::numeric_limits<double>::infinity());
  EXPECT_TRUE(MessageToJson(f)["confidence"].is_null());
  f.set_confidence(0.5);
  EXPECT_EQ(MessageToJson(f)["confidence"], 0.5);
}

TEST(MessageToJson, EnumsAreLowercaseWordsAndUnspecifiedIsLeftOut) {
  v1::Finding f;
  EXPECT_FALSE(MessageToJson(f).contains("severity"));
  f.set_severity(v1::SEVERITY_HIGH);
  EXPECT_EQ(MessageToJson(f)["severity"], "high");
  v1::CaptureSummary s;
  s.set_format(v1::CAPTURE_FORMAT_PCAPNG);
  EXPECT_EQ(MessageToJson(s)["format"], "pcapng");
  s.set_format(v1::CAPTURE_FORMAT_PCAP_NSEC);  // spelled by its (json_value) option
  EXPECT_EQ(MessageToJson(s)["format"], "pcap-nsec");
}

TEST(MessageToJson, TimestampsAreRfc3339WithTheDigitsTheyNeed) {
  v1::PacketRef ref;
  ref.set_packet_number(7);
  EXPECT_FALSE(MessageToJson(ref).contains("timestamp"));  // unset: unknown
  ref.mutable_timestamp()->set_seconds(1700000000);
  EXPECT_EQ(MessageToJson(ref)["timestamp"], "2023-11-14T22:13:20Z");
  ref.mutable_timestamp()->set_nanos(10000000);
  EXPECT_EQ(MessageToJson(ref)["timestamp"], "2023-11-14T22:13:20.010Z");
  ref.mutable_timestamp()->set_nanos(167647000);
  EXPECT_EQ(MessageToJson(ref)["timestamp"], "2023-11-14T22:13:20.167647Z");
  ref.mutable_timestamp()->set_nanos(167647291);  // nanosecond captures keep every digit
  EXPECT_EQ(MessageToJson(ref)["timestamp"], "2023-11-14T22:13:20.167647291Z");
  ref.mutable_timestamp()->set_seconds(-1);
  ref.mutable_timestamp()->set_nanos(500000000);
  EXPECT_EQ(MessageToJson(ref)["timestamp"], "1969-12-31T23:59:59.500Z");
}

TEST(MessageToJson, DurationsAreNumbersInTheirUnitUnderAKeyNamingIt) {
  v1::LatencyStats l;
  l.set_samples(2);
  l.mutable_min()->set_nanos(1234567);  // 1.234567 ms
  l.mutable_max()->set_seconds(3);
  l.mutable_max()->set_nanos(1);
  const Json j = MessageToJson(l);
  EXPECT_EQ(j["min_ms"], 1.234567);
  EXPECT_EQ(j["max_ms"], 3000.000001);
  EXPECT_FALSE(j.contains("min"));
  EXPECT_FALSE(j.contains("median_ms"));  // unset: unknown, not zero
  EXPECT_EQ(DumpJson(j), R"({"samples":2,"min_ms":1.234567,"max_ms":3000.000001})");
}

TEST(MessageToJson, NestedRepeatedMessages) {
  v1::AnalyzeCapinfosResponse r;
  r.add_interfaces()->set_name("eth0");
  r.add_interfaces()->set_link_type(1);
  r.add_capture_comments("hello");
  Json j = MessageToJson(r);
  ASSERT_EQ(j["interfaces"].size(), 2u);
  EXPECT_EQ(j["interfaces"][0]["name"], "eth0");
  EXPECT_EQ(j["interfaces"][1]["link_type"], 1);
  EXPECT_EQ(j["capture_comments"], Json::array({"hello"}));
  EXPECT_EQ(j.begin().key(), "file_size_bytes");  // capture unset, so first is field 2
}

}  // namespace
}  // namespace mcpcap::gateway
