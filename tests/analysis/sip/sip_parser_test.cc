#include <string>
#include <vector>

#include "backend/dissect/sip.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mcpcap {
namespace {

Bytes B(const std::string& s) {
  return Bytes(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

const char kInvite[] =
    "INVITE sip:bob@example.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1\r\n"
    "Via: SIP/2.0/UDP 10.0.0.9:5060;branch=z9hG4bK0\r\n"
    "From: Alice <sip:alice@example.com>;tag=1\r\n"
    "To: <sip:bob@example.com>\r\n"
    "Call-ID: abc@10.0.0.1\r\n"
    "CSeq: 1 INVITE\r\n"
    "Content-Type: application/sdp\r\n"
    "Content-Length: 10\r\n"
    "\r\n"
    "v=0\r\no=x\r\n";

TEST(SipParse, RequestFieldsRepeatedViaAndExactBody) {
  SipMessage m;
  ASSERT_EQ(ParseSipDatagram(B(kInvite), &m), SipParseStatus::kOk);
  EXPECT_TRUE(m.is_request);
  EXPECT_EQ(m.method, "INVITE");
  EXPECT_EQ(m.request_uri, "sip:bob@example.com");
  EXPECT_EQ(m.version, "SIP/2.0");
  EXPECT_EQ(m.start_line, "INVITE sip:bob@example.com SIP/2.0");
  ASSERT_EQ(m.headers.size(), 8u);
  EXPECT_EQ(m.headers[0].name, "via");
  EXPECT_EQ(m.headers[1].name, "via");
  EXPECT_EQ(m.HeaderOr("via"), "SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1");  // the first
  EXPECT_EQ(m.HeaderOr("call-id"), "abc@10.0.0.1");
  ASSERT_TRUE(m.content_length.has_value());
  EXPECT_EQ(*m.content_length, 10u);
  EXPECT_EQ(m.body_length, 10u);  // CRLF counted as on the wire (the original said 9)
  EXPECT_TRUE(m.problems.empty());
}

TEST(SipParse, ResponseLine) {
  SipMessage m;
  ASSERT_EQ(ParseSipDatagram(B("SIP/2.0 487 Request Terminated\r\nCSeq: 1 INVITE\r\n\r\n"), &m),
            SipParseStatus::kOk);
  EXPECT_FALSE(m.is_request);
  EXPECT_EQ(m.status_code, 487);
  EXPECT_EQ(m.reason, "Request Terminated");
  EXPECT_FALSE(m.content_length.has_value());
  EXPECT_EQ(m.body_length, 0u);
  ASSERT_EQ(ParseSipDatagram(B("SIP/2.0 200\r\n\r\n"), &m), SipParseStatus::kOk);  // no reason
  EXPECT_EQ(m.status_code, 200);
}

TEST(SipParse, CompactFormsCaseAndFolding) {
  const std::string msg =
      "MESSAGE sip:b@x SIP/2.0\r\n"
      "v: SIP/2.0/UDP h\r\ni: id1\r\nF: <sip:a@x>\r\nt: <sip:b@x>\r\nm: <sip:a@h>\r\n"
      "c: text/plain\r\nk: timer\r\ns: hi\r\ne: gzip\r\no: presence\r\nr: <sip:c@x>\r\n"
      "u: dialog\r\nx: 90\r\nUSER-agent: Phone\r\n"
      "Subject : folded\r\n   across\r\n\tthree lines\r\n"
      "L: 0\r\n\r\n";
  SipMessage m;
  ASSERT_EQ(ParseSipDatagram(B(msg), &m), SipParseStatus::kOk);
  std::vector<std::string> names;
  for (const auto& h : m.headers) names.push_back(h.name);
  EXPECT_THAT(names, ::testing::ElementsAre(
                         "via", "call-id", "from", "to", "contact", "content-type", "supported",
                         "subject", "content-encoding", "event", "refer-to", "allow-events",
                         "session-expires", "user-agent", "subject", "content-length"));
  EXPECT_EQ(m.headers[14].value, "folded across three lines");
  EXPECT_EQ(m.HeaderOr("call-id"), "id1");
  EXPECT_EQ(m.HeaderOr("user-agent"), "Phone");
  EXPECT_EQ(m.content_length.value_or(99), 0u);
}

TEST(SipParse, SelectionByContent) {
  EXPECT_TRUE(LooksLikeSip(B("SIP/2.0 200 OK\r\n")));
  EXPECT_TRUE(LooksLikeSip(B("register sip:x SIP/2.0\r\n")));  // case-insensitive, as the original
  EXPECT_TRUE(LooksLikeSip(B("FOOBAR sip:x SIP/2.0\r\n")));    // extension method
  EXPECT_FALSE(LooksLikeSip(B("GET / HTTP/1.1\r\n")));
  EXPECT_FALSE(LooksLikeSip(B("HTTP/1.1 200 OK\r\n")));
  EXPECT_FALSE(LooksLikeSip(B("INVITEX sip:x SIP/2.0\r\n").subspan(0, 3)));
  EXPECT_FALSE(LooksLikeSip(B("")));
  SipMessage m;
  EXPECT_EQ(ParseSipDatagram(B("GET / HTTP/1.1\r\n\r\n"), &m), SipParseStatus::kNotSip);
}

TEST(SipParse, BadStartLines) {
  SipMessage m;
  for (const char* bad :
       {"INVITE sip:x\r\n\r\n", "INVITE sip:x HTTP/1.1\r\n\r\n", "SIP/2.0 2000 OK\r\n\r\n",
        "SIP/2.0 099 X\r\n\r\n", "SIP/2.0 OK\r\n\r\n", "INVITE  SIP/2.0\r\n\r\n"}) {
    EXPECT_EQ(ParseSipDatagram(B(bad), &m), SipParseStatus::kBad) << bad;
    EXPECT_TRUE(m.problems.Has(SipProblem::kBadStartLine)) << bad;
  }
}

TEST(SipParse, DatagramLengthProblems) {
  SipMessage m;
  ASSERT_EQ(ParseSipDatagram(B("OPTIONS sip:x SIP/2.0\r\nContent-Length: 50\r\n\r\nabc"), &m),
            SipParseStatus::kOk);
  EXPECT_TRUE(m.problems.Has(SipProblem::kContentLengthMismatch));
  EXPECT_EQ(m.body_length, 3u);
  ASSERT_EQ(ParseSipDatagram(B("OPTIONS sip:x SIP/2.0\r\nContent-Length: 2\r\n\r\nabcd"), &m),
            SipParseStatus::kOk);
  EXPECT_EQ(m.body_length, 2u);  // RFC 3261 18.3: the rest is discarded
  EXPECT_TRUE(m.problems.empty());
  ASSERT_EQ(ParseSipDatagram(B("OPTIONS sip:x SIP/2.0\r\nContent-Length: ten\r\n\r\n"), &m),
            SipParseStatus::kOk);
  EXPECT_TRUE(m.problems.Has(SipProblem::kBadContentLength));
  EXPECT_FALSE(m.content_length.has_value());
  ASSERT_EQ(ParseSipDatagram(B("OPTIONS sip:x SIP/2.0\r\nl: 99999999999\r\n\r\n"), &m),
            SipParseStatus::kOk);
  EXPECT_TRUE(m.problems.Has(SipProblem::kBadContentLength));
  ASSERT_EQ(ParseSipDatagram(B("OPTIONS sip:x SIP/2.0\r\nl: 4000000\r\n\r\n"), &m),
            SipParseStatus::kOk);
  EXPECT_TRUE(m.problems.Has(SipProblem::kContentLengthAbsurd));
  ASSERT_EQ(ParseSipDatagram(B("OPTIONS sip:x SIP/2.0\r\nCall-ID: 1\r\n"), &m),
            SipParseStatus::kOk);
  EXPECT_TRUE(m.problems.Has(SipProblem::kNoHeaderEnd));
  EXPECT_EQ(m.HeaderOr("call-id"), "1");
  ASSERT_EQ(ParseSipDatagram(B("OPTIONS sip:x SIP/2.0\r\nno colon here\r\n\r\n"), &m),
            SipParseStatus::kOk);
  EXPECT_TRUE(m.problems.Has(SipProblem::kBadHeaderLine));
}

TEST(SipParse, LimitsOnLinesAndHeaders) {
  SipMessage m;
  std::string longline = "OPTIONS sip:x SIP/2.0\r\nX-Long: " + std::string(10000, 'a') + "\r\n\r\n";
  ASSERT_EQ(ParseSipDatagram(B(longline), &m), SipParseStatus::kOk);
  EXPECT_TRUE(m.problems.Has(SipProblem::kHeaderLineTooLong));
  std::string many = "OPTIONS sip:x SIP/2.0\r\n";
  for (int i = 0; i < 300; ++i) many += "X-H: " + std::to_string(i) + "\r\n";
  ASSERT_EQ(ParseSipDatagram(B(many + "\r\n"), &m), SipParseStatus::kOk);
  EXPECT_EQ(m.headers.size(), kSipMaxHeaders);
  EXPECT_TRUE(m.problems.Has(SipProblem::kTooManyHeaders));
  // A stream header section that never ends is dropped, not buffered forever.
  std::string endless = "OPTIONS sip:x SIP/2.0\r\n";
  while (endless.size() <= kSipMaxHeaderBytes) endless += "X-H: filler filler filler\r\n";
  size_t consumed = 0;
  EXPECT_EQ(FrameSipMessage(B(endless), &m, &consumed), SipParseStatus::kBad);
  EXPECT_TRUE(m.problems.Has(SipProblem::kHeadersTooLong));
}

// Feeds `stream` split at the given points and collects what comes out.
std::vector<std::string> Frame(const std::string& stream, const std::vector<size_t>& cuts,
                               std::vector<size_t>* bodies = nullptr, int* bad = nullptr) {
  SipStreamParser parser;
  std::vector<std::string> out;
  size_t from = 0;
  std::vector<size_t> points = cuts;
  points.push_back(stream.size());
  for (size_t to : points) {
    parser.Feed(B(stream.substr(from, to - from)));
    from = to;
    SipMessage m;
    for (SipParseStatus s; (s = parser.Next(&m)) != SipParseStatus::kNeedMore;) {
      if (s == SipParseStatus::kOk) {
        out.push_back(m.is_request ? m.method : std::to_string(m.status_code));
        if (bodies != nullptr) bodies->push_back(m.body_length);
      } else if (bad != nullptr) {
        ++*bad;
      }
    }
  }
  return out;
}

TEST(SipStream, SeveralMessagesInOneBufferWithKeepAlives) {
  const std::string s = std::string(kInvite) + "\r\n\r\n" + "SIP/2.0 100 Trying\r\nl: 0\r\n\r\n" +
                        "ACK sip:b@x SIP/2.0\r\nContent-Length: 0\r\n\r\n";
  std::vector<size_t> bodies;
  EXPECT_THAT(Frame(s, {}, &bodies), ::testing::ElementsAre("INVITE", "100", "ACK"));
  EXPECT_THAT(bodies, ::testing::ElementsAre(10, 0, 0));
}

TEST(SipStream, SplitAtEveryBytePosition) {
  const std::string s =
      std::string(kInvite) + "SIP/2.0 180 Ringing\r\nContent-Length: 3\r\n\r\nabc";
  for (size_t cut = 0; cut <= s.size(); ++cut) {
    std::vector<size_t> bodies;
    int bad = 0;
    EXPECT_THAT(Frame(s, {cut}, &bodies, &bad), ::testing::ElementsAre("INVITE", "180"))
        << "cut at " << cut;
    EXPECT_THAT(bodies, ::testing::ElementsAre(10, 3));
    EXPECT_EQ(bad, 0);
  }
  // And one byte at a time.
  std::vector<size_t> every;
  for (size_t i = 1; i < s.size(); ++i) every.push_back(i);
  EXPECT_THAT(Frame(s, every), ::testing::ElementsAre("INVITE", "180"));
}

TEST(SipStream, MissingAndBadContentLength) {
  SipMessage m;
  size_t consumed = 0;
  ASSERT_EQ(FrameSipMessage(B("OPTIONS sip:x SIP/2.0\r\nCall-ID: 1\r\n\r\nrest"), &m, &consumed),
            SipParseStatus::kOk);
  EXPECT_TRUE(m.problems.Has(SipProblem::kMissingContentLength));
  EXPECT_EQ(consumed, std::string("OPTIONS sip:x SIP/2.0\r\nCall-ID: 1\r\n\r\n").size());
  EXPECT_EQ(FrameSipMessage(B("OPTIONS sip:x SIP/2.0\r\nl: 10\r\n\r\nabc"), &m, &consumed),
            SipParseStatus::kNeedMore);
  // An absurd length: the message is reported, the body skipped by resynchronising.
  const std::string s = "INVITE sip:x SIP/2.0\r\nContent-Length: 999999999\r\n\r\n" +
                        std::string(5000, 'z') + "\r\nBYE sip:x SIP/2.0\r\nl: 0\r\n\r\n";
  EXPECT_THAT(Frame(s, {}), ::testing::ElementsAre("INVITE", "BYE"));
}

TEST(SipStream, GarbageAndGapsResynchronise) {
  SipStreamParser parser;
  SipMessage m;
  parser.Feed(B("INVITE sip:x SIP/2.0\r\nContent-Length: 100\r\n\r\npartial"));
  EXPECT_EQ(parser.Next(&m), SipParseStatus::kNeedMore);
  parser.Gap();  // the rest of the INVITE was never captured
  EXPECT_EQ(parser.Next(&m), SipParseStatus::kBad);
  EXPECT_TRUE(m.problems.Has(SipProblem::kStreamGap));
  parser.Feed(B("dy tail\r\nmore\r\nSIP/2.0 200 OK\r\nl: 0\r\n\r\n"));
  ASSERT_EQ(parser.Next(&m), SipParseStatus::kOk);
  EXPECT_EQ(m.status_code, 200);
  EXPECT_EQ(parser.Next(&m), SipParseStatus::kNeedMore);
  EXPECT_EQ(parser.buffered(), 0u);

  int bad = 0;
  EXPECT_THAT(Frame("INVITE garbage\r\nxx\r\nBYE sip:x SIP/2.0\r\nl: 0\r\n\r\n", {}, nullptr, &bad),
              ::testing::ElementsAre("BYE"));
  EXPECT_EQ(bad, 1);
}

TEST(SipNames, CanonicalAndProblems) {
  EXPECT_EQ(CanonicalSipHeaderName("I"), "call-id");
  EXPECT_EQ(CanonicalSipHeaderName("Call-ID"), "call-id");
  EXPECT_EQ(CanonicalSipHeaderName("X-Custom"), "x-custom");
  EXPECT_EQ(CanonicalSipHeaderName("q"), "q");
  EXPECT_EQ(SipProblemName(SipProblem::kContentLengthMismatch), "sip_content_length_mismatch");
  for (int i = 0; i < static_cast<int>(SipProblem::kCount); ++i) {
    EXPECT_NE(SipProblemName(static_cast<SipProblem>(i)), "sip_unknown");
  }
}

}  // namespace
}  // namespace mcpcap
