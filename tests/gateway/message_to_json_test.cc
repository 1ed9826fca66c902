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
            R"({"source":"/x.pcap","format":"","file_size_bytes":18446744073709551615,)"
            R"("packets_read":0,"packets_examined":0,"packet_limit_reached":false,)"
            R"("bpf_filter":"","warnings":[],"anomalies":{"alpha":1,"mid":3,"zeta":2},)"
            R"("truncated_listings":[],"truncated":false})");
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
  v1::LatencyStats l;
  l.set_min_ms(std::nan(""));
  l.set_max_ms(std::numeric_limits<double>::infinity());
  l.set_average_ms(1.5);
  Json j = MessageToJson(l);
  EXPECT_TRUE(j["min_ms"].is_null());
  EXPECT_TRUE(j["max_ms"].is_null());
  EXPECT_EQ(j["average_ms"], 1.5);
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
