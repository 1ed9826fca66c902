// What tshark remembers across the segments of a TCP stream when it names a frame's protocols:
// retransmitted and out-of-order data is not handed to the application dissector again
// (tcp.no_subdissector_on_error), a PDU spanning segments is named on the segment completing it
// (desegmentation), and a stream a heuristic recognised keeps its protocol. Bounded: streams
// beyond kMaxTrackedDirections are named frame by frame.
#ifndef MCPCAP_BACKEND_ANALYSIS_COMMON_TCP_PDU_TRACKER_H_
#define MCPCAP_BACKEND_ANALYSIS_COMMON_TCP_PDU_TRACKER_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "backend/dissect/packet.h"

namespace mcpcap {

class TcpPduTracker {
 public:
  static constexpr size_t kMaxTrackedDirections = 16384;
  // Bytes of an unfinished PDU start kept to learn its length (HTTP headers, record headers).
  static constexpr size_t kMaxPendingBytes = 4096;

  // The protocol a stream's payload is handed to: `guess` (named from this segment's ports or
  // content) unless the stream was recognised earlier by content and `guess` is "data".
  absl::string_view StreamProtocol(uint64_t stream, absl::string_view guess);

  // Feeds TCP segment `p` of stream `stream`, captured at `time_nanos` (in file order), whose
  // payload goes to `protocol`; true when tshark names the application layer on this frame.
  bool Dissected(uint64_t stream, const DecodedPacket& p, int64_t time_nanos,
                 absl::string_view protocol);

 private:
  struct Direction {
    bool started = false;
    uint32_t next_seq = 0;
    uint64_t remaining = 0;  // bytes of the PDU under way still to come
    std::string pending;     // the start of a PDU whose length is not known yet
    // Acknowledgements this side sent: tshark's fast retransmission needs two duplicates.
    uint32_t last_ack = 0;
    uint16_t last_window = 0;
    uint32_t duplicate_acks = 0;
    int64_t last_ack_time = 0;
  };
  void CountAck(const DecodedPacket& p, uint32_t length, int64_t time_nanos, Direction* d);
  // Feeds in-order payload to the PDU framing of `protocol`; true when a PDU completes.
  static bool FramePdus(absl::string_view protocol, const uint8_t* data, size_t size, Direction* d);

  absl::flat_hash_map<uint64_t, Direction> directions_;  // key: stream * 2 + direction
  // stream -> protocol recognised by content (static names)
  absl::flat_hash_map<uint64_t, absl::string_view> recognised_;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_COMMON_TCP_PDU_TRACKER_H_
