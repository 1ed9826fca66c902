// SIP (RFC 3261) message parsing: one message from a UDP datagram, or messages framed one by one
// out of a reassembled TCP byte stream by Content-Length. Header names come out canonical
// (lower case, compact forms expanded), folded lines joined, repeated headers kept in order.
// Malformations are named problems on the message, never failures of the caller.
//
//   SipMessage msg;
//   if (ParseSipDatagram(udp_payload, &msg) == SipParseStatus::kOk) ... msg.Header("call-id") ...
//
//   SipStreamParser stream;            // one per TCP direction
//   stream.Feed(bytes);                // any split of the stream
//   while (stream.Next(&msg) != SipParseStatus::kNeedMore) ...
#ifndef MCPCAP_BACKEND_DISSECT_SIP_H_
#define MCPCAP_BACKEND_DISSECT_SIP_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "backend/base/byte_reader.h"

namespace mcpcap {

// Limits fixed up front so hostile input costs bounded memory and time.
inline constexpr size_t kSipMaxLineBytes = 8 * 1024;        // one raw line, start line included
inline constexpr size_t kSipMaxHeaderBytes = 64 * 1024;     // start line through the blank line
inline constexpr size_t kSipMaxHeaders = 256;               // later headers are dropped
inline constexpr uint32_t kSipMaxContentLength = 1u << 20;  // larger is "absurd"

// Named malformations ("sip_" + snake_case in results). Append only.
enum class SipProblem : uint8_t {
  kBadStartLine,           // looks like SIP but the request/status line is malformed
  kNoHeaderEnd,            // datagram without the blank line that ends the headers
  kHeaderLineTooLong,      // a line longer than kSipMaxLineBytes
  kHeadersTooLong,         // header section longer than kSipMaxHeaderBytes
  kTooManyHeaders,         // more than kSipMaxHeaders header fields
  kBadHeaderLine,          // a header line without a colon (skipped)
  kBadContentLength,       // Content-Length is not a number
  kContentLengthAbsurd,    // Content-Length beyond kSipMaxContentLength or the datagram size
  kContentLengthMismatch,  // the datagram ends before Content-Length bytes of body
  kMissingContentLength,   // stream message without Content-Length (RFC 3261 requires it)
  kStreamGap,              // bytes lost in the capture cut a stream message
  kCount,
};

// "sip_bad_start_line", ...
absl::string_view SipProblemName(SipProblem p);

class SipProblemSet {
 public:
  void Add(SipProblem p) { bits_ |= Bit(p); }
  bool Has(SipProblem p) const { return (bits_ & Bit(p)) != 0; }
  bool empty() const { return bits_ == 0; }
  template <typename Fn>
  void ForEach(Fn fn) const {
    for (uint32_t b = bits_; b != 0; b &= b - 1) fn(static_cast<SipProblem>(__builtin_ctz(b)));
  }

 private:
  static uint32_t Bit(SipProblem p) { return uint32_t{1} << static_cast<unsigned>(p); }
  uint32_t bits_ = 0;
};

struct SipHeaderField {
  std::string name;   // canonical: lower case, compact form expanded ("i" -> "call-id")
  std::string value;  // trimmed, folded lines joined with one space
};

struct SipMessage {
  bool is_request = false;
  std::string start_line;
  std::string method;                      // requests, as on the wire
  std::string request_uri;                 // requests
  std::string version;                     // "SIP/2.0"
  uint16_t status_code = 0;                // responses
  std::string reason;                      // responses
  std::vector<SipHeaderField> headers;     // in wire order
  std::optional<uint32_t> content_length;  // the header's value when it is a sane number
  size_t header_length = 0;                // start line through the blank line, in bytes
  size_t body_length = 0;                  // exact body bytes as on the wire
  SipProblemSet problems;

  void Clear();
  // The first header with this canonical name, or nullptr.
  const std::string* Header(absl::string_view name) const;
  // Its value, or "" when absent.
  absl::string_view HeaderOr(absl::string_view name) const;
};

enum class SipParseStatus : uint8_t {
  kOk,        // a message was parsed
  kNeedMore,  // stream: the message is incomplete
  kBad,       // looked like SIP but could not be used; see problems
  kNotSip,    // datagram: does not start like a SIP message
};

// Whether the first line of data starts a SIP message: "SIP/2.0 " (a status line), a known
// method followed by a space (case-insensitive, as the original), or any method token whose line
// ends in " SIP/2.0".
bool LooksLikeSip(Bytes data);

// Canonical header name for a name as on the wire.
std::string CanonicalSipHeaderName(absl::string_view wire_name);

// True for the 14 methods the original recognises (case-insensitive).
bool IsKnownSipMethod(absl::string_view token);

// A whole UDP datagram as one message: the body runs to the datagram's end or Content-Length,
// whichever is shorter (RFC 3261 18.3). kNotSip, kBad (problems set) or kOk.
SipParseStatus ParseSipDatagram(Bytes payload, SipMessage* out);

// Frames the message at the start of `data`, a stream buffer. kOk: *consumed is its length.
// kNeedMore: incomplete. kBad: out->problems says why; the caller must resynchronise.
SipParseStatus FrameSipMessage(Bytes data, SipMessage* out, size_t* consumed);

// Incremental framing over one direction of a TCP stream, fed any split of it. Buffers at most
// one message (kSipMaxHeaderBytes + kSipMaxContentLength bytes).
class SipStreamParser {
 public:
  // Appends stream bytes.
  void Feed(Bytes data);
  // Bytes were lost: a message in progress is dropped and framing resynchronises at the next
  // start line.
  void Gap();
  // The next message (kOk), kNeedMore when none is complete, kBad when one had to be dropped
  // (out->problems says why). Call until kNeedMore after each Feed.
  SipParseStatus Next(SipMessage* out);

  // True once a message start has been seen at a synchronised position.
  bool seen_sip() const { return seen_sip_; }
  size_t buffered() const { return buffer_.size() - pos_; }

 private:
  // Drops bytes up to the next line that starts a SIP message; false if none is buffered.
  bool Resync();
  void Compact();

  std::vector<uint8_t> buffer_;
  size_t pos_ = 0;             // start of unconsumed bytes
  bool synced_ = true;         // the buffer starts at a message boundary
  bool lost_ = false;          // a gap cut the message in progress
  bool at_line_start_ = true;  // while resynchronising: pos_ is at the start of a line
  bool seen_sip_ = false;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_DISSECT_SIP_H_
