// tshark's stream numbers: tcp.stream and udp.stream count TCP connections and UDP flows from 0
// in the order their first packet appears, each protocol on its own. A UDP flow is its 5-tuple
// for the whole capture; a TCP 5-tuple starts a new stream when a SYN says the port was reused
// (tcp_port_reuse.h, Wireshark's rule). Numbering must see every packet of the file, whatever
// filter the caller's listing applies, so that an index means one stream to every tool.
//
//   StreamNumbering numbering;
//   for every whole TCP/UDP packet: std::optional<uint64_t> index = numbering.Number(packet);
#ifndef MCPCAP_BACKEND_FLOW_STREAM_INDEX_H_
#define MCPCAP_BACKEND_FLOW_STREAM_INDEX_H_

#include <cstdint>
#include <optional>

#include "absl/container/flat_hash_map.h"
#include "backend/dissect/packet.h"
#include "backend/flow/flow_key.h"
#include "backend/flow/tcp_port_reuse.h"

namespace mcpcap {

// Streams numbered per protocol at most: beyond them (a scan of millions of flows) packets of new
// flows get no index, and unnumbered() says how many.
inline constexpr size_t kMaxNumberedStreams = size_t{1} << 21;

class StreamNumbering {
 public:
  // The tcp.stream or udp.stream of a whole TCP or UDP packet over IP (not a fragment: pass the
  // datagram it completes); nullopt for anything else and past kMaxNumberedStreams.
  std::optional<uint64_t> Number(const DecodedPacket& packet);

  uint64_t tcp_streams() const { return next_tcp_; }
  uint64_t udp_streams() const { return next_udp_; }
  // Packets of flows past the bound, left without an index.
  uint64_t unnumbered() const { return unnumbered_; }

 private:
  struct TcpStream {
    uint64_t index = 0;
    TcpPortReuse reuse;
  };

  absl::flat_hash_map<FlowKey, TcpStream> tcp_;
  absl::flat_hash_map<FlowKey, uint64_t> udp_;
  uint64_t next_tcp_ = 0;
  uint64_t next_udp_ = 0;
  uint64_t unnumbered_ = 0;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_FLOW_STREAM_INDEX_H_
