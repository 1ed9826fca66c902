// follow_stream's contract beyond tshark agreement: argument errors, streams not found, paging
// in every encoding (pages put back together equal the whole), the answer's size bound, and the
// follower's counts on crafted segments (holes acknowledged, never acknowledged, resent bytes,
// snapped segments, the bound on what waits behind a hole).
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "backend/analysis/streams/payload_text.h"
#include "backend/analysis/streams/stream_page.h"
#include "backend/analysis/streams/tcp_follow.h"
#include "backend/dissect/packet.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/analysis/streams/follow_test_util.h"

namespace mcpcap {
namespace {

using testing::FollowAll;
using testing::InputFor;

std::string Capture(const char* relative) {
  return std::string(MCPCAP_EXAMPLES) + "/../" + relative;
}

v1::FollowStreamRequest ByIndex(const std::string& path, uint64_t index,
                                v1::StreamProtocol protocol = v1::STREAM_PROTOCOL_TCP) {
  v1::FollowStreamRequest r;
  r.set_pcap_file(path);
  r.set_protocol(protocol);
  r.set_stream_index(index);
  return r;
}

absl::StatusCode Code(const v1::FollowStreamRequest& r) {
  return FollowStream(InputFor(r.pcap_file()), r).status().code();
}

// The text encoding read back: "\\" and "\xNN" escapes, everything else as it is.
std::string Unescape(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      out += text[i];
    } else if (text[i + 1] == '\\') {
      out += '\\';
      ++i;
    } else {
      int v = 0;
      EXPECT_EQ(text[i + 1], 'x');
      EXPECT_TRUE(absl::SimpleHexAtoi(text.substr(i + 2, 2), &v));
      out += static_cast<char>(v);
      i += 3;
    }
  }
  return out;
}

// A call with neither stream_index nor endpoints (a tool called with its defaults) follows
// stream 0, exactly as when stream_index 0 is given.
TEST(FollowStream, NoStreamNamedIsTheFirstStream) {
  const std::string path = Capture("tests/analysis/tcp/data/http.pcap");
  v1::FollowStreamRequest neither;
  neither.set_pcap_file(path);
  auto defaulted = FollowStream(InputFor(path), neither);
  auto first = FollowStream(InputFor(path), ByIndex(path, 0));
  ASSERT_TRUE(defaulted.ok()) << defaulted.status();
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(defaulted->stream_index(), 0u);
  EXPECT_GT(defaulted->total_bytes(), 0u);
  EXPECT_EQ(defaulted->total_bytes(), first->total_bytes());
  EXPECT_EQ(defaulted->chunks_size(), first->chunks_size());
  EXPECT_EQ(defaulted->client().ip(), first->client().ip());
}

TEST(FollowStream, BadArgumentsAreInvalid) {
  const std::string path = Capture("tests/analysis/tcp/data/http.pcap");
  v1::FollowStreamRequest both = ByIndex(path, 0);
  both.mutable_endpoint_a()->set_ip("10.0.0.1");
  both.mutable_endpoint_b()->set_ip("10.0.0.2");
  EXPECT_EQ(Code(both), absl::StatusCode::kInvalidArgument);
  v1::FollowStreamRequest one_end;
  one_end.set_pcap_file(path);
  one_end.mutable_endpoint_a()->set_ip("10.0.0.1");
  EXPECT_EQ(Code(one_end), absl::StatusCode::kInvalidArgument);
  v1::FollowStreamRequest bad_ip = one_end;
  bad_ip.mutable_endpoint_b()->set_ip("10.0.0.300");
  EXPECT_EQ(Code(bad_ip), absl::StatusCode::kInvalidArgument);
  v1::FollowStreamRequest bad_port = one_end;
  bad_port.mutable_endpoint_b()->set_ip("10.0.0.2");
  bad_port.mutable_endpoint_b()->set_port(70000);
  EXPECT_EQ(Code(bad_port), absl::StatusCode::kInvalidArgument);
  v1::FollowStreamRequest protocol = ByIndex(path, 0);
  protocol.set_protocol(static_cast<v1::StreamProtocol>(7));
  EXPECT_EQ(Code(protocol), absl::StatusCode::kInvalidArgument);
  v1::FollowStreamRequest encoding = ByIndex(path, 0);
  encoding.set_encoding(static_cast<v1::PayloadEncoding>(9));
  EXPECT_EQ(Code(encoding), absl::StatusCode::kInvalidArgument);
  v1::FollowStreamRequest too_many = ByIndex(path, 0);
  too_many.set_max_bytes(65537);
  EXPECT_EQ(Code(too_many), absl::StatusCode::kInvalidArgument);
}

TEST(FollowStream, AbsentStreamsNameTheCount) {
  const std::string path = Capture("tests/analysis/tcp/data/http.pcap");
  const auto [tcp, udp] = testing::OurStreamCounts(path);
  ASSERT_GT(tcp, 0u);
  absl::StatusOr<v1::FollowStreamResponse> r = FollowStream(InputFor(path), ByIndex(path, tcp));
  ASSERT_TRUE(absl::IsNotFound(r.status())) << r.status();
  EXPECT_TRUE(absl::StrContains(r.status().message(), absl::StrCat("has ", tcp, " TCP streams")))
      << r.status();
  v1::FollowStreamRequest ends;
  ends.set_pcap_file(path);
  ends.mutable_endpoint_a()->set_ip("192.0.2.1");
  ends.mutable_endpoint_b()->set_ip("192.0.2.2");
  r = FollowStream(InputFor(path), ends);
  EXPECT_TRUE(absl::IsNotFound(r.status())) << r.status();
  // A filter that passes none of its packets.
  AnalysisInput input = InputFor(path);
  input.bpf_filter = "udp";
  r = FollowStream(input, ByIndex(path, 0));
  EXPECT_TRUE(absl::IsNotFound(r.status())) << r.status();
  EXPECT_TRUE(absl::StrContains(r.status().message(), "bpf_filter")) << r.status();
}

// Paged in small pages of text and base64, the stream equals the one read in a single hex page,
// and every default answer stays under 40,000 JSON characters.
TEST(FollowStream, PagesPutTogetherEqualTheWhole) {
  for (const char* relative :
       {"tests/analysis/tcp/data/http.pcap", "tests/analysis/tcp/data/loss.pcap",
        "tests/analysis/payload/data/tls_1_2.pcap",
        "tests/analysis/payload/data/redis_pipeline.pcap",
        "tests/analysis/payload/data/mysql_session.pcap", "examples/dns_loopback.pcap"}) {
    const std::string path = Capture(relative);
    SCOPED_TRACE(path);
    const auto [tcp, udp] = testing::OurStreamCounts(path);
    for (int p = 0; p < 2; ++p) {
      const uint64_t count = std::min<uint64_t>(p == 0 ? tcp : udp, 3);
      for (uint64_t i = 0; i < count; ++i) {
        const v1::FollowStreamRequest request =
            ByIndex(path, i, p == 0 ? v1::STREAM_PROTOCOL_TCP : v1::STREAM_PROTOCOL_UDP);
        v1::FollowStreamRequest whole_request = request;
        whole_request.set_max_bytes(65536);
        const testing::PagedStream whole = FollowAll(path, whole_request);
        ASSERT_TRUE(whole.status.ok()) << whole.status;

        v1::FollowStreamRequest small = request;
        small.set_max_bytes(97);
        const testing::PagedStream base64 = FollowAll(path, small, v1::PAYLOAD_ENCODING_BASE64);
        EXPECT_EQ(base64.bytes[0], whole.bytes[0]);
        EXPECT_EQ(base64.bytes[1], whole.bytes[1]);
        EXPECT_TRUE(base64.offsets_consistent);
        EXPECT_EQ(base64.pages, std::max<int>(1, (whole.first.total_bytes() + 96) / 97));

        // Text, page by page through next_offset, read back.
        std::string text[2];
        v1::FollowStreamRequest page = request;
        page.set_max_bytes(301);
        page.set_encoding(v1::PAYLOAD_ENCODING_TEXT);
        for (;;) {
          absl::StatusOr<v1::FollowStreamResponse> r = FollowStream(InputFor(path), page);
          ASSERT_TRUE(r.ok()) << r.status();
          for (const v1::StreamChunk& c : r->chunks()) {
            const std::string bytes = Unescape(c.data());
            EXPECT_EQ(bytes.size(), c.length());
            text[c.direction() == v1::STREAM_DIRECTION_CLIENT_TO_SERVER ? 0 : 1] += bytes;
          }
          if (!r->has_next_offset()) break;
          page.set_offset(r->next_offset());
        }
        EXPECT_EQ(text[0], whole.bytes[0]);
        EXPECT_EQ(text[1], whole.bytes[1]);

        // The default answer (text, 4096 bytes) as JSON.
        absl::StatusOr<v1::FollowStreamResponse> first = FollowStream(InputFor(path), request);
        ASSERT_TRUE(first.ok());
        std::string json;
        ASSERT_TRUE(google::protobuf::util::MessageToJsonString(*first, &json).ok());
        EXPECT_LT(json.size(), 40000u);
      }
    }
  }
}

// Records and holes as a sink sees them.
struct Recorder : FollowSink {
  std::string bytes[2];
  std::vector<uint64_t> gaps[2];
  void OnRecord(int node, Bytes data, uint64_t, CaptureNanos) override {
    bytes[node].append(data.begin(), data.end());
  }
  void OnGap(int node, uint64_t missing) override { gaps[node].push_back(missing); }
};

FollowSegment Segment(int node, uint32_t seq, uint32_t ack, uint16_t flags, const std::string& data,
                      uint32_t seglen = 0) {
  FollowSegment s;
  s.node = node;
  s.seq = seq;
  s.ack = ack;
  s.flags = flags;
  s.payload = Bytes(reinterpret_cast<const uint8_t*>(data.data()), data.size());
  s.seglen = seglen != 0 ? seglen : static_cast<uint32_t>(data.size());
  return s;
}

TEST(TcpFollow, HolesRetransmissionsAndSnappedSegments) {
  Recorder sink;
  TcpFollow follow(&sink);
  const std::string abc = "abc", def = "defgh", ijk = "ijk", xyz = "xyz";
  follow.OnSegment(Segment(0, 1000, 0, kTcpSyn, ""));
  follow.OnSegment(Segment(1, 5000, 1001, kTcpSyn | kTcpAck, ""));
  follow.OnSegment(Segment(0, 1001, 5001, kTcpAck, abc));  // in order
  follow.OnSegment(Segment(0, 1001, 5001, kTcpAck, abc));  // resent
  follow.OnSegment(Segment(0, 1009, 5001, kTcpAck, ijk));  // after a 5-byte hole: waits
  EXPECT_EQ(sink.bytes[0], "abc");
  follow.OnSegment(Segment(1, 5001, 1012, kTcpAck, ""));  // the peer acknowledges past it
  EXPECT_EQ(sink.bytes[0], "abcijk");
  ASSERT_EQ(sink.gaps[0].size(), 1u);
  EXPECT_EQ(sink.gaps[0][0], 5u);
  follow.OnSegment(Segment(0, 1004, 5001, kTcpAck, def));  // the lost bytes, too late
  // Snapped: 3 of 10 bytes captured; the next segment follows the whole 10.
  follow.OnSegment(Segment(0, 1012, 5001, kTcpAck, xyz, 10));
  follow.OnSegment(Segment(0, 1022, 5001, kTcpAck, abc));
  follow.OnSegment(Segment(0, 1100, 5001, kTcpAck, ijk));  // never acknowledged
  follow.Finish();
  EXPECT_EQ(sink.bytes[0], "abcijkxyzabc");
  // The snapped bytes are a hole before the next record.
  EXPECT_EQ(sink.gaps[0], (std::vector<uint64_t>{5, 7}));
  const FollowTotals& t = follow.totals(0);
  EXPECT_EQ(t.bytes, 12u);
  EXPECT_EQ(t.gap_bytes, 5u);
  EXPECT_EQ(t.retransmitted_bytes, 8u);
  EXPECT_EQ(t.truncated_bytes, 7u);
  EXPECT_EQ(t.undelivered_bytes, 3u);
  EXPECT_EQ(t.packets, 7u);  // segments with payload, resent ones too
  EXPECT_EQ(follow.totals(1).bytes, 0u);
}

TEST(TcpFollow, WaitingBytesAreBounded) {
  Recorder sink;
  FollowLimits limits;
  limits.max_waiting_segments = 4;
  TcpFollow follow(&sink, limits);
  follow.OnSegment(Segment(0, 100, 0, kTcpSyn, ""));
  const std::string x = "x";
  // One lost byte, then segments that can never be placed while the peer stays silent.
  for (uint32_t i = 0; i < 10; ++i) follow.OnSegment(Segment(0, 102 + i, 0, 0, x));
  follow.Finish();
  EXPECT_GT(follow.forced_gaps(), 0u);
  EXPECT_EQ(follow.totals(0).gap_bytes, 1u);
  EXPECT_EQ(follow.totals(0).bytes + follow.totals(0).undelivered_bytes, 10u);
}

// Many one-byte chunks of binary, alternating directions (an interactive session): the page stops
// at its character budget, says so, and the next page starts where it stopped.
TEST(StreamPage, CharacterBudgetEndsThePage) {
  for (const v1::PayloadEncoding encoding :
       {v1::PAYLOAD_ENCODING_TEXT, v1::PAYLOAD_ENCODING_HEX, v1::PAYLOAD_ENCODING_BASE64}) {
    StreamPage page(0, 4096, 30000, encoding);
    const uint8_t byte = 0x01;
    for (int i = 0; i < 10000; ++i) page.OnRecord(i % 2, Bytes(&byte, 1), i + 1, 0);
    size_t chars = 0, bytes = 0;
    for (const PageChunk& c : page.chunks()) {
      chars += kChunkOverheadChars + EncodePayload(Bytes(c.data), encoding).size();
      bytes += c.data.size();
    }
    EXPECT_LE(chars, 30000u);
    EXPECT_LT(bytes, 4096u);
    EXPECT_TRUE(page.output_limited());
    ASSERT_TRUE(page.next_offset().has_value());
    EXPECT_EQ(*page.next_offset(), bytes);
    EXPECT_EQ(page.total_bytes(), 10000u);
  }
  // One direction, binary, as text: 4096 bytes escape to 4 characters each and fit.
  StreamPage page(10, 4096, 30000, v1::PAYLOAD_ENCODING_TEXT);
  const std::vector<uint8_t> binary(20000, 0xff);
  page.OnRecord(0, Bytes(binary), 1, 0);
  ASSERT_EQ(page.chunks().size(), 1u);
  EXPECT_EQ(page.chunks()[0].offset, 10u);
  EXPECT_EQ(page.chunks()[0].data.size(), 4096u);
  EXPECT_FALSE(page.output_limited());
  EXPECT_EQ(page.next_offset().value_or(0), 4106u);
}

}  // namespace
}  // namespace mcpcap
