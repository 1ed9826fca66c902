// Named malformations of a DNS message. A message that has one is still reported with whatever
// was read before the problem; parsing of that message stops there (except where noted).
#ifndef MCPCAP_BACKEND_DISSECT_DNS_ANOMALY_H_
#define MCPCAP_BACKEND_DISSECT_DNS_ANOMALY_H_

#include <cstdint>

#include "absl/strings/string_view.h"

namespace mcpcap {

// Values are bit positions in DnsAnomalySet: append only, keep under 32.
enum class DnsAnomaly : uint8_t {
  kTruncatedHeader,    // fewer than 12 bytes
  kTruncatedName,      // a name runs past the end of the message (or of its record data)
  kPointerLoop,        // compression pointers revisit an offset
  kPointerForward,     // a pointer to itself or a later offset (followed, but not legal)
  kPointerPastEnd,     // a pointer beyond the message
  kLabelTooLong,       // a length byte of 64..191: no label type we know (RFC 6891 retired 0x40)
  kNameTooLong,        // more than 255 bytes on the wire
  kTooManyLabels,      // more than 127 labels
  kTruncatedQuestion,  // type or class missing
  kTruncatedRecord,    // record header or data runs past the end
  kBadRdata,           // record data inconsistent with its type (shown as hex)
  kTooManyRecords,     // header counts beyond our cap: the rest was not read
  kTrailingBytes,      // bytes after the last record the header announced
  kBadOpt,             // OPT outside the additional section, repeated, or with a cut option
  kCountMismatch,      // fewer records than the header announced (message ends early)
  kCount,
};
static_assert(static_cast<int>(DnsAnomaly::kCount) <= 32, "DnsAnomalySet is one uint32_t");

// snake_case name, stable for APIs (e.g. "dns_pointer_loop").
absl::string_view DnsAnomalyName(DnsAnomaly a);

class DnsAnomalySet {
 public:
  void Add(DnsAnomaly a) { bits_ |= Bit(a); }
  bool Has(DnsAnomaly a) const { return (bits_ & Bit(a)) != 0; }
  bool empty() const { return bits_ == 0; }
  uint32_t bits() const { return bits_; }
  template <typename Fn>
  void ForEach(Fn fn) const {
    for (uint32_t b = bits_; b != 0; b &= b - 1) fn(static_cast<DnsAnomaly>(__builtin_ctz(b)));
  }

 private:
  static uint32_t Bit(DnsAnomaly a) { return uint32_t{1} << static_cast<unsigned>(a); }
  uint32_t bits_ = 0;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_DISSECT_DNS_ANOMALY_H_
