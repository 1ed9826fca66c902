// The DNS message parser over hand-built messages: every record type we decode, and every
// malformation we name.
#include "backend/dissect/dns.h"
#include "backend/dissect/dns_name.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/analysis/dns/dns_message_builder.h"

namespace mcpcap {
namespace {

using testing::Concat;
using testing::DnsBuilder;
using testing::WireName;
using V = std::vector<uint8_t>;

// Parses a response with one question and one answer of `type` with `rdata`.
DnsRecordEntry Answer(uint16_t type, const V& rdata, DnsAnomalySet* anomalies = nullptr) {
  DnsBuilder b;
  b.Header(0x1234, 0x8180, 1, 1).Question("example.com", type).Record("example.com", type, rdata);
  DnsMessage m;
  EXPECT_TRUE(ParseDnsMessage(b.span(), DnsVariant::kDns, &m));
  if (anomalies != nullptr) *anomalies = m.anomalies;
  EXPECT_EQ(m.answers.size(), 1u);
  return m.answers.empty() ? DnsRecordEntry() : m.answers[0];
}

std::vector<std::string> Names(const DnsAnomalySet& s) {
  std::vector<std::string> v;
  s.ForEach([&](DnsAnomaly a) { v.emplace_back(DnsAnomalyName(a)); });
  return v;
}

TEST(DnsParser, HeaderFlagsAndQuestion) {
  DnsBuilder b;
  b.Header(0xbeef, 0x81a3, 1, 0).Question("www.Example.com", 28);
  DnsMessage m;
  ASSERT_TRUE(ParseDnsMessage(b.span(), DnsVariant::kDns, &m));
  EXPECT_EQ(m.id, 0xbeef);
  EXPECT_TRUE(m.is_response());
  EXPECT_TRUE(m.recursion_desired());
  EXPECT_TRUE(m.recursion_available());
  EXPECT_TRUE(m.authentic_data());
  EXPECT_EQ(m.rcode(), 3);
  EXPECT_EQ(DnsRcodeName(m.rcode()), "NXDOMAIN");
  ASSERT_EQ(m.questions.size(), 1u);
  EXPECT_EQ(m.questions[0].name, "www.Example.com");
  EXPECT_EQ(DnsTypeName(m.questions[0].type), "AAAA");
  EXPECT_TRUE(m.anomalies.empty());
}

TEST(DnsParser, Names) {
  EXPECT_EQ(DnsRcodeName(2), "SERVFAIL");
  EXPECT_EQ(DnsRcodeName(5), "REFUSED");
  EXPECT_EQ(DnsOpcodeName(5), "UPDATE");
  EXPECT_EQ(DnsTypeName(65280), "TYPE65280");
  EXPECT_EQ(DnsClassName(7), "CLASS7");
}

TEST(DnsParser, AddressTypes) {
  EXPECT_EQ(Answer(1, {93, 184, 216, 34}).address, "93.184.216.34");
  EXPECT_EQ(Answer(28, {0x26, 0x06, 0x28, 0, 2, 0x20, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1}).address,
            "2606:2800:220:1::1");
}

TEST(DnsParser, NameTypes) {
  for (uint16_t type : {2, 5, 12, 39}) {
    const DnsRecordEntry rr = Answer(type, WireName("web.example.com"));
    EXPECT_EQ(rr.target, "web.example.com") << type;
    EXPECT_EQ(rr.data, "web.example.com") << type;
  }
}

TEST(DnsParser, MxSrvSoa) {
  EXPECT_EQ(Answer(15, Concat({{0, 10}, WireName("mail.example.com")})).data,
            "10 mail.example.com");
  EXPECT_EQ(Answer(33, Concat({{0, 10, 0, 20, 0x13, 0xc4}, WireName("sip.example.com")})).data,
            "10 20 5060 sip.example.com");
  const DnsRecordEntry soa =
      Answer(6, Concat({WireName("ns.example.com"),
                        WireName("hostmaster.example.com"),
                        {0,    0,    0, 1,    0,    0,    0x0e, 0x10, 0,    0,
                         0x07, 0x08, 0, 0x09, 0x3a, 0x80, 0,    0,    0x0e, 0x10}}));
  EXPECT_EQ(soa.data, "ns.example.com hostmaster.example.com 1 3600 1800 604800 3600");
  EXPECT_EQ(soa.target, "ns.example.com");
}

TEST(DnsParser, TxtIsCleanText) {
  V rdata = {11};
  for (char c : std::string("v=spf1 -all")) rdata.push_back(static_cast<uint8_t>(c));
  rdata.insert(rdata.end(), {3, 'a', '"', 0x01});
  EXPECT_EQ(Answer(16, rdata).data, "\"v=spf1 -all\" \"a\\\"\\001\"");
}

TEST(DnsParser, Caa) {
  V rdata = {0, 5, 'i', 's', 's', 'u', 'e'};
  for (char c : std::string("letsencrypt.org")) rdata.push_back(static_cast<uint8_t>(c));
  EXPECT_EQ(Answer(257, rdata).data, "0 issue \"letsencrypt.org\"");
}

TEST(DnsParser, DnssecSummaries) {
  EXPECT_EQ(Answer(43, {0x4f, 0x66, 8, 2, 0xab, 0xcd}).data, "20326 8 2 ABCD");
  const DnsRecordEntry key = Answer(48, {0x01, 0x01, 3, 13, 1, 2, 3, 4});
  EXPECT_THAT(key.data, ::testing::StartsWith("257 3 13 (KSK, key tag "));
  EXPECT_THAT(key.data, ::testing::EndsWith(", 4-byte key)"));
  const V rrsig = Concat(
      {{0, 1, 13, 2, 0, 0, 0x0e, 0x10, 0x65, 0x53, 0xf1, 0x00, 0x65, 0x2c, 0x64, 0x00, 0x12, 0x34},
       WireName("example.com"),
       {9, 9, 9, 9}});
  EXPECT_EQ(Answer(46, rrsig).data,
            "A 13 2 3600 20231114221320 20231015221320 4660 example.com (4-byte signature)");
  EXPECT_EQ(Answer(47, Concat({WireName("b.example.com"), {0, 1, 0x40}})).data, "b.example.com A");
}

TEST(DnsParser, HttpsSvcParams) {
  const V rdata =
      Concat({{0, 1},
              WireName(""),
              {0, 1, 0, 6, 2, 'h', '2', 2, 'h', '3'},
              {0, 3, 0, 2, 0x01, 0xbb},
              {0, 4, 0, 4, 1, 2, 3, 4},
              {0, 5, 0, 3, 9, 9, 9},
              {0, 6, 0, 16, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}});
  const DnsRecordEntry rr = Answer(65, rdata);
  EXPECT_EQ(rr.data, "1 . alpn=h2,h3 port=443 ipv4hint=1.2.3.4 ech=<3 bytes> ipv6hint=2001:db8::1");
  EXPECT_EQ(Answer(64, Concat({{0, 0}, WireName("svc.example.com")})).data, "0 svc.example.com");
}

TEST(DnsParser, UnknownTypeAsHex) {
  const DnsRecordEntry rr = Answer(65280, {0xde, 0xad});
  EXPECT_EQ(rr.data, "\\# 2 dead");
  EXPECT_EQ(rr.rdata_hex, "dead");
  EXPECT_EQ(Answer(10, {}).data, "\\# 0");  // NULL
}

TEST(DnsParser, EdnsOptions) {
  DnsBuilder b;
  b.Header(1, 0x0100, 1, 0, 0, 1).Question("example.com", 1);
  // OPT: root name, class = payload 1232, ttl = ext rcode 0, version 0, DO.
  const V opt = {0, 8,  0, 7, 0, 1,  24,  0,  192, 0, 2,     // ECS 192.0.2.0/24/0
                 0, 10, 0, 8, 1, 2,  3,   4,  5,   6, 7, 8,  // cookie
                 0, 12, 0, 3, 0, 0,  0,                      // padding
                 0, 15, 0, 4, 0, 18, 'n', 'o'};              // EDE 18
  b.Record("", 41, opt, 0x00008000, 1232);
  DnsMessage m;
  ASSERT_TRUE(ParseDnsMessage(b.span(), DnsVariant::kDns, &m));
  EXPECT_TRUE(m.anomalies.empty()) << ::testing::PrintToString(Names(m.anomalies));
  ASSERT_TRUE(m.edns.present);
  EXPECT_EQ(m.edns.udp_payload_size, 1232);
  EXPECT_TRUE(m.edns.dnssec_ok);
  EXPECT_EQ(m.edns.version, 0);
  ASSERT_EQ(m.edns.options.size(), 4u);
  EXPECT_EQ(m.edns.options[0].name, "CLIENT_SUBNET");
  EXPECT_EQ(m.edns.options[0].value, "192.0.2.0/24/0");
  EXPECT_EQ(m.edns.options[1].value, "client=0102030405060708");
  EXPECT_EQ(m.edns.options[2].value, "3 bytes");
  EXPECT_EQ(m.edns.options[3].value, "info-code=18 \"no\"");
}

TEST(DnsParser, ExtendedRcode) {
  DnsBuilder b;
  b.Header(1, 0x8000, 0, 0, 0, 1).Record("", 41, {}, 0x01000000, 512);
  DnsMessage m;
  ASSERT_TRUE(ParseDnsMessage(b.span(), DnsVariant::kDns, &m));
  EXPECT_EQ(DnsRcodeName(m.rcode()), "BADVERS");
}

TEST(DnsParser, CompressionPointers) {
  DnsBuilder b;
  b.Header(1, 0x8180, 1, 1).Question("www.example.com", 5);
  // Answer owner: pointer to the question name (offset 12); rdata "web" + pointer to example.com.
  b.Pointer(12).U16(5).U16(1).U32(60).U16(6).U8(3).Raw("web").Pointer(16);
  DnsMessage m;
  ASSERT_TRUE(ParseDnsMessage(b.span(), DnsVariant::kDns, &m));
  EXPECT_TRUE(m.anomalies.empty());
  ASSERT_EQ(m.answers.size(), 1u);
  EXPECT_EQ(m.answers[0].name, "www.example.com");
  EXPECT_EQ(m.answers[0].target, "web.example.com");
}

TEST(DnsParser, EscapesLikeDig) {
  DnsBuilder b;
  b.Header(1, 0, 1, 0).U8(5).Raw(std::string("a.b \x7f", 5)).U8(0).U16(1).U16(1);
  DnsMessage m;
  ASSERT_TRUE(ParseDnsMessage(b.span(), DnsVariant::kDns, &m));
  EXPECT_EQ(m.questions[0].name, "a\\.b\\032\\127");
}

TEST(DnsParser, RootName) {
  DnsBuilder b;
  b.Header(1, 0, 1, 0).Question("", 2);
  DnsMessage m;
  ASSERT_TRUE(ParseDnsMessage(b.span(), DnsVariant::kDns, &m));
  EXPECT_EQ(m.questions[0].name, ".");
}

// A label that spells a placeholder is data, never the root.
TEST(DnsParser, LabelSpellingRootIsNotTheRoot) {
  DnsBuilder b;
  b.Header(1, 0, 2, 0).Question("<Root>", 2);
  b.Bytes({1, '.', 0}).U16(2).U16(1);  // one label holding a dot
  DnsMessage m;
  ASSERT_TRUE(ParseDnsMessage(b.span(), DnsVariant::kDns, &m));
  ASSERT_EQ(m.questions.size(), 2u);
  EXPECT_EQ(m.questions[0].name, "<Root>");
  EXPECT_EQ(m.questions[1].name, "\\.");
}

TEST(DnsParser, MdnsClassBits) {
  DnsBuilder b;
  b.Header(0, 0x8400, 1, 1).Question("printer.local", 1, 0x8001);
  b.Record("printer.local", 1, {10, 0, 0, 9}, 120, 0x8001);
  DnsMessage m;
  ASSERT_TRUE(ParseDnsMessage(b.span(), DnsVariant::kMdns, &m));
  EXPECT_TRUE(m.questions[0].unicast_response);
  EXPECT_EQ(m.questions[0].klass, 1);
  EXPECT_TRUE(m.answers[0].cache_flush);
  EXPECT_EQ(m.answers[0].klass, 1);
}

// --- Malformations ---------------------------------------------------------------------------

DnsMessage ParseQuestionAt(DnsBuilder& b) {
  DnsMessage m;
  ParseDnsMessage(b.span(), DnsVariant::kDns, &m);
  return m;
}

TEST(DnsParserMalformed, ShortHeader) {
  DnsBuilder b;
  b.U16(1).U16(0);
  DnsMessage m;
  EXPECT_FALSE(ParseDnsMessage(b.span(), DnsVariant::kDns, &m));
  EXPECT_TRUE(m.anomalies.Has(DnsAnomaly::kTruncatedHeader));
}

TEST(DnsParserMalformed, PointerToItself) {
  DnsBuilder b;
  b.Header(1, 0, 1, 0).Pointer(12).U16(1).U16(1);
  const DnsMessage m = ParseQuestionAt(b);
  EXPECT_TRUE(m.anomalies.Has(DnsAnomaly::kPointerLoop));
  EXPECT_TRUE(m.questions.empty());
}

TEST(DnsParserMalformed, PointerLoopThroughLabels) {
  DnsBuilder b;
  // offset 12: "a" then pointer to 16; offset 16: "b" then pointer back to 12.
  b.Header(1, 0, 1, 0).U8(1).Raw("a").Pointer(16).U8(1).Raw("b").Pointer(12);
  const DnsMessage m = ParseQuestionAt(b);
  EXPECT_TRUE(m.anomalies.Has(DnsAnomaly::kPointerLoop))
      << ::testing::PrintToString(Names(m.anomalies));
}

TEST(DnsParserMalformed, PointerPastEnd) {
  DnsBuilder b;
  b.Header(1, 0, 1, 0).Pointer(0x3fff).U16(1).U16(1);
  EXPECT_TRUE(ParseQuestionAt(b).anomalies.Has(DnsAnomaly::kPointerPastEnd));
}

TEST(DnsParserMalformed, ForwardPointerIsFlaggedButFollowed) {
  DnsBuilder b;
  b.Header(1, 0, 1, 0).Pointer(18).U16(1).U16(1).Name("fwd.example");
  const DnsMessage m = ParseQuestionAt(b);
  EXPECT_TRUE(m.anomalies.Has(DnsAnomaly::kPointerForward));
  ASSERT_EQ(m.questions.size(), 1u);
  EXPECT_EQ(m.questions[0].name, "fwd.example");
}

TEST(DnsParserMalformed, LabelTooLong) {
  DnsBuilder b;
  b.Header(1, 0, 1, 0).U8(64).Raw(std::string(64, 'a')).U8(0).U16(1).U16(1);
  EXPECT_TRUE(ParseQuestionAt(b).anomalies.Has(DnsAnomaly::kLabelTooLong));
}

TEST(DnsParserMalformed, NameTooLong) {
  DnsBuilder b;
  b.Header(1, 0, 1, 0);
  for (int i = 0; i < 5; ++i) b.U8(60).Raw(std::string(60, 'a'));
  b.U8(0).U16(1).U16(1);
  EXPECT_TRUE(ParseQuestionAt(b).anomalies.Has(DnsAnomaly::kNameTooLong));
}

TEST(DnsParserMalformed, TooManyLabels) {
  DnsBuilder b;
  b.Header(1, 0, 1, 0);
  for (int i = 0; i < 128; ++i) b.U8(1).Raw("a");
  b.U8(0).U16(1).U16(1);
  EXPECT_TRUE(ParseQuestionAt(b).anomalies.Has(DnsAnomaly::kTooManyLabels));
}

TEST(DnsParserMalformed, TruncatedNameQuestionAndRecord) {
  DnsBuilder a;
  a.Header(1, 0, 1, 0).U8(5).Raw("ab");
  EXPECT_TRUE(ParseQuestionAt(a).anomalies.Has(DnsAnomaly::kTruncatedName));
  DnsBuilder q;
  q.Header(1, 0, 1, 0).Name("example.com").U16(1);
  EXPECT_TRUE(ParseQuestionAt(q).anomalies.Has(DnsAnomaly::kTruncatedQuestion));
  DnsBuilder r;
  r.Header(1, 0x8000, 1, 1)
      .Question("example.com", 1)
      .Name("example.com")
      .U16(1)
      .U16(1)
      .U32(5)
      .U16(4)
      .Bytes({1, 2});
  const DnsMessage m = ParseQuestionAt(r);
  EXPECT_TRUE(m.anomalies.Has(DnsAnomaly::kTruncatedRecord));
  EXPECT_EQ(m.questions.size(), 1u);  // what came before the problem is kept
}

TEST(DnsParserMalformed, BadRdataFallsBackToHex) {
  DnsAnomalySet anomalies;
  const DnsRecordEntry rr = Answer(1, {1, 2, 3}, &anomalies);
  EXPECT_TRUE(anomalies.Has(DnsAnomaly::kBadRdata));
  EXPECT_EQ(rr.data, "\\# 3 010203");
  EXPECT_TRUE(rr.address.empty());
}

TEST(DnsParserMalformed, AbsurdCountsAreCapped) {
  DnsBuilder b;
  b.Header(1, 0x8000, 0, 0xffff, 0xffff, 0xffff);
  for (int i = 0; i < 400; ++i) b.Pointer(12).U16(1).U16(1).U32(0).U16(4).Bytes({1, 2, 3, 4});
  // The pointer at 12 points at itself: that record's owner name is a loop.
  DnsMessage m;
  ASSERT_TRUE(ParseDnsMessage(b.span(), DnsVariant::kDns, &m));
  EXPECT_TRUE(m.anomalies.Has(DnsAnomaly::kTooManyRecords));
  DnsBuilder ok;
  ok.Header(1, 0x8000, 0, 0xffff);
  for (int i = 0; i < 400; ++i) ok.Name("a").U16(1).U16(1).U32(0).U16(4).Bytes({1, 2, 3, 4});
  ASSERT_TRUE(ParseDnsMessage(ok.span(), DnsVariant::kDns, &m));
  EXPECT_TRUE(m.anomalies.Has(DnsAnomaly::kTooManyRecords));
  EXPECT_EQ(m.answers.size(), kDnsMaxRecords);
}

TEST(DnsParserMalformed, CountsBeyondTheMessage) {
  DnsBuilder b;
  b.Header(1, 0, 3, 0).Question("example.com", 1);
  EXPECT_TRUE(ParseQuestionAt(b).anomalies.Has(DnsAnomaly::kCountMismatch));
}

TEST(DnsParserMalformed, TrailingBytes) {
  DnsBuilder b;
  b.Header(1, 0, 1, 0).Question("example.com", 1).Bytes({0xde, 0xad});
  EXPECT_TRUE(ParseQuestionAt(b).anomalies.Has(DnsAnomaly::kTrailingBytes));
}

TEST(DnsParserMalformed, OptInAnswerSection) {
  DnsBuilder b;
  b.Header(1, 0x8000, 0, 1).Record("", 41, {}, 0, 512);
  const DnsMessage m = ParseQuestionAt(b);
  EXPECT_TRUE(m.anomalies.Has(DnsAnomaly::kBadOpt));
  EXPECT_FALSE(m.edns.present);
}

TEST(DnsParserMalformed, OptOwnedByALabelNotTheRoot) {
  DnsBuilder root;
  root.Header(1, 0x8000, 0, 0, 0, 1).Record("", 41, {}, 0, 512);
  EXPECT_FALSE(ParseQuestionAt(root).anomalies.Has(DnsAnomaly::kBadOpt));
  DnsBuilder label;
  label.Header(1, 0x8000, 0, 0, 0, 1).Record("<Root>", 41, {}, 0, 512);
  EXPECT_TRUE(ParseQuestionAt(label).anomalies.Has(DnsAnomaly::kBadOpt));
}

TEST(DnsHeuristic, AcceptsCleanQueriesOnly) {
  DnsBuilder b;
  b.Header(7, 0x0100, 1, 0).Question("www.example.com", 1);
  DnsMessage m;
  ParseDnsMessage(b.span(), DnsVariant::kDns, &m);
  EXPECT_TRUE(LooksLikeDns(m));
  DnsBuilder junk;
  junk.Header(7, 0x0100, 1, 0).Question("www.exa\x01mple.com", 1);
  ParseDnsMessage(junk.span(), DnsVariant::kDns, &m);
  EXPECT_FALSE(LooksLikeDns(m));
}

}  // namespace
}  // namespace mcpcap
