// Where a SIP message was seen, and small readers of header values that the statistics, call
// tracking and security indicators share.
#ifndef MCPCAP_BACKEND_ANALYSIS_SIP_SIP_FIELDS_H_
#define MCPCAP_BACKEND_ANALYSIS_SIP_SIP_FIELDS_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "backend/dissect/ip_address.h"
#include "backend/dissect/sip.h"
#include "backend/flow/capture_time.h"
#include "mcpcap/v1/sip.pb.h"

namespace mcpcap {

struct SipOrigin {
  uint64_t frame = 0;  // the frame that carried (or completed) the message
  CaptureNanos time = 0;
  IpAddress src, dst;
  uint16_t src_port = 0, dst_port = 0;
  bool tcp = false;
};

// Address text through ToChars: backend/source/address_policy.h declares a second
// mcpcap::IpAddress whose ToString() the linker may pick for ours (an ODR clash reported to the
// lead); ToChars exists only on the decoder's class.
inline std::string IpText(const IpAddress& ip) {
  char buf[IpAddress::kMaxTextLength];
  return std::string(buf, ip.ToChars(buf));
}

inline bool IsKnownSipPort(uint16_t port) { return port == 5060 || port == 5061; }

// The method named in CSeq ("1 INVITE" -> "INVITE"), upper-cased; "" when absent.
std::string CSeqMethod(const SipMessage& m);

// The user part of a SIP URI inside a header or request URI: "Bob <sip:+4930@x;user=phone>" ->
// "+4930"; "" when there is none.
std::string SipUriUser(absl::string_view text);

// The host part of the URI ("sip:bob@10.0.0.1:5060" -> "10.0.0.1"); "" when there is none.
std::string SipUriHost(absl::string_view text);

// Fills a listing entry from a message.
void FillSipPacket(const SipMessage& m, const SipOrigin& o, v1::SipPacket* out);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_SIP_SIP_FIELDS_H_
