// tshark's Info column for a TCP segment ("51234 → 80 [SYN, ACK] Seq=0 Ack=1 Win=65535 Len=0
// MSS=1460 ..."), with sequence numbers relative to each direction's first one and windows
// scaled as the handshake agreed, as tshark shows them. Needs to see every TCP packet of the
// file in order (Observe), listed or not, to know each stream's bases.
#ifndef MCPCAP_BACKEND_ANALYSIS_PACKETS_TCP_INFO_COLUMN_H_
#define MCPCAP_BACKEND_ANALYSIS_PACKETS_TCP_INFO_COLUMN_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "backend/dissect/packet.h"

namespace mcpcap {

// Streams whose bases are remembered; later streams show absolute sequence numbers.
inline constexpr size_t kMaxTcpInfoStreams = size_t{1} << 18;

class TcpInfoColumn {
 public:
  // Learns the bases and window scales of the packet's stream (tcp.stream `stream`) from one
  // whole TCP packet. Call for every TCP packet in file order, before Describe.
  void Observe(const DecodedPacket& tcp, uint64_t stream);
  // The Info text of a whole TCP packet already observed (absolute numbers without a stream).
  std::string Describe(const DecodedPacket& tcp, const uint64_t* stream) const;

 private:
  // Window scale of a direction: a shift from the SYN's option, or one of these.
  static constexpr int8_t kScaleUnknown = -1;  // SYN not seen: windows shown as on the wire
  static constexpr int8_t kScaleNone = -2;     // a SYN without the option: no scaling

  struct Direction {
    bool base_set = false;
    uint32_t base = 0;
    int8_t scale = kScaleUnknown;
  };
  struct Stream {
    IpAddress first_ip;  // source of the stream's first packet: direction 0
    uint16_t first_port = 0;
    Direction dir[2];
  };

  // 0 when `tcp` travels as the stream's first packet did, else 1.
  static int DirectionOf(const Stream& s, const DecodedPacket& tcp);

  absl::flat_hash_map<uint64_t, Stream> streams_;
};

// TCP payload bytes as on the wire (IP length minus headers), as tshark's tcp.len.
uint32_t TcpSegmentLength(const DecodedPacket& tcp);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_PACKETS_TCP_INFO_COLUMN_H_
