#include "backend/analysis/common/tcp_pdu_tracker.h"

#include <algorithm>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"

namespace mcpcap {
namespace {

bool SeqBefore(uint32_t a, uint32_t b) { return static_cast<int32_t>(a - b) < 0; }

// The length of the PDU `pending` starts with: a length, kNeedMore, or kUnframed (a protocol
// we do not frame, or bytes that do not start one: taken as complete).
constexpr uint64_t kNeedMore = UINT64_MAX;
constexpr uint64_t kUnframed = UINT64_MAX - 1;
// Bytes the protocol's dissector refuses at a PDU start (TLS on its port without a record).
constexpr uint64_t kRejected = UINT64_MAX - 2;
// tshark's window for a retransmission after duplicate ACKs to count as fast.
constexpr int64_t kFastRetransmissionNanos = 20'000'000;

uint64_t Be16(absl::string_view b, size_t at) {
  return (uint64_t{static_cast<uint8_t>(b[at])} << 8) | static_cast<uint8_t>(b[at + 1]);
}
uint64_t Be32(absl::string_view b, size_t at) { return (Be16(b, at) << 16) | Be16(b, at + 2); }

// HTTP and SIP: the headers, then a Content-Length body (chunked bodies are not framed).
uint64_t TextMessageLength(absl::string_view pending) {
  const size_t end = pending.find("\r\n\r\n");
  if (end == absl::string_view::npos) return kNeedMore;
  uint64_t body = 0;
  for (absl::string_view line : absl::StrSplit(pending.substr(0, end), "\r\n")) {
    const size_t colon = line.find(':');
    if (colon == absl::string_view::npos) continue;
    const absl::string_view name = absl::StripAsciiWhitespace(line.substr(0, colon));
    if (absl::EqualsIgnoreCase(name, "content-length") || absl::EqualsIgnoreCase(name, "l")) {
      uint64_t length = 0;
      if (absl::SimpleAtoi(absl::StripAsciiWhitespace(line.substr(colon + 1)), &length)) {
        body = length;
      }
    }
  }
  return end + 4 + body;
}

bool StartsTextMessage(absl::string_view pending) {
  static constexpr absl::string_view kStarts[] = {
      "HTTP/",    "GET ",    "POST ",      "PUT ",     "HEAD ",  "DELETE ", "OPTIONS ", "PATCH ",
      "CONNECT ", "TRACE ",  "SIP/2.0",    "INVITE ",  "ACK ",   "BYE ",    "CANCEL ",  "REGISTER ",
      "INFO ",    "NOTIFY ", "SUBSCRIBE ", "MESSAGE ", "PRACK ", "UPDATE ", "REFER ",   "PUBLISH "};
  for (absl::string_view start : kStarts) {
    const size_t n = std::min(start.size(), pending.size());
    if (pending.substr(0, n) == start.substr(0, n)) return true;
  }
  return false;
}

uint64_t PduLength(absl::string_view protocol, absl::string_view pending) {
  if (protocol == "tls") {
    if (pending.size() < 5) return kNeedMore;
    const uint8_t type = static_cast<uint8_t>(pending[0]);
    if (type < 20 || type > 24 || pending[1] != 3) return kRejected;
    return 5 + Be16(pending, 3);
  }
  if (protocol == "mysql") {
    if (pending.size() < 4) return kNeedMore;
    return 4 + (static_cast<uint8_t>(pending[0]) |
                (uint64_t{static_cast<uint8_t>(pending[1])} << 8) |
                (uint64_t{static_cast<uint8_t>(pending[2])} << 16));
  }
  if (protocol == "pgsql") {
    // A startup, SSL or cancel request has no type byte (its length's high byte is 0); the
    // server answers an SSL request with one byte, 'S' or 'N', which tshark does not name.
    if (pending.empty()) return kNeedMore;
    if (pending.size() == 1 && (pending[0] == 'S' || pending[0] == 'N')) return kRejected;
    const bool untyped = pending[0] == 0;
    const size_t header = untyped ? 4 : 5;
    if (pending.size() < header) return kNeedMore;
    const uint64_t length = Be32(pending, untyped ? 0 : 1);
    if (length < 4) return kUnframed;
    return (untyped ? 0 : 1) + length;
  }
  if (protocol == "dns") {
    if (pending.size() < 2) return kNeedMore;
    return 2 + Be16(pending, 0);
  }
  if (protocol == "http" || protocol == "sip") {
    if (!StartsTextMessage(pending)) return kUnframed;
    return TextMessageLength(pending);
  }
  return kUnframed;
}

}  // namespace

absl::string_view TcpPduTracker::StreamProtocol(uint64_t stream, absl::string_view guess) {
  auto it = recognised_.find(stream);
  if (guess == "data") return it == recognised_.end() ? guess : it->second;
  if (it == recognised_.end() && recognised_.size() < kMaxTrackedDirections) {
    recognised_.emplace(stream, guess);
  }
  return guess;
}

bool TcpPduTracker::FramePdus(absl::string_view protocol, const uint8_t* data, size_t size,
                              Direction* d) {
  bool complete = false;
  if (d->remaining > 0) {
    const size_t take = static_cast<size_t>(std::min<uint64_t>(d->remaining, size));
    d->remaining -= take;
    data += take;
    size -= take;
    if (d->remaining > 0) return false;
    complete = true;
  }
  if (size == 0) return complete;
  const size_t room = kMaxPendingBytes - std::min(kMaxPendingBytes, d->pending.size());
  d->pending.append(reinterpret_cast<const char*>(data), std::min(size, room));
  const bool overflowed = size > room;
  while (!d->pending.empty()) {
    const uint64_t length = PduLength(protocol, d->pending);
    if (length == kRejected) {
      d->pending.clear();
      return complete;
    }
    if (length == kUnframed) {
      d->pending.clear();
      return true;
    }
    if (length == kNeedMore) {
      if (overflowed || d->pending.size() >= kMaxPendingBytes) {
        d->pending.clear();  // too long to frame: named here, as if complete
        return true;
      }
      return complete;
    }
    if (length <= d->pending.size()) {
      d->pending.erase(0, static_cast<size_t>(length));
      complete = true;
      continue;
    }
    // Bytes of this segment past what `pending` kept count towards the PDU too.
    const uint64_t seen = d->pending.size() + (overflowed ? size - room : 0);
    d->pending.clear();
    if (length <= seen) return true;  // completes here (what follows it is not framed)
    d->remaining = length - seen;
    return complete;
  }
  return complete;
}

void TcpPduTracker::CountAck(const DecodedPacket& p, uint32_t length, int64_t time_nanos,
                             Direction* d) {
  if ((p.tcp.flags & kTcpAck) == 0) return;
  const bool pure = length == 0 && (p.tcp.flags & (kTcpSyn | kTcpFin | kTcpRst)) == 0;
  if (pure && p.tcp.ack == d->last_ack && p.tcp.window == d->last_window) {
    ++d->duplicate_acks;
  } else {
    d->duplicate_acks = 0;
  }
  d->last_ack = p.tcp.ack;
  d->last_window = p.tcp.window;
  d->last_ack_time = time_nanos;
}

bool TcpPduTracker::Dissected(uint64_t stream, const DecodedPacket& p, int64_t time_nanos,
                              absl::string_view protocol) {
  const bool forward = p.src_port > p.dst_port ||
                       (p.src_port == p.dst_port && std::memcmp(p.ip.src.bytes(), p.ip.dst.bytes(),
                                                                p.ip.version == 6 ? 16 : 4) < 0);
  const uint64_t key = stream * 2 + (forward ? 1 : 0);
  auto it = directions_.find(key);
  if (it == directions_.end()) {
    if (directions_.size() >= kMaxTrackedDirections) return true;
    it = directions_.emplace(key, Direction()).first;
  }
  Direction& d = it->second;
  auto reverse = directions_.find(key ^ 1);
  // The segment's length on the wire: the snap length may have cut what was captured.
  uint32_t length = static_cast<uint32_t>(p.payload.size());
  const uint32_t headers = uint32_t{p.ip.header_length} + p.tcp.header_length;
  if (p.ip.total_length > headers) length = std::max<uint32_t>(length, p.ip.total_length - headers);
  const bool cut = length > p.payload.size();
  const bool fast_retransmission =
      reverse != directions_.end() && reverse->second.duplicate_acks >= 2 &&
      reverse->second.last_ack == p.tcp.seq &&
      time_nanos - reverse->second.last_ack_time < kFastRetransmissionNanos;
  CountAck(p, length, time_nanos, &d);
  const uint32_t end =
      p.tcp.seq + length + ((p.tcp.flags & kTcpSyn) ? 1 : 0) + ((p.tcp.flags & kTcpFin) ? 1 : 0);
  if (!d.started) {
    d.started = true;
    d.next_seq = end;
  } else if (length > 0 && SeqBefore(p.tcp.seq, d.next_seq)) {
    const bool keep_alive = length == 1 && p.tcp.seq == d.next_seq - 1;
    if (SeqBefore(d.next_seq, end)) d.next_seq = end;
    // Retransmitted or out of order: not dissected again, unless after duplicate ACKs.
    return keep_alive || fast_retransmission;
  } else {
    if (length > 0 && p.tcp.seq != d.next_seq) {
      d.remaining = 0;  // a gap: whatever PDU was under way cannot complete
      d.pending.clear();
    }
    if (SeqBefore(d.next_seq, end)) d.next_seq = end;
  }
  if (length == 0) return false;
  if (cut) {
    // tshark does not reassemble a cut segment: it is dissected on its own.
    d.remaining = 0;
    d.pending.clear();
    return true;
  }
  return FramePdus(protocol, p.payload.data(), p.payload.size(), &d);
}

}  // namespace mcpcap
