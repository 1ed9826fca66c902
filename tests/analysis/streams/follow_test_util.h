// Helpers for the follow_stream tests: tshark's `-z follow,<proto>,raw,N` output read back as
// bytes per node, the captures to compare on, and our analysis paged to the end.
#ifndef MCPCAP_TESTS_ANALYSIS_STREAMS_FOLLOW_TEST_UTIL_H_
#define MCPCAP_TESTS_ANALYSIS_STREAMS_FOLLOW_TEST_UTIL_H_

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "backend/analysis/common/frame_scan.h"
#include "backend/analysis/streams/follow_stream.h"

namespace mcpcap::testing {

// One stream as tshark follows it.
struct TsharkStream {
  std::string nodes[2];            // "ip:port" ("[ipv6]:port"), node 0 sent the first packet
  std::string bytes[2];            // what each node sent, tshark's "missing" marks taken out
  uint64_t gap_bytes[2] = {0, 0};  // the N of those marks
  uint64_t records = 0;
};

// tshark writes "[N bytes missing in capture file]" and a NUL as a record of its own.
inline std::optional<uint64_t> MissingMark(const std::string& record) {
  constexpr absl::string_view kTail = " bytes missing in capture file]";
  absl::string_view text(record);
  if (!absl::ConsumePrefix(&text, "[") || !absl::ConsumeSuffix(&text, absl::string_view("\0", 1)) ||
      !absl::ConsumeSuffix(&text, kTail) || text.empty()) {
    return std::nullopt;
  }
  if (!std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  uint64_t n = 0;
  if (!absl::SimpleAtoi(text, &n)) return std::nullopt;
  return n;
}

// What tshark follows in one capture, by "tcp"/"udp" and stream index.
using TsharkFollows = std::map<std::string, std::map<uint64_t, TsharkStream>>;

// Runs tshark once for the first `tcp` TCP and `udp` UDP streams and parses every block.
inline TsharkFollows TsharkFollow(const std::string& path, uint64_t tcp, uint64_t udp) {
  TsharkFollows out;
  if (tcp + udp == 0) return out;
  // Our dissector decodes the 0x9200 QinQ TPID of older switches; tshark does when told.
  std::string cmd = "tshark -n -q -d ethertype==0x9200,vlan -r '" + path + "'";
  for (uint64_t i = 0; i < tcp; ++i) absl::StrAppend(&cmd, " -z follow,tcp,raw,", i);
  for (uint64_t i = 0; i < udp; ++i) absl::StrAppend(&cmd, " -z follow,udp,raw,", i);
  cmd += " 2>/dev/null";
  // tshark's answer is kept in the build folder, named by the command and the capture's bytes:
  // tshark starts slowly, and the same question always has the same answer.
  std::ifstream file(path, std::ios::binary);
  const std::string content((std::istreambuf_iterator<char>(file)),
                            std::istreambuf_iterator<char>());
  const std::filesystem::path cache_dir = std::filesystem::path(MCPCAP_BINARY_DIR) / "tshark_cache";
  std::error_code ignored;
  std::filesystem::create_directories(cache_dir, ignored);
  const std::string cached =
      (cache_dir / absl::StrCat("follow_", std::hash<std::string>{}(cmd + content), ".txt"))
          .string();
  if (!std::filesystem::exists(cached)) {
    const std::string tmp = cached + absl::StrCat(".", std::hash<std::string>{}(path), ".tmp");
    if (std::system((cmd + " > '" + tmp + "' && mv '" + tmp + "' '" + cached + "'").c_str()) != 0) {
      return out;
    }
  }
  FILE* pipe = fopen(cached.c_str(), "r");
  if (pipe == nullptr) return out;
  std::string line;
  std::string proto;
  TsharkStream* current = nullptr;
  bool in_data = false;
  char buffer[1 << 16];
  while (fgets(buffer, sizeof(buffer), pipe) != nullptr) {
    line += buffer;
    if (line.back() != '\n') continue;
    line.pop_back();
    const std::string l = line;
    line.clear();
    if (absl::StartsWith(l, "=====")) {
      in_data = false;
      continue;
    }
    if (absl::StartsWith(l, "Follow: ")) {
      proto = l.substr(8, 3);
      continue;
    }
    uint64_t index = 0;
    if (absl::StartsWith(l, "Filter: ") && absl::SimpleAtoi(l.substr(l.rfind(' ') + 1), &index)) {
      current = &out[proto][index];
      continue;
    }
    if (current == nullptr) continue;
    if (absl::StartsWith(l, "Node 0: ")) {
      current->nodes[0] = l.substr(8);
      continue;
    }
    if (absl::StartsWith(l, "Node 1: ")) {
      current->nodes[1] = l.substr(8);
      in_data = true;
      continue;
    }
    if (!in_data) continue;
    const int node = !l.empty() && l[0] == '\t' ? 1 : 0;
    const std::string record = absl::HexStringToBytes(l.substr(node));
    ++current->records;
    if (const std::optional<uint64_t> gap = MissingMark(record)) {
      current->gap_bytes[node] += *gap;
    } else {
      current->bytes[node] += record;
    }
  }
  fclose(pipe);
  return out;
}

// TCP and UDP streams our numbering finds in the capture (FrameScan, as every tool sees them).
inline std::pair<uint64_t, uint64_t> OurStreamCounts(const std::string& path) {
  AnalysisInput input;
  input.source = input.local_path = path;
  absl::StatusOr<std::unique_ptr<FrameScan>> scan = FrameScan::Open(input);
  if (!scan.ok()) return {0, 0};
  if (!(*scan)->Run([](const Frame&) { return true; }).ok()) return {0, 0};
  return {(*scan)->numbering().tcp_streams(), (*scan)->numbering().udp_streams()};
}

// Our captures: examples/ and every tests/**/data folder.
inline std::vector<std::string> OurCaptures() {
  std::vector<std::string> out;
  const std::filesystem::path root = std::filesystem::path(MCPCAP_EXAMPLES).parent_path();
  for (const char* top : {"examples", "tests"}) {
    for (const auto& e : std::filesystem::recursive_directory_iterator(root / top)) {
      const std::string ext = e.path().extension().string();
      if (e.is_regular_file() && (ext == ".pcap" || ext == ".pcapng")) {
        out.push_back(e.path().string());
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

inline AnalysisInput InputFor(const std::string& path) {
  AnalysisInput input;
  input.source = input.local_path = path;
  return input;
}

inline std::string NodeText(const v1::Endpoint& e) {
  return absl::StrContains(e.ip(), ':') ? absl::StrCat("[", e.ip(), "]:", e.port())
                                        : absl::StrCat(e.ip(), ":", e.port());
}

// The whole stream read page by page in hex: bytes per direction (client 0, server 1), the
// first page's answer, and how many pages it took.
struct PagedStream {
  absl::Status status;
  v1::FollowStreamResponse first;
  std::string bytes[2];
  uint64_t gap_bytes[2] = {0, 0};
  int pages = 0;
  bool offsets_consistent = true;
};

inline PagedStream FollowAll(const std::string& path, v1::FollowStreamRequest request,
                             v1::PayloadEncoding encoding = v1::PAYLOAD_ENCODING_HEX) {
  PagedStream out;
  request.set_encoding(encoding);
  uint64_t expected_offset = request.offset();
  for (;;) {
    absl::StatusOr<v1::FollowStreamResponse> r = FollowStream(InputFor(path), request);
    if (!r.ok()) {
      out.status = r.status();
      return out;
    }
    if (out.pages++ == 0) out.first = *r;
    for (const v1::StreamChunk& c : r->chunks()) {
      const int d = c.direction() == v1::STREAM_DIRECTION_CLIENT_TO_SERVER ? 0 : 1;
      std::string data;
      if (encoding == v1::PAYLOAD_ENCODING_HEX) {
        data = absl::HexStringToBytes(c.data());
      } else if (encoding == v1::PAYLOAD_ENCODING_BASE64) {
        absl::Base64Unescape(c.data(), &data);
      }
      if (c.offset() != expected_offset || data.size() != c.length()) {
        out.offsets_consistent = false;
      }
      expected_offset += c.length();
      out.bytes[d] += data;
      out.gap_bytes[d] += c.gap_bytes_before();
    }
    if (!r->has_next_offset()) break;
    if (r->next_offset() != expected_offset) out.offsets_consistent = false;
    request.set_offset(r->next_offset());
  }
  return out;
}

}  // namespace mcpcap::testing

#endif  // MCPCAP_TESTS_ANALYSIS_STREAMS_FOLLOW_TEST_UTIL_H_
