// libFuzzer entry point for the TCP connection tracker (backend/tcp). Two modes, by the first
// byte: (even) compact segment records (endpoints from a small set, flags, seq, ack, window,
// length, window-scale option) so that handshakes, port reuse, wrap-around, zero windows and
// eviction from a tiny table all happen; (odd) raw IP packets through the real decoder (the TCP
// header and option parser). Checks the tracker's bookkeeping after every input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "backend/base/byte_reader.h"
#include "backend/dissect/decoder.h"
#include "backend/tcp/connection_tracker.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

class CountingObserver : public mcpcap::TcpObserver {
 public:
  void OnSegment(const mcpcap::TcpConnectionRecord& c, const mcpcap::TcpSegmentView&) override {
    Check(c.packets() > 0);
  }
  void OnStall(const mcpcap::TcpConnectionRecord&, const mcpcap::TcpZeroWindowStall& s) override {
    Check(s.start_frame > 0);
  }
  void OnFinished(const mcpcap::TcpConnectionRecord& c) override {
    ++finished;
    Check(c.zeek.history().size() <= mcpcap::kMaxHistory);
    Check(c.zeek.State() != nullptr);
    Check(c.first_frame <= c.last_frame);
  }
  uint64_t finished = 0;
};

void FeedRecords(mcpcap::ByteReader& in, mcpcap::TcpConnectionTracker& tracker) {
  static const uint8_t kAddrs[3][4] = {{10, 0, 0, 1}, {10, 0, 0, 2}, {10, 0, 0, 3}};
  static const uint16_t kPorts[4] = {80, 40000, 40001, 443};
  mcpcap::DecodedPacket pkt;
  uint64_t frame = 0;
  int64_t sec = 1000;
  uint8_t sel = 0, flags = 0, len = 0, opt = 0, dt = 0;
  uint32_t seq = 0, ack = 0;
  uint16_t window = 0;
  while (in.ReadU8(&sel) && in.ReadU8(&flags) && in.ReadU32Be(&seq) && in.ReadU32Be(&ack) &&
         in.ReadU16Be(&window) && in.ReadU8(&len) && in.ReadU8(&opt) && in.ReadU8(&dt)) {
    pkt = mcpcap::DecodedPacket();
    pkt.l3_kind = mcpcap::L3Kind::kIpv4;
    pkt.l4_kind = mcpcap::L4Kind::kTcp;
    pkt.ip.version = 4;
    pkt.ip.ttl = (sel & 0x80) ? 64 : 255;
    pkt.ip.src = mcpcap::IpAddress::V4(kAddrs[sel % 3]);
    pkt.ip.dst = mcpcap::IpAddress::V4(kAddrs[(sel / 3) % 3]);
    pkt.src_port = kPorts[(sel >> 3) & 3];
    pkt.dst_port = kPorts[(sel >> 5) & 3];
    pkt.ip.header_length = 20;
    pkt.tcp.header_length = 20;
    pkt.ip.total_length = static_cast<uint16_t>(40 + len);
    pkt.tcp.seq = seq;
    pkt.tcp.ack = ack;
    pkt.tcp.flags = flags;
    pkt.tcp.window = window;
    pkt.tcp.options.has_window_scale = (opt & 0x80) != 0;
    pkt.tcp.options.window_scale = opt & 0x1f;
    pkt.tcp.options.has_mss = (opt & 0x40) != 0;
    pkt.tcp.options.mss = 1460;
    sec += dt >> 4;
    tracker.Process(++frame, sec, (dt & 0x0f) * 1000000u, 54 + len, pkt);
  }
}

void FeedRawIp(mcpcap::ByteReader& in, mcpcap::TcpConnectionTracker& tracker) {
  mcpcap::DecodedPacket pkt;
  uint64_t frame = 0;
  uint8_t n = 0;
  while (in.ReadU8(&n)) {
    mcpcap::Bytes body;
    if (!in.ReadBytes(n, &body)) break;
    mcpcap::DecodePacket(101, body, &pkt);  // LINKTYPE_RAW
    ++frame;
    tracker.Process(frame, 1000 + static_cast<int64_t>(frame), 0,
                    static_cast<uint32_t>(body.size()), pkt);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mcpcap::ByteReader in(mcpcap::Bytes(data, size));
  uint8_t mode = 0;
  if (!in.ReadU8(&mode)) return 0;
  CountingObserver observer;
  mcpcap::TcpConnectionTracker tracker(&observer, 1 + (mode >> 5));  // 1..8 connections
  if (mode & 1) {
    FeedRawIp(in, tracker);
  } else {
    FeedRecords(in, tracker);
  }
  Check(tracker.peak_table_size() <= tracker.max_connections());
  tracker.Finish();
  Check(observer.finished == tracker.connections());
  return 0;
}
