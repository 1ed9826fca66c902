// list_packets against tshark on every capture we have (examples/, tests/**/data) and the shared
// ones: frame number, time, relative time, lengths, Source/Destination columns (-n), ports and
// tcp.stream/udp.stream of every frame; the Info column of TCP frames through "Len="; a BPF filter
// and start_packet keep every line as the unfiltered listing numbers it; pages cover every frame
// once.
#include "backend/analysis/packets/list_packets.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "backend/base/proto_time.h"
#include "tests/analysis/packets/list_search_test_util.h"
#include "tests/testing/tshark.h"

namespace mcpcap {
namespace {

using packets_test::AllCaptures;
using packets_test::InputFor;

constexpr const char* kFields =
    "-e frame.number -e frame.time_epoch -e frame.time_relative -e frame.len -e frame.cap_len "
    "-e _ws.col.Source -e _ws.col.Destination -e tcp.srcport -e tcp.dstport -e udp.srcport "
    "-e udp.dstport -e tcp.stream -e udp.stream -e frame.protocols -e _ws.col.Protocol "
    "-e _ws.col.Info";
enum Col {
  kNumber,
  kEpoch,
  kRelative,
  kLen,
  kCapLen,
  kSource,
  kDestination,
  kTcpSrc,
  kTcpDst,
  kUdpSrc,
  kUdpDst,
  kTcpStream,
  kUdpStream,
  kProtocols,
  kProtocolCol,
  kInfo,
  kColumns
};

// The last of a field's values (tshark lists one per layer: the innermost is last).
std::string Last(const std::string& values) {
  const size_t comma = values.rfind(',');
  return comma == std::string::npos ? values : values.substr(comma + 1);
}

// Classes of frames where tshark knowingly shows other values, and the fields they excuse.
struct KnownClass {
  const char* name;
  std::vector<std::string> fields;
};

// - icmp_quote: an ICMP error quotes the offending packet's IP and TCP/UDP headers; tshark
//   dissects them, so the QUOTED packet's ports and stream index appear in the frame's fields
//   although the frame is ICMP (its stream is numbered all the same: data/icmp_quotes.pcap).
// - tshark_stops: tshark leaves the payload of an EtherType it does not open by default as data
//   (802.1Q with TPID 0x9200), we read the tagged IP packet.
// - tcp_header_cut: the TCP data offset points past the captured bytes; tshark shows the ports
//   and numbers the stream of the malformed segment, our decoder rejects the header.
// - udp_bad_length: a UDP length field below 8; tshark shows the ports (and numbers no stream:
//   neither do we), our decoder may reject the header and show none.
// - link_header_cut: a frame shorter than its Ethernet header; tshark shows the destination MAC
//   it could read.
// - before_1970: a negative time (pcapng if_tsoffset); tshark keeps the fraction negative,
//   our reader's record is one second later minus the fraction (backend/source).
const KnownClass* ClassOf(const std::vector<std::string>& row) {
  static const KnownClass kIcmpQuote{"icmp_quote",
                                     {"source_port", "destination_port", "stream_index"}};
  static const KnownClass kTsharkStops{
      "tshark_stops", {"source", "destination", "source_port", "destination_port", "stream_index"}};
  static const KnownClass kTcpHeaderCut{"tcp_header_cut",
                                        {"source_port", "destination_port", "stream_index"}};
  static const KnownClass kUdpBadLength{"udp_bad_length", {"source_port", "destination_port"}};
  static const KnownClass kLinkHeaderCut{"link_header_cut", {"source", "destination"}};
  static const KnownClass kBefore1970{"before_1970", {"time", "relative_time"}};
  const std::string& protocols = row[kProtocols];
  const size_t icmp = protocols.find(":icmp");
  if (icmp != std::string::npos && protocols.find(":ip", icmp + 1) != std::string::npos) {
    return &kIcmpQuote;
  }
  if (absl::EndsWith(protocols, "ethertype:data")) return &kTsharkStops;
  if (absl::EndsWith(protocols, ":tcp") && absl::StrContains(row[kInfo], "[Malformed Packet]")) {
    return &kTcpHeaderCut;
  }
  if (absl::StrContains(row[kInfo], "[BAD UDP LENGTH")) return &kUdpBadLength;
  if (protocols == "eth") return &kLinkHeaderCut;
  if (absl::StartsWith(row[kEpoch], "-")) return &kBefore1970;
  return nullptr;
}

std::string OptionalText(bool has, uint64_t value) { return has ? absl::StrCat(value) : ""; }

std::string PortOf(const std::vector<std::string>& row, Col tcp, Col udp) {
  return !row[tcp].empty() ? Last(row[tcp]) : Last(row[udp]);
}

std::string StreamOf(const std::vector<std::string>& row) {
  return !row[kTcpSrc].empty() ? Last(row[kTcpStream]) : Last(row[kUdpStream]);
}

// tshark's TCP Info without expert prefixes ("[TCP Retransmission] ") and cut after "Len=N".
std::string TcpInfoThroughLen(std::string info) {
  while (absl::StartsWith(info, "[")) {
    const size_t close = info.find("] ");
    if (close == std::string::npos) break;
    info = info.substr(close + 2);
  }
  const size_t len = info.find(" Len=");
  if (len == std::string::npos) return info;
  const size_t end = info.find(' ', len + 5);
  return end == std::string::npos ? info : info.substr(0, end);
}

std::vector<std::string> Serialized(const v1::ListPacketsResponse& r) {
  std::vector<std::string> out;
  for (const v1::PacketLine& line : r.packets()) out.push_back(line.SerializeAsString());
  return out;
}

// BPF "greater 100" selects the frames tshark's frame.len >= 100 does; start_packet a third in.
constexpr const char* kLengthFilter = "greater 100";
uint64_t StartFor(uint64_t frames) { return frames / 3 + 1; }

// The part of a UDP, ARP or DNS Info text we write as tshark does: all of it for UDP and ARP,
// the kind of message and its id for DNS ("Standard query response 0x1234").
std::string InfoHead(const std::string& protocol, const std::string& info) {
  if (protocol != "DNS") return info;
  const size_t id = info.find(" 0x");
  return id == std::string::npos ? info : info.substr(0, std::min(info.size(), id + 9));
}

struct Tally {
  uint64_t frames = 0;
  std::map<std::string, uint64_t> mismatches;        // field -> frames that differ
  std::map<std::string, uint64_t> class_mismatches;  // class:field -> frames (known)
  uint64_t tcp_info_frames = 0;
  uint64_t tcp_info_agree = 0;
  uint64_t tcp_info_application_text = 0;
  std::map<std::string, std::pair<uint64_t, uint64_t>> other_info;  // protocol -> agree, total
  uint64_t filtered_captures = 0;
};

void CompareCapture(const std::string& path, const std::vector<std::vector<std::string>>& rows,
                    Tally* tally) {
  absl::StatusOr<v1::ListPacketsResponse> listed =
      ListPackets(InputFor(path), v1::ListPacketsRequest());
  if (!listed.ok()) {
    // A file we refuse (corrupt header): tshark refuses it too.
    EXPECT_TRUE(rows.empty()) << path << ": " << listed.status();
    return;
  }
  ASSERT_EQ(listed->packets_size(), static_cast<int>(rows.size())) << path;
  EXPECT_EQ(listed->packets_matched(), rows.size()) << path;
  // The frames a BPF filter and start_packet select are those tshark's fields select.
  v1::ListPacketsRequest from;
  from.set_start_packet(StartFor(rows.size()));
  absl::StatusOr<v1::ListPacketsResponse> some = ListPackets(InputFor(path, kLengthFilter), from);
  if (some.ok()) {
    std::vector<uint64_t> ours;
    for (const v1::PacketLine& line : some->packets()) {
      ours.push_back(line.packet().packet_number());
    }
    std::vector<uint64_t> theirs;
    for (const auto& row : rows) {
      uint64_t number = 0;
      uint64_t len = 0;
      if (absl::SimpleAtoi(row[kNumber], &number) && absl::SimpleAtoi(row[kLen], &len) &&
          number >= from.start_packet() && len >= 100) {
        theirs.push_back(number);
      }
    }
    EXPECT_EQ(ours, theirs) << path << " with " << kLengthFilter << " from " << from.start_packet();
    ++tally->filtered_captures;
  }
  int reported = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    const std::vector<std::string>& row = rows[i];
    ASSERT_EQ(row.size(), static_cast<size_t>(kColumns)) << path << " row " << i;
    const v1::PacketLine& line = listed->packets(static_cast<int>(i));
    ++tally->frames;
    int64_t epoch = 0;
    int64_t relative = 0;
    ASSERT_TRUE(packets_test::ParseSecondsNanos(row[kEpoch], &epoch)) << row[kEpoch];
    ASSERT_TRUE(packets_test::ParseSecondsNanos(row[kRelative], &relative)) << row[kRelative];
    const int64_t ours_epoch =
        line.packet().timestamp().seconds() * 1000000000 + line.packet().timestamp().nanos();
    const std::vector<std::pair<std::string, std::pair<std::string, std::string>>> fields = {
        {"number", {row[kNumber], absl::StrCat(line.packet().packet_number())}},
        {"time", {absl::StrCat(epoch), absl::StrCat(ours_epoch)}},
        {"relative_time",
         {absl::StrCat(relative), absl::StrCat(DurationNanos(line.relative_time()))}},
        {"length", {row[kLen], absl::StrCat(line.length())}},
        {"captured_length", {row[kCapLen], absl::StrCat(line.captured_length())}},
        {"source", {row[kSource], line.source()}},
        {"destination", {row[kDestination], line.destination()}},
        {"source_port",
         {PortOf(row, kTcpSrc, kUdpSrc), OptionalText(line.has_source_port(), line.source_port())}},
        {"destination_port",
         {PortOf(row, kTcpDst, kUdpDst),
          OptionalText(line.has_destination_port(), line.destination_port())}},
        {"stream_index",
         {StreamOf(row), OptionalText(line.has_stream_index(), line.stream_index())}},
    };
    const KnownClass* known = ClassOf(row);
    for (const auto& [name, values] : fields) {
      if (values.first == values.second) continue;
      if (known != nullptr &&
          std::find(known->fields.begin(), known->fields.end(), name) != known->fields.end()) {
        ++tally->class_mismatches[absl::StrCat(known->name, ":", name)];
        continue;
      }
      ++tally->mismatches[name];
      ADD_FAILURE() << path << " frame " << row[kNumber] << " " << name << ": tshark '"
                    << values.first << "' ours '" << values.second << "' (" << row[kProtocols]
                    << ")";
      if (++reported > 5) return;
    }
    if (row[kProtocolCol] == "UDP" || row[kProtocolCol] == "ARP" || row[kProtocolCol] == "DNS") {
      auto& [agree, total] = tally->other_info[row[kProtocolCol]];
      ++total;
      if (InfoHead(row[kProtocolCol], row[kInfo]) == InfoHead(row[kProtocolCol], line.info())) {
        ++agree;
      } else if (std::getenv("MCPCAP_SHOW_INFO") != nullptr) {
        std::printf("info %s #%s\n  tshark %s\n  ours   %s\n", path.c_str(), row[kNumber].c_str(),
                    row[kInfo].c_str(), line.info().c_str());
      }
    }
    if (row[kProtocolCol] == "TCP" && line.has_source_port()) {
      const std::string theirs = TcpInfoThroughLen(row[kInfo]);
      // A TCP segment carrying the start of an application message tshark reassembles later
      // keeps that application's text ("HTTP/1.1 200 OK [TCP segment of a reassembled PDU]").
      if (!absl::StartsWith(theirs, absl::StrCat(line.source_port(), " \u2192 "))) {
        ++tally->tcp_info_application_text;
        continue;
      }
      ++tally->tcp_info_frames;
      const std::string ours = TcpInfoThroughLen(line.info());
      if (theirs == ours) {
        ++tally->tcp_info_agree;
      } else if (std::getenv("MCPCAP_SHOW_INFO") != nullptr) {
        std::printf("info %s #%s\n  tshark %s\n  ours   %s\n", path.c_str(), row[kNumber].c_str(),
                    theirs.c_str(), ours.c_str());
      }
    }
  }
}

// Compares every capture of `captures` with tshark and prints what agrees.
void CompareWithTshark(const std::vector<std::string>& captures, uint64_t min_frames) {
  std::vector<std::string> commands;
  for (const std::string& path : captures) {
    commands.push_back(mcpcap::testing::TsharkFieldsCommand(path, kFields));
  }
  const auto outputs = packets_test::RunAll(commands);
  Tally tally;
  for (size_t i = 0; i < captures.size(); ++i) {
    SCOPED_TRACE(captures[i]);
    CompareCapture(captures[i], outputs[i], &tally);
  }
  std::printf("%zu captures, %llu frames compared field by field\n", captures.size(),
              static_cast<unsigned long long>(tally.frames));
  for (const auto& [field, n] : tally.mismatches) {
    std::printf("  unexplained mismatches %s: %llu\n", field.c_str(),
                static_cast<unsigned long long>(n));
  }
  for (const auto& [field, n] : tally.class_mismatches) {
    std::printf("  known class %s: %llu frames\n", field.c_str(),
                static_cast<unsigned long long>(n));
  }
  std::printf(
      "TCP Info through Len=: %llu of %llu TCP frames agree (%llu more show an "
      "application's text)\n",
      static_cast<unsigned long long>(tally.tcp_info_agree),
      static_cast<unsigned long long>(tally.tcp_info_frames),
      static_cast<unsigned long long>(tally.tcp_info_application_text));
  for (const auto& [protocol, counts] : tally.other_info) {
    std::printf("%s Info: %llu of %llu frames agree\n", protocol.c_str(),
                static_cast<unsigned long long>(counts.first),
                static_cast<unsigned long long>(counts.second));
    // Known: DNS over TCP where tshark names a later message of the segment, a UDP header our
    // decoder rejects (length field below 8).
    EXPECT_GE(counts.first * 100, counts.second * 90) << protocol;
  }
  std::printf("%llu captures listed with a filter and start_packet as tshark selects\n",
              static_cast<unsigned long long>(tally.filtered_captures));
  EXPECT_GE(tally.frames, min_frames);
  // Flags, relative Seq/Ack, scaled Win and Len as tshark shows them: a large majority.
  EXPECT_GE(tally.tcp_info_agree * 100, tally.tcp_info_frames * 95);
}

// The captures whose path holds one of `parts` (three groups: each test stays in its time).
std::vector<std::string> CapturesUnder(std::initializer_list<const char*> parts) {
  std::vector<std::string> out;
  for (const std::string& path : AllCaptures()) {
    for (const char* part : parts) {
      if (absl::StrContains(path, part)) {
        out.push_back(path);
        break;
      }
    }
  }
  return out;
}

TEST(ListPackets, AgreesWithTsharkOnExamplesAndProtocolCaptures) {
  if (!mcpcap::testing::HaveTshark()) GTEST_SKIP() << "tshark not installed";
  CompareWithTshark(CapturesUnder({"/examples/", "/analysis/dhcp/", "/analysis/dns/",
                                   "/analysis/icmp/", "/analysis/sip/", "/analysis/packets/"}),
                    300);
}

TEST(ListPackets, AgreesWithTsharkOnPayloadAndTcpCaptures) {
  if (!mcpcap::testing::HaveTshark()) GTEST_SKIP() << "tshark not installed";
  CompareWithTshark(CapturesUnder({"/analysis/payload/", "/analysis/tcp/"}), 1000);
}

TEST(ListPackets, AgreesWithTsharkOnLinkSourceAndSharedCaptures) {
  if (!mcpcap::testing::HaveTshark()) GTEST_SKIP() << "tshark not installed";
  if (!packets_test::HaveSharedCaptures()) {
    std::printf("shared captures absent (%s): comparing ours only\n", MCPCAP_SHARED_CAPTURES);
  }
  CompareWithTshark(CapturesUnder({"/tests/dissect/", "/tests/source/", "/shared/captures/"}), 100);
}

// Every capture belongs to one of the groups above.
TEST(ListPackets, EveryCaptureIsCompared) {
  const size_t grouped =
      CapturesUnder({"/examples/", "/analysis/dhcp/", "/analysis/dns/", "/analysis/icmp/",
                     "/analysis/sip/", "/analysis/packets/", "/analysis/payload/", "/analysis/tcp/",
                     "/tests/dissect/", "/tests/source/", "/shared/captures/"})
          .size();
  EXPECT_EQ(grouped, AllCaptures().size());
}

// A BPF filter and start_packet select lines; every line stays what the whole listing says about
// that frame (same stream index, relative time, relative sequence numbers).
TEST(ListPackets, FilterAndStartPacketKeepEveryLine) {
  size_t compared = 0;
  for (const std::string& path : AllCaptures()) {
    absl::StatusOr<v1::ListPacketsResponse> all =
        ListPackets(InputFor(path), v1::ListPacketsRequest());
    if (!all.ok() || all->packets_size() == 0) continue;
    const uint64_t start = StartFor(all->packets_size());
    v1::ListPacketsRequest request;
    request.set_start_packet(start);
    absl::StatusOr<v1::ListPacketsResponse> some =
        ListPackets(InputFor(path, kLengthFilter), request);
    if (!some.ok()) continue;  // a link type libpcap cannot filter
    v1::ListPacketsResponse expected;
    for (const v1::PacketLine& line : all->packets()) {
      if (line.packet().packet_number() >= start && line.length() >= 100) {
        *expected.add_packets() = line;
      }
    }
    EXPECT_EQ(Serialized(*some), Serialized(expected)) << path;
    EXPECT_EQ(some->packets_matched(), static_cast<uint64_t>(expected.packets_size())) << path;
    ++compared;
  }
  EXPECT_GT(compared, 50u);
}

// Pages of 7 lines, each asked with the offset a page token carries, list every frame once.
TEST(ListPackets, PagesCoverEveryFrameOnce) {
  size_t paged = 0;
  for (const std::string& path : AllCaptures()) {
    absl::StatusOr<v1::ListPacketsResponse> all =
        ListPackets(InputFor(path), v1::ListPacketsRequest());
    if (!all.ok()) continue;
    std::vector<std::string> joined;
    for (uint64_t offset = 0;; offset += 7) {
      AnalysisInput input = InputFor(path, "", 7);
      input.listings.page_listing = "packets";
      input.listings.offset = offset;
      absl::StatusOr<v1::ListPacketsResponse> page = ListPackets(input, v1::ListPacketsRequest());
      ASSERT_TRUE(page.ok()) << path;
      EXPECT_EQ(page->packets_matched(), all->packets_matched()) << path;
      if (page->packets_size() == 0) break;
      EXPECT_LE(page->packets_size(), 7) << path;
      for (const std::string& s : Serialized(*page)) joined.push_back(s);
      if (offset > 1000000) break;
    }
    EXPECT_EQ(joined, Serialized(*all)) << path;
    if (++paged >= 20) break;  // the first 20 captures: paging does not depend on content
  }
  EXPECT_EQ(paged, 20u);
}

// The default page: 10 lines, the total exact, and a partial listing described for the rest.
TEST(ListPackets, DefaultPageIsShortAndSaysWhatIsLeft) {
  const std::string path = std::string(MCPCAP_EXAMPLES) + "/http_loopback.pcap";
  AnalysisInput input;
  input.source = path;
  input.local_path = path;
  absl::StatusOr<v1::ListPacketsResponse> r = ListPackets(input, v1::ListPacketsRequest());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->packets_size(), 10);
  EXPECT_GT(r->packets_matched(), 10u);
  ASSERT_EQ(r->capture().partial_listings_size(), 1);
  EXPECT_EQ(r->packets(0).protocol(), "TCP");
  EXPECT_EQ(r->packets(0).info().substr(0, r->packets(0).info().find(" MSS")),
            "44718 \u2192 18080 [SYN] Seq=0 Win=65495 Len=0");
}

}  // namespace
}  // namespace mcpcap
