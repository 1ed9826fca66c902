#include "tests/testing/tcp_session_builder.h"

#include <arpa/inet.h>

#include <algorithm>

namespace mcpcap::testing {
namespace {

constexpr uint8_t kFin = 0x01, kSyn = 0x02, kRst = 0x04, kPsh = 0x08, kAck = 0x10;

uint32_t ParseIpv4(const std::string& text) {
  in_addr a{};
  inet_pton(AF_INET, text.c_str(), &a);
  return ntohl(a.s_addr);
}

}  // namespace

TcpSessionBuilder::TcpSessionBuilder(const std::string& client_ip, uint16_t client_port,
                                     const std::string& server_ip, uint16_t server_port,
                                     uint64_t start_usec)
    : ip_{ParseIpv4(client_ip), ParseIpv4(server_ip)},
      port_{client_port, server_port},
      now_usec_(start_usec) {}

void TcpSessionBuilder::Emit(Who from, uint8_t flags, const std::string& payload, bool captured) {
  const int me = from;
  const int peer = 1 - me;
  ByteWriter w(/*big_endian=*/true);
  // Ethernet.
  w.Raw(std::string("\x02\x00\x00\x00\x00", 5));
  w.U8(static_cast<uint8_t>(peer + 1));
  w.Raw(std::string("\x02\x00\x00\x00\x00", 5));
  w.U8(static_cast<uint8_t>(me + 1));
  w.U16(0x0800);
  // IPv4, no options.
  w.U8(0x45);
  w.U8(0);
  w.U16(static_cast<uint16_t>(20 + 20 + payload.size()));
  w.U16(ip_id_++);
  w.U16(0x4000);
  w.U8(64);
  w.U8(6);
  w.U16(0);  // checksum: not checked by readers of captures
  w.U32(ip_[me]);
  w.U32(ip_[peer]);
  // TCP, no options.
  w.U16(port_[me]);
  w.U16(port_[peer]);
  w.U32(seq_[me]);
  w.U32((flags & kAck) ? seq_[peer] : 0);
  w.U8(0x50);
  w.U8(flags);
  w.U16(65535);
  w.U16(0);
  w.U16(0);
  w.Raw(payload);
  seq_[me] += static_cast<uint32_t>(payload.size()) + ((flags & (kSyn | kFin)) ? 1 : 0);
  if (captured) {
    TestPacket p;
    p.ts_sec = now_usec_ / 1000000;
    p.ts_frac = static_cast<uint32_t>(now_usec_ % 1000000);
    p.data = w.bytes();
    packets_.push_back(std::move(p));
  }
  now_usec_ += 100;
}

void TcpSessionBuilder::Handshake() {
  Emit(kClient, kSyn, "");
  Emit(kServer, kSyn | kAck, "");
  Emit(kClient, kAck, "");
}

void TcpSessionBuilder::Send(Who from, const std::string& data, size_t mss,
                             std::vector<size_t> drop) {
  size_t index = 0;
  for (size_t pos = 0; pos < data.size(); pos += mss, ++index) {
    const bool dropped = std::find(drop.begin(), drop.end(), index) != drop.end();
    Emit(from, kPsh | kAck, data.substr(pos, mss), !dropped);
  }
  Emit(from == kClient ? kServer : kClient, kAck, "");
}

void TcpSessionBuilder::Close() {
  Emit(kClient, kFin | kAck, "");
  Emit(kServer, kFin | kAck, "");
  Emit(kClient, kAck, "");
}

void TcpSessionBuilder::Reset(Who from) { Emit(from, kRst | kAck, ""); }

}  // namespace mcpcap::testing
