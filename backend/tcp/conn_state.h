// Zeek's view of a TCP connection: the endpoint state machine of its TCP analyzer, the conn.log
// `history` letters and the `conn_state` summary, as defined in Zeek's conn.log documentation
// and base/protocols/conn/main.zeek. Originator = client, responder = server.
#ifndef MCPCAP_BACKEND_TCP_CONN_STATE_H_
#define MCPCAP_BACKEND_TCP_CONN_STATE_H_

#include <cstdint>
#include <string>

namespace mcpcap {

enum class ZeekEndpoint : uint8_t {
  kInactive,
  kSynSent,
  kSynAckSent,
  kPartial,  // seen without a SYN (mid-stream)
  kEstablished,
  kClosed,
  kReset,
};

// At most this many history letters, as Zeek's max_history-like bound keeps logs sane.
inline constexpr size_t kMaxHistory = 64;

class ZeekConnState {
 public:
  // The roles were flipped from the first packet's direction (Zeek's '^').
  void MarkFlipped();
  // One packet from the originator (is_orig) or the responder. seglen is the payload length,
  // window the raw window. retransmitted/gap/zero_window feed the scaled letters T, G, W.
  void OnPacket(bool is_orig, uint16_t flags, uint32_t seq, uint32_t seglen, uint32_t window,
                bool retransmitted, bool gap);

  ZeekEndpoint orig() const { return orig_; }
  ZeekEndpoint resp() const { return resp_; }
  const std::string& history() const { return history_; }
  // S0, S1, SF, REJ, S2, S3, RSTO, RSTR, RSTOS0, RSTRH, SH, SHR or OTH.
  const char* State() const;

 private:
  struct Side {
    uint32_t seen = 0;  // letters already recorded once
    bool has_last_syn = false, has_last_fin = false, has_last_rst = false;
    uint32_t last_syn = 0, last_fin = 0, last_rst = 0;
    uint64_t bytes = 0;
    uint32_t count_t = 0, next_t = 1;
    uint32_t count_g = 0, next_g = 1;
    uint32_t count_w = 0, next_w = 1;
  };
  void Add(bool is_orig, char upper);
  // Records the letter once per side; true if it was already there.
  bool Check(bool is_orig, uint32_t bit, char upper);
  void Scaled(bool is_orig, char upper, uint32_t& count, uint32_t& next);
  void UpdateHistory(bool is_orig, uint16_t flags, uint32_t seq, uint32_t seglen);
  void UpdateState(bool is_orig, uint16_t flags, uint32_t seglen);

  ZeekEndpoint orig_ = ZeekEndpoint::kInactive;
  ZeekEndpoint resp_ = ZeekEndpoint::kInactive;
  Side o_, r_;
  std::string history_;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_TCP_CONN_STATE_H_
