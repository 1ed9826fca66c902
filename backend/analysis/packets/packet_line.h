// What list_packets and search_packets say about one frame, as tshark's packet list does with
// -n: source and destination (innermost IP addresses, else MAC addresses), TCP/UDP ports, and a
// short Info text. PacketDescriber keeps the per-stream state the TCP Info needs: show it every
// frame of the file in order (Observe), then describe the frames listed.
#ifndef MCPCAP_BACKEND_ANALYSIS_PACKETS_PACKET_LINE_H_
#define MCPCAP_BACKEND_ANALYSIS_PACKETS_PACKET_LINE_H_

#include <cstdint>
#include <optional>
#include <string>

#include "backend/analysis/common/frame_scan.h"
#include "backend/analysis/common/protocol_stack.h"
#include "backend/analysis/packets/tcp_info_column.h"
#include "mcpcap/v1/packets.pb.h"

namespace mcpcap {

// tshark's Source / Destination columns and the TCP or UDP ports of a frame.
struct PacketAddresses {
  std::string source;
  std::string destination;
  std::optional<uint16_t> source_port;
  std::optional<uint16_t> destination_port;
};

PacketAddresses AddressesOf(const Frame& frame);

// "aa:bb:cc:dd:ee:ff".
std::string MacText(const MacAddress& mac);

class PacketDescriber {
 public:
  // Learns from every frame of the file, in order (listed or not): call before FillLine.
  void Observe(const Frame& frame);
  // A short text like tshark's Info column; `stack` is DescribeProtocols(frame).
  std::string Info(const Frame& frame, const ProtocolStack& stack) const;
  // Fills a whole packet line; `first_time` is the capture time of the file's first frame.
  void FillLine(const Frame& frame, CaptureNanos first_time, v1::PacketLine* line) const;

 private:
  // The Info text of the frame's transport or network layer.
  std::string LayerInfo(const Frame& frame) const;

  TcpInfoColumn tcp_;
  ProtocolContext protocols_;
  ProtocolStack stack_;  // of the frame Observe saw last
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_PACKETS_PACKET_LINE_H_
