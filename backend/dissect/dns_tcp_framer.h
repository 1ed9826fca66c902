// DNS over TCP (RFC 1035 4.2.2, RFC 7766): each message follows a 2-byte length. The framer is
// fed one direction's stream bytes in whatever pieces they arrived and hands out whole messages:
// several from one piece, or one put together from many. Only a partial message is copied, so
// the buffer never exceeds 65537 bytes.
//
//   Bytes in = segment_payload;
//   Bytes msg;
//   for (;;) {
//     DnsFrameStatus s = framer.Next(&in, &msg);
//     if (s == DnsFrameStatus::kMessage) { ParseDnsMessage(msg, ...); continue; }
//     break;  // kNeedMore: all of `in` was taken; kBad: the stream is not DNS as framed
//   }
#ifndef MCPCAP_BACKEND_DISSECT_DNS_TCP_FRAMER_H_
#define MCPCAP_BACKEND_DISSECT_DNS_TCP_FRAMER_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "backend/base/byte_reader.h"

namespace mcpcap {

enum class DnsFrameStatus : uint8_t {
  kMessage,   // *message holds one whole message (valid until the next call)
  kNeedMore,  // every input byte was taken; a message is incomplete or none started
  kBad,       // a length below the 12-byte DNS header: framing is lost until Reset()
};

class DnsTcpFramer {
 public:
  // Takes bytes from the front of *input until a message is complete or *input is empty.
  DnsFrameStatus Next(Bytes* input, Bytes* message);
  // Forgets any partial message and the bad state, e.g. after a gap in the stream.
  void Reset();
  // Bytes of an incomplete message (length prefix included) held so far.
  size_t pending() const { return buffer_.size(); }
  bool bad() const { return bad_; }

 private:
  std::vector<uint8_t> buffer_;  // length prefix and message bytes of the incomplete message
  std::vector<uint8_t> done_;    // the last message completed in buffer_, handed out
  bool bad_ = false;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_DISSECT_DNS_TCP_FRAMER_H_
