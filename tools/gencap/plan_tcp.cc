// TCP connections: handshake (or a refused / unanswered SYN), request-response exchanges with
// MSS-sized segments paced by the path's bandwidth and ACKs every second segment, an occasional
// lost segment repaired by fast retransmission after duplicate ACKs, and a FIN or RST close.
#include <algorithm>

#include "tools/gencap/app_payloads.h"
#include "tools/gencap/planners.h"

namespace mcpcap::gencap {
namespace {

using namespace tcp_flags;

enum class App { kHttp, kTls, kSsh };

struct Conn {
  Session* s;
  uint32_t seq[2];  // next sequence number per direction
  uint16_t window[2];
  uint16_t mss;
  uint64_t rtt_ns;
  uint64_t ns_per_byte;  // bottleneck bandwidth: spacing of back-to-back segments

  void Add(uint64_t gap, uint8_t dir, uint8_t flags, uint32_t seq_no, Stored stored = {},
           uint16_t len = 0, Filler filler = Filler::kNone) {
    Step st;
    st.gap_ns = gap;
    st.dir = dir;
    st.tcp_flags = flags;
    st.window = window[dir];
    st.seq = seq_no;
    st.ack = (flags & kAck) ? seq[1 - dir] : 0;
    st.stored_off = stored.off;
    st.stored_len = stored.len;
    st.payload_len = std::max(len, stored.len);
    st.filler = filler;
    s->steps.push_back(st);
  }
  void Ack(uint64_t gap, uint8_t dir) { Add(gap, dir, kAck, seq[dir]); }
  // The capture point is next to the client: its answers leave at once, the server's come a
  // round trip later.
  uint64_t AnswerGap(uint8_t dir) const { return dir == 0 ? kTurnaroundNs : rtt_ns; }
  void AckUpTo(uint64_t gap, uint8_t dir, uint32_t ack) {
    Ack(gap, dir);
    s->steps.back().ack = ack;
  }
};

// Sends `total` bytes from `dir` (the first segment may start with stored bytes), segmented by
// the MSS, the first after `first_gap`; the receiver ACKs every second segment. A rare loss: the
// next segment still arrives, the receiver sends two duplicate ACKs, the sender retransmits a
// round trip later, the receiver ACKs both.
void Transfer(Conn& c, Rng& rng, uint64_t first_gap, uint8_t dir, uint32_t total, Stored head,
              Filler filler) {
  const uint8_t peer = 1 - dir;
  int unacked = 0;
  uint64_t gap = first_gap;
  bool first = true;
  while (total > 0) {
    const uint16_t seg = static_cast<uint16_t>(std::min<uint32_t>(c.mss, total));
    const Stored stored = first ? head : Stored{};
    first = false;
    const uint32_t at = c.seq[dir];
    c.Add(gap, dir, total == seg ? kPsh | kAck : kAck, at, stored, seg, filler);
    c.seq[dir] += seg;
    total -= seg;
    gap = seg * c.ns_per_byte;
    if (total > 0 && rng.Chance(0.004)) {
      const Step lost = c.s->steps.back();
      const uint16_t seg2 = static_cast<uint16_t>(std::min<uint32_t>(c.mss, total));
      c.Add(gap, dir, total == seg2 ? kPsh | kAck : kAck, c.seq[dir], {}, seg2, filler);
      c.seq[dir] += seg2;
      total -= seg2;
      c.AckUpTo(c.AnswerGap(peer), peer, at);  // duplicate ACKs: the receiver waits for `at`
      c.AckUpTo(kTurnaroundNs, peer, at);
      c.s->steps.push_back(lost);  // same seq, same bytes: a retransmission
      c.s->steps.back().gap_ns = c.AnswerGap(dir);
      c.Ack(c.AnswerGap(peer), peer);
      unacked = 0;
      continue;
    }
    if (++unacked == 2 || total == 0) {
      const uint64_t ack_gap = c.AnswerGap(peer);
      c.Ack(ack_gap, peer);
      gap = gap > ack_gap ? gap - ack_gap : 0;
      unacked = 0;
    }
  }
}

uint16_t ServerPort(Rng& rng, App* app) {
  const uint32_t r = rng.Below(100);
  if (r < 70) return *app = App::kTls, rng.Pick({443, 443, 443, 443, 443, 993, 8443});
  if (r < 92) return *app = App::kHttp, rng.Chance(0.8) ? 80 : 8080;
  return *app = App::kSsh, 22;
}

Stored TlsHeader(Session* s, uint32_t record_len) {
  return Store(s, [&](ByteWriter& w) {
    w.U8(0x17);  // application data, TLS 1.2 record version (TLS 1.3 uses it too)
    w.U16(0x0303);
    w.U16(static_cast<uint16_t>(record_len - 5));
  });
}

}  // namespace

void PlanTcp(Rng& rng, const Host& client, bool v6, uint16_t vlan, Session* s) {
  s->transport = Transport::kTcp;
  App app;
  const uint16_t port = ServerPort(rng, &app);
  const IpAddr server = RandomServer(rng, v6);
  SetEndpoints(s, client, v6, server, EphemeralPort(rng), port, vlan, rng);

  Conn c{s,
         {rng.U32(), rng.U32()},
         {64240, 65160},
         static_cast<uint16_t>(v6 ? 1440 : 1460),
         RandomRtt(rng, false),
         // Bottleneck of 20 Mbit/s to 2 Gbit/s: 400 to 4 ns per byte.
         Delay(rng, 4, 400)};
  c.Add(0, 0, kSyn, c.seq[0]);
  const double outcome = rng.Unit();
  if (outcome < 0.02) {  // nobody answers: Linux retries the SYN after 1 s, then 2 s more
    c.Add(1 * kSeconds, 0, kSyn, c.seq[0]);
    c.Add(2 * kSeconds, 0, kSyn, c.seq[0]);
    return;
  }
  c.seq[0] += 1;
  if (outcome < 0.05) {  // port closed: RST
    c.window[1] = 0;
    c.Add(c.rtt_ns, 1, kRst | kAck, 0);
    return;
  }
  c.Add(c.rtt_ns, 1, kSyn | kAck, c.seq[1]);
  c.seq[1] += 1;
  c.window[0] = 502;  // scaled by 2^7 from here on
  c.window[1] = 509;
  c.Ack(kTurnaroundNs, 0);

  const std::string host = RandomDomainName(rng);
  if (app == App::kSsh) {  // the server speaks first
    const Stored server_banner =
        Store(s, [](ByteWriter& w) { w.Text("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n"); });
    Transfer(c, rng, c.rtt_ns, 1, server_banner.len, server_banner, Filler::kNone);
    const Stored client_banner =
        Store(s, [](ByteWriter& w) { w.Text("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"); });
    Transfer(c, rng, 1 * kMillis, 0, client_banner.len, client_banner, Filler::kNone);
  }
  const uint32_t exchanges = app == App::kSsh ? rng.Range(1, 12) : rng.Range(1, 6);
  for (uint32_t i = 0; i < exchanges; ++i) {
    // The first request follows the handshake at once; later ones after the user's think time.
    const uint64_t think =
        i == 0 ? Delay(rng, 100 * kMicros, 2 * kMillis) : Delay(rng, 1 * kMillis, 3 * kSeconds);
    // After the server's ACK of the request (a round trip after it), its processing time.
    const uint64_t server_time = Delay(rng, 100 * kMicros, 50 * kMillis);
    const uint32_t response = rng.LogUniform(100, 200000);
    switch (app) {
      case App::kHttp: {
        const std::string_view path = RandomHttpPath(rng);
        const Stored req = Store(s, [&](ByteWriter& w) { WriteHttpRequest(host, path, w); });
        Transfer(c, rng, think, 0, req.len, req, Filler::kNone);
        const int status = rng.Chance(0.9) ? 200 : rng.Pick({301, 404, 500});
        const Stored head =
            Store(s, [&](ByteWriter& w) { WriteHttpResponseHead(status, response, w); });
        Transfer(c, rng, server_time, 1, head.len + response, head, Filler::kText);
        break;
      }
      case App::kTls: {
        // TLS application data records: 5-byte header, then ciphertext.
        const uint32_t req_len = rng.Range(60, 900);
        Transfer(c, rng, think, 0, req_len, TlsHeader(s, req_len), Filler::kBinary);
        // Large responses are a train of full-size records (16 KiB plaintext each).
        uint64_t gap = server_time;
        for (uint32_t left = response; left > 0;) {
          uint32_t rec_len = std::min<uint32_t>(left, 16384 + 5);
          if (left - rec_len < 6) rec_len = left;  // no record too short for its header
          Transfer(c, rng, gap, 1, rec_len, TlsHeader(s, rec_len), Filler::kBinary);
          gap = c.mss * c.ns_per_byte;
          left -= rec_len;
        }
        break;
      }
      case App::kSsh:
        // Binary packets of an established SSH session (after the banners above).
        Transfer(c, rng, think, 0, rng.Range(36, 400), {}, Filler::kBinary);
        Transfer(c, rng, server_time, 1, std::min<uint32_t>(response, 20000), {}, Filler::kBinary);
        break;
    }
  }

  // Idle keep-alive connections end a while after the last exchange.
  const uint64_t idle = Delay(rng, 1 * kMillis, 5 * kSeconds);
  const double close = rng.Unit();
  if (close < 0.05) {  // the client aborts
    c.Add(idle, 0, kRst | kAck, c.seq[0]);
    return;
  }
  // Client FIN: the server's FIN comes a round trip later. Server FIN: the client answers at once
  // and the server's last ACK comes a round trip later.
  const uint8_t first = close < 0.85 ? 0 : 1;
  c.Add(idle, first, kFin | kAck, c.seq[first]);
  c.seq[first] += 1;
  c.Add(first == 0 ? c.rtt_ns : kTurnaroundNs, 1 - first, kFin | kAck, c.seq[1 - first]);
  c.seq[1 - first] += 1;
  c.Ack(first == 0 ? kTurnaroundNs : c.rtt_ns, first);
}

}  // namespace mcpcap::gencap
