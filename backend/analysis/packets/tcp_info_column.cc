#include "backend/analysis/packets/tcp_info_column.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace mcpcap {
namespace {

constexpr int kMaxWindowShift = 14;  // RFC 7323: larger shifts are treated as 14

// tshark's flag list: "SYN, ACK"; "<None>" without flags.
std::string FlagNames(uint16_t flags) {
  static constexpr const char* kNames[] = {"FIN", "SYN", "RST", "PSH", "ACK",
                                           "URG", "ECE", "CWR", "NS"};
  std::string out;
  for (int bit = 0; bit < 9; ++bit) {
    if ((flags & (1u << bit)) == 0) continue;
    if (!out.empty()) out += ", ";
    out += kNames[bit];
  }
  return out.empty() ? "<None>" : out;
}

void AppendOptions(const TcpOptions& o, std::string* out) {
  if (o.has_mss) absl::StrAppend(out, " MSS=", o.mss);
  if (o.sack_permitted) absl::StrAppend(out, " SACK_PERM");
  if (o.has_timestamps) absl::StrAppend(out, " TSval=", o.ts_val, " TSecr=", o.ts_ecr);
  if (o.has_window_scale) {
    absl::StrAppend(out, " WS=", uint32_t{1} << std::min<int>(o.window_scale, kMaxWindowShift));
  }
}

}  // namespace

uint32_t TcpSegmentLength(const DecodedPacket& tcp) {
  const uint32_t headers = uint32_t{tcp.ip.header_length} + tcp.tcp.header_length;
  // IPv4 length 0 (segmentation offload) or lengths that do not add up: what was captured.
  if (tcp.ip.total_length == 0 || tcp.ip.total_length < headers) {
    return static_cast<uint32_t>(tcp.payload.size());
  }
  return tcp.ip.total_length - headers;
}

int TcpInfoColumn::DirectionOf(const Stream& s, const DecodedPacket& tcp) {
  return tcp.ip.src == s.first_ip && tcp.src_port == s.first_port ? 0 : 1;
}

void TcpInfoColumn::Observe(const DecodedPacket& tcp, uint64_t stream) {
  auto it = streams_.find(stream);
  if (it == streams_.end()) {
    if (streams_.size() >= kMaxTcpInfoStreams) return;
    Stream fresh;
    fresh.first_ip = tcp.ip.src;
    fresh.first_port = tcp.src_port;
    it = streams_.emplace(stream, fresh).first;
  }
  Stream& s = it->second;
  const int d = DirectionOf(s, tcp);
  Direction& fwd = s.dir[d];
  Direction& rev = s.dir[1 - d];
  const uint16_t flags = tcp.tcp.flags;
  // Wireshark's rule: a SYN's sequence number is the base; a capture that starts mid-stream
  // counts the first segment seen as byte 1.
  if (!fwd.base_set) {
    fwd.base = (flags & kTcpSyn) != 0 ? tcp.tcp.seq : tcp.tcp.seq - 1;
    fwd.base_set = true;
  }
  // The peer's base from the first acknowledgement (its ISN is ack - 1).
  if (!rev.base_set && (flags & kTcpAck) != 0) {
    rev.base = tcp.tcp.ack - 1;
    rev.base_set = true;
  }
  if ((flags & kTcpSyn) != 0) {
    // Wireshark scales a direction's windows by the shift its own SYN offered (even when the
    // peer's is not in the capture); a SYN without the option turns scaling off both ways.
    const TcpOptions& o = tcp.tcp.options;
    if (o.has_window_scale) {
      fwd.scale = static_cast<int8_t>(std::min<int>(o.window_scale, kMaxWindowShift));
    } else {
      fwd.scale = kScaleNone;
      rev.scale = kScaleNone;
    }
  }
}

std::string TcpInfoColumn::Describe(const DecodedPacket& tcp, const uint64_t* stream) const {
  const Stream* s = nullptr;
  if (stream != nullptr) {
    auto it = streams_.find(*stream);
    if (it != streams_.end()) s = &it->second;
  }
  const int d = s != nullptr ? DirectionOf(*s, tcp) : 0;
  const uint16_t flags = tcp.tcp.flags;
  uint32_t seq = tcp.tcp.seq;
  uint32_t ack = tcp.tcp.ack;
  uint64_t window = tcp.tcp.window;
  if (s != nullptr) {
    const Direction& fwd = s->dir[d];
    const Direction& rev = s->dir[1 - d];
    if (fwd.base_set) seq -= fwd.base;
    if (rev.base_set) ack -= rev.base;
    if ((flags & kTcpSyn) == 0 && fwd.scale >= 0) window <<= fwd.scale;
  }
  std::string out =
      absl::StrCat(tcp.src_port, " \u2192 ", tcp.dst_port, " [", FlagNames(flags), "] Seq=", seq);
  if ((flags & kTcpAck) != 0) absl::StrAppend(&out, " Ack=", ack);
  absl::StrAppend(&out, " Win=", window);
  if ((flags & kTcpUrg) != 0) absl::StrAppend(&out, " Urg=", tcp.tcp.urgent);
  absl::StrAppend(&out, " Len=", TcpSegmentLength(tcp));
  AppendOptions(tcp.tcp.options, &out);
  return out;
}

}  // namespace mcpcap
