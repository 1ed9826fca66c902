// Builds the Ethernet/IPv4/TCP frames of scripted TCP conversations, with sequence and
// acknowledgement numbers kept as a real stack would, for tests of stream reassembly and of
// what is read from streams. Segments can be dropped to make gaps.
//
//   TcpSessionBuilder s("10.0.0.1", 40000, "10.0.0.2", 3306);
//   s.Handshake();
//   s.Send(TcpSessionBuilder::kServer, greeting);
//   s.Send(TcpSessionBuilder::kClient, login);
//   s.Close();
//   std::string pcap = BuildPcap(s.packets());
#ifndef MCPCAP_TESTS_TESTING_TCP_SESSION_BUILDER_H_
#define MCPCAP_TESTS_TESTING_TCP_SESSION_BUILDER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "tests/testing/capture_builder.h"

namespace mcpcap::testing {

class TcpSessionBuilder {
 public:
  enum Who { kClient, kServer };

  TcpSessionBuilder(const std::string& client_ip, uint16_t client_port,
                    const std::string& server_ip, uint16_t server_port,
                    uint64_t start_usec = 1700000000000000);

  // Initial sequence numbers (before Handshake): a real stack picks new ones for each
  // connection, which is how a new connection on a reused 5-tuple is told apart.
  void StartSequencesAt(uint32_t client_isn, uint32_t server_isn) {
    seq_[kClient] = client_isn;
    seq_[kServer] = server_isn;
  }
  void Handshake();
  // Sends `data` in segments of at most `mss` bytes, each acknowledged by the peer. A segment
  // whose index is in `drop` is left out of the capture (the peer still acknowledges it).
  void Send(Who from, const std::string& data, size_t mss = 1448, std::vector<size_t> drop = {});
  // FIN from each side, then the last ACK.
  void Close();
  void Reset(Who from);
  // Advances the clock by `usec` before the next packet.
  void Wait(uint64_t usec) { now_usec_ += usec; }

  const std::vector<TestPacket>& packets() const { return packets_; }
  // Appends this session's packets to `out` (several sessions in one capture).
  void AppendTo(std::vector<TestPacket>* out) const {
    out->insert(out->end(), packets_.begin(), packets_.end());
  }

 private:
  void Emit(Who from, uint8_t flags, const std::string& payload, bool captured = true);

  uint32_t ip_[2];
  uint16_t port_[2];
  uint32_t seq_[2] = {1000, 50000};
  uint64_t now_usec_;
  uint16_t ip_id_ = 1;
  std::vector<TestPacket> packets_;
};

}  // namespace mcpcap::testing

#endif  // MCPCAP_TESTS_TESTING_TCP_SESSION_BUILDER_H_
