#include "backend/tcp/connection_tracker.h"

#include <algorithm>
#include <cstdint>

#include "backend/tcp/seq_math.h"

namespace mcpcap {
namespace {

constexpr uint32_t kRetransmitted =
    kEvRetransmission | kEvFastRetransmission | kEvSpuriousRetransmission;

// Zeek's likely_server_ports, approximated: the well-known range plus common service ports.
bool IsLikelyServerPort(uint16_t port) {
  if (port != 0 && port < 1024) return true;
  switch (port) {
    case 1433:
    case 1521:
    case 1883:
    case 2049:
    case 2181:
    case 3306:
    case 3389:
    case 5060:
    case 5061:
    case 5432:
    case 5672:
    case 5900:
    case 6379:
    case 6443:
    case 8000:
    case 8008:
    case 8080:
    case 8443:
    case 8888:
    case 9000:
    case 9092:
    case 9200:
    case 11211:
    case 27017:
      return true;
    default:
      return false;
  }
}

// Zeek's TCP::WantConnection: a connection first seen without a plain SYN is flipped when the
// sender's port looks like a server's and the receiver's does not (or both do, the packet is
// not a SYN-ACK and the sender's port is higher).
bool SenderLooksLikeServer(uint16_t flags, uint16_t src_port, uint16_t dst_port) {
  if (!IsLikelyServerPort(src_port)) return false;
  if (!IsLikelyServerPort(dst_port)) return true;
  return (flags & kTcpSyn) == 0 && src_port > dst_port;
}

// Payload length from the IP length, so snaplen-cut frames still count their real size; but
// never more than the frame carried on the wire after the IP header (Wireshark's reported
// length), when we know where the frame starts. An IPv4 length of 0 is what TCP segmentation
// offload leaves in locally sent packets: then the wire length is all there is, as Wireshark
// assumes by default.
uint32_t SegmentLength(const DecodedPacket& pkt, uint32_t frame_length,
                       const uint8_t* frame_start) {
  const uint32_t ip_total = pkt.ip.total_length;
  const uint32_t tcp_header = pkt.tcp.header_length;
  uint64_t on_wire = UINT64_MAX;
  if (frame_start != nullptr && pkt.ip.payload.data() >= frame_start) {
    const auto offset = static_cast<uint64_t>(pkt.ip.payload.data() - frame_start);
    on_wire = frame_length > offset ? frame_length - offset : 0;
  }
  uint64_t ip_payload = 0;
  if (ip_total != 0 && ip_total >= pkt.ip.header_length + tcp_header) {
    ip_payload = std::min<uint64_t>(ip_total - pkt.ip.header_length, on_wire);
  } else if (ip_total == 0 && on_wire != UINT64_MAX) {
    ip_payload = on_wire;
  } else {
    return static_cast<uint32_t>(pkt.payload.size());
  }
  return ip_payload > tcp_header ? static_cast<uint32_t>(ip_payload - tcp_header) : 0;
}

// A retransmission is triggered by an ACK (duplicate ACKs, SACK blocks, a partial ACK) when the
// receiver's last segment came at most a handshake round trip plus 5 ms before it: the time for
// the ACK to reach the sender and the resent segment to reach the capture point, wherever the
// capture was taken. Without a handshake RTT, Wireshark's 20 ms fast-retransmit window. Timer
// retransmissions come after the receiver has been silent for a retransmission time-out, which
// is longer than a round trip.
constexpr CaptureNanos kAckReactionSlack = 5'000'000;
constexpr CaptureNanos kAckReactionDefault = 20'000'000;

}  // namespace

TcpConnectionTracker::TcpConnectionTracker(TcpObserver* observer, size_t max_connections)
    : observer_(observer),
      table_(max_connections, [this](const FlowKey&, TcpConnectionRecord& c) { Retire(c); }) {}

TcpConnectionRecord& TcpConnectionTracker::Start(const DirectedFlowKey& dk,
                                                 const DecodedPacket& pkt, uint64_t frame,
                                                 CaptureNanos time, int64_t ts_sec,
                                                 uint32_t ts_nsec) {
  TcpConnectionRecord& c = table_.FindOrCreate(dk.key, time);
  peak_ = std::max(peak_, table_.size());
  c.id = next_id_++;
  const uint16_t flags = pkt.tcp.flags;
  const bool syn = (flags & kTcpSyn) != 0, ack = (flags & kTcpAck) != 0;
  bool sender_is_client = true;
  if (syn && !ack) {
    c.role_source = TcpRoleSource::kHandshake;
  } else if (syn && ack) {
    c.role_source = TcpRoleSource::kHandshake;  // a SYN-ACK comes from the server
    sender_is_client = false;
  } else {
    c.role_source = TcpRoleSource::kPortGuess;
    sender_is_client = !SenderLooksLikeServer(flags, pkt.src_port, pkt.dst_port);
  }
  const TcpEndpoint src{pkt.ip.src, pkt.src_port}, dst{pkt.ip.dst, pkt.dst_port};
  c.client = sender_is_client ? src : dst;
  c.server = sender_is_client ? dst : src;
  c.first_from_client = sender_is_client;
  if (!sender_is_client) c.zeek.MarkFlipped();
  c.first_frame = frame;
  c.first_time = time;
  c.first_ts_sec = ts_sec;
  c.first_ts_nsec = ts_nsec;
  if (syn && ack) {
    c.syn_ack_first = true;
    c.began_mid_handshake = time - start_ <= kMidHandshakeWindow;
  }
  return c;
}

void TcpConnectionTracker::Retire(TcpConnectionRecord& c) {
  // Close any zero-window stall still open at the end of the connection.
  for (bool client_side : {true, false}) {
    TcpDirection& d = client_side ? c.c2s : c.s2c;
    if (d.zero_window_since_frame == 0) continue;
    TcpZeroWindowStall s;
    s.by_client = client_side;
    s.start_frame = d.zero_window_since_frame;
    s.start_time = d.zero_window_since;
    s.duration = c.last_time - d.zero_window_since;
    s.probes = d.stall_probes;
    if (observer_ != nullptr) observer_->OnStall(c, s);
    d.zero_window_since_frame = 0;
  }
  if (observer_ != nullptr) observer_->OnFinished(c);
}

void TcpConnectionTracker::Finish() { table_.Drain(); }

// A stall starts when a side advertises a zero window and ends when it opens it again.
void TcpConnectionTracker::TrackStalls(TcpConnectionRecord& c, bool from_client,
                                       const TcpSegmentView& seg) {
  TcpDirection& me = from_client ? c.c2s : c.s2c;
  TcpDirection& peer = from_client ? c.s2c : c.c2s;
  if ((seg.events & kEvZeroWindowProbe) != 0 && peer.zero_window_since_frame != 0) {
    ++peer.stall_probes;
  }
  if ((seg.flags & kTcpRst) != 0) return;
  if ((seg.events & kEvZeroWindow) != 0) {
    if (me.zero_window_since_frame == 0) {
      me.zero_window_since_frame = seg.frame;
      me.zero_window_since = seg.time;
    }
  } else if (me.zero_window_since_frame != 0 && me.seq.window != 0) {
    TcpZeroWindowStall s;
    s.by_client = from_client;
    s.start_frame = me.zero_window_since_frame;
    s.start_time = me.zero_window_since;
    s.end_frame = seg.frame;
    s.duration = seg.time - me.zero_window_since;
    s.probes = me.stall_probes;
    if (observer_ != nullptr) observer_->OnStall(c, s);
    me.zero_window_since_frame = 0;
    me.stall_probes = 0;
  }
}

bool TcpConnectionTracker::Process(uint64_t frame, int64_t ts_sec, uint32_t ts_nsec,
                                   uint32_t frame_length, const DecodedPacket& pkt,
                                   const uint8_t* frame_start,
                                   std::optional<uint64_t> stream_index) {
  if (pkt.l4_kind != L4Kind::kTcp) return false;
  if (pkt.l3_kind != L3Kind::kIpv4 && pkt.l3_kind != L3Kind::kIpv6) return false;
  ++segments_;
  const CaptureNanos time = ToCaptureNanos(ts_sec, ts_nsec);
  SetCaptureStart(time);
  const DirectedFlowKey dk = MakeFlowKey(pkt.ip.src, pkt.src_port, pkt.ip.dst, pkt.dst_port, 6);
  const TcpInfo& tcp = pkt.tcp;
  const uint16_t flags = tcp.flags;

  uint32_t extra_events = 0;
  TcpConnectionRecord* c = table_.Find(dk.key);
  if (c != nullptr && c->port_reuse.StartsNewConnection(dk.direction, flags, tcp.seq)) {
    Retire(*c);
    table_.Erase(dk.key);
    c = nullptr;
    extra_events = kEvReusedPorts;
  }
  if (c == nullptr) {
    c = &Start(dk, pkt, frame, time, ts_sec, ts_nsec);
    c->reused_ports = extra_events != 0;
    c->stream_index = stream_index;
  } else {
    table_.FindOrCreate(dk.key, time);  // marks it recently active
  }
  TcpConnectionRecord& conn = *c;
  // A connection to itself (same address and port) counts every packet as the client's.
  const bool from_client = pkt.ip.src == conn.client.ip && pkt.src_port == conn.client.port;
  TcpDirection& me = from_client ? conn.c2s : conn.s2c;
  TcpDirection& peer = from_client ? conn.s2c : conn.c2s;

  TcpSegment seg;
  seg.seq = tcp.seq;
  seg.ack = tcp.ack;
  seg.seglen = SegmentLength(pkt, frame_length, frame_start);
  seg.flags = flags;
  seg.window = tcp.window;
  seg.has_window_scale = tcp.options.has_window_scale;
  seg.window_scale = tcp.options.window_scale;
  seg.time = time;
  seg.syn_effect = conn.port_reuse.Learn(dk.direction, flags, tcp.seq, tcp.ack);
  // Before the analysis updates them: when the receiver and this side last sent a segment, for
  // what triggered a retransmission.
  const CaptureNanos peer_last = peer.seq.lastack_time;
  const bool sent_before = me.packets > 0;
  const CaptureNanos my_last = me.seq.lastack_time;
  const CaptureNanos first_rtt = conn.rtt.first_rtt;
  const uint32_t events = AnalyzeSegment(seg, me.seq, peer.seq, conn.rtt) | extra_events;

  // Counters.
  ++me.packets;
  me.frame_bytes += frame_length;
  me.payload_bytes += seg.seglen;
  if (seg.seglen > 0) ++me.data_packets;
  const bool syn = (flags & kTcpSyn) != 0, ack = (flags & kTcpAck) != 0;
  const bool rst = (flags & kTcpRst) != 0, fin = (flags & kTcpFin) != 0;
  if (syn && !ack) ++me.syn;
  if (syn && ack) ++me.syn_ack;
  if (ack) ++me.ack;
  if (fin) ++me.fin;
  TcpRetransmitTrigger trigger = TcpRetransmitTrigger::kNone;
  CaptureNanos wait = 0;
  if ((events & kRetransmitted) != 0) {
    ++me.retransmissions;
    const bool heard = peer.packets > 0 && time >= peer_last;
    if (heard) {
      wait = time - peer_last;
    } else if (sent_before && time >= my_last) {
      wait = time - my_last;
    }
    const CaptureNanos reaction =
        first_rtt > 0 ? first_rtt + kAckReactionSlack : kAckReactionDefault;
    if (heard && wait <= reaction) {
      trigger = TcpRetransmitTrigger::kAck;
      ++me.ack_retransmissions;
    } else {
      trigger = TcpRetransmitTrigger::kTimer;
      ++me.timer_retransmissions;
      me.longest_timer_wait = std::max(me.longest_timer_wait, wait);
    }
    if ((flags & kTcpSyn) != 0) ++me.handshake_retransmissions;
  }
  // Transfer progress: payload, or an ACK passing payload not acknowledged before (a RST's ACK
  // field delivers nothing).
  bool data_activity = seg.seglen > 0;
  if (ack && !rst && peer.has_payload && SeqGt(tcp.ack, peer.payload_start) &&
      (!me.has_acked || (SeqGt(tcp.ack, me.acked) && SeqLt(me.acked, peer.payload_end)))) {
    data_activity = true;
  }
  if (data_activity) {
    conn.last_data_frame = frame;
    conn.last_data_time = time;
  }
  if (seg.seglen > 0) {
    const uint32_t end = tcp.seq + seg.seglen;
    if (!me.has_payload) me.payload_start = tcp.seq;
    if (!me.has_payload || SeqGt(end, me.payload_end)) me.payload_end = end;
    me.has_payload = true;
  }
  if (ack && (!me.has_acked || SeqGt(tcp.ack, me.acked))) {
    me.acked = tcp.ack;
    me.has_acked = true;
  }
  if ((events & kEvZeroWindow) != 0) ++me.zero_windows;
  if (syn && tcp.options.has_mss) me.mss = tcp.options.mss;
  for (int i = 0; i < kTcpEventKinds; ++i) {
    if ((events & (1u << i)) == 0) continue;
    const size_t k = static_cast<size_t>(i);
    if (conn.events[k]++ == 0) {
      conn.first_event_frame[k] = frame;
      conn.first_event_time[k] = time;
    }
  }

  // Handshake: SYN, SYN-ACK, then the client's ACK of the SYN-ACK.
  if (syn && !ack && from_client) {
    if (conn.saw_syn && tcp.seq == conn.client_isn) ++conn.syn_retries;
    conn.saw_syn = true;
    conn.client_isn = tcp.seq;
    conn.syn_time = time;
  } else if (syn && ack && !from_client && !conn.saw_syn_ack) {
    conn.saw_syn_ack = true;
    conn.server_isn = tcp.seq;
    conn.syn_ack_time = time;
  } else if (ack && !syn && !rst && from_client && conn.saw_syn && conn.saw_syn_ack &&
             !conn.handshake_completed && tcp.ack == conn.server_isn + 1) {
    conn.handshake_completed = true;
    conn.established = true;
    conn.handshake_done_time = time;
  } else if (ack && !syn && !rst && from_client && !conn.saw_syn && conn.saw_syn_ack &&
             tcp.ack == conn.server_isn + 1) {
    conn.established = true;  // the SYN was not captured, but the client ACKed the SYN-ACK
  }

  // Resets: who, in what context, and whether a middlebox seems to have sent them.
  if (rst) {
    ++me.rst;
    if (seg.seglen > 0) ++me.rst_with_data;
    if (me.has_ttl && pkt.ip.ttl != me.last_ttl) me.rst_ttl_mismatch = true;
    if (conn.first_rst_frame == 0) {
      conn.first_rst_frame = frame;
      conn.first_rst_time = time;
    }
    if (!from_client && conn.saw_syn && !conn.saw_syn_ack) conn.rst_refused = true;
    if (conn.c2s.payload_bytes + conn.s2c.payload_bytes > seg.seglen && me.fin == 0 &&
        peer.rst == 0) {
      conn.rst_mid_stream = true;
    }
  } else {
    me.last_ttl = pkt.ip.ttl;
    me.has_ttl = true;
  }

  // Zeek's 't' is retransmitted payload: a repeated SYN or FIN does not count.
  conn.zeek.OnPacket(from_client, flags, tcp.seq, seg.seglen, tcp.window,
                     (events & kRetransmitted) != 0 && seg.seglen > 0,
                     (events & (kEvLostSegment | kEvAckedUnseen)) != 0);
  conn.last_frame = frame;
  conn.last_time = time;

  TcpSegmentView view;
  view.frame = frame;
  view.time = time;
  view.frame_length = frame_length;
  view.seglen = seg.seglen;
  view.flags = flags;
  view.from_client = from_client;
  view.events = events;
  view.trigger = trigger;
  view.wait = wait;
  TrackStalls(conn, from_client, view);
  if (observer_ != nullptr) observer_->OnSegment(conn, view);
  return true;
}

}  // namespace mcpcap
