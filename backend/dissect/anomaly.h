// Named problems found while decoding a frame. A decoder that records one stops at that layer.
#ifndef MCPCAP_BACKEND_DISSECT_ANOMALY_H_
#define MCPCAP_BACKEND_DISSECT_ANOMALY_H_

#include <cstdint>

#include "absl/strings/string_view.h"

namespace mcpcap {

// Values are bit positions in AnomalySet: append only, keep under 64.
enum class Anomaly : uint8_t {
  kSnaplenTruncated,  // caplen < origlen: the capture kept only a prefix of the frame
  kLinkTypeUnsupported,
  kEthernetTruncated,
  kVlanTruncated,
  kVlanTooManyTags,  // more than kMaxVlanTags stacked tags
  kSllTruncated,
  kSll2Truncated,
  kNullTruncated,
  kRawIpTruncated,
  kRawIpBadVersion,
  kArpTruncated,
  kIpv4Truncated,
  kIpv4BadVersion,
  kIpv4BadHeaderLength,
  kIpv4BadTotalLength,  // total length smaller than the header
  kIpv4TotalLengthExceedsCapture,
  kIpv6Truncated,
  kIpv6BadVersion,
  kIpv6PayloadLengthExceedsCapture,
  kIpv6ExtensionHeaderTruncated,
  kIpv6ExtensionChainTooLong,
  kTcpTruncated,
  kTcpBadDataOffset,
  kTcpOptionTruncated,
  kTcpOptionBadLength,
  kUdpTruncated,
  kUdpBadLength,
  kIcmpTruncated,
  kIcmpv6Truncated,
  kNflogTruncated,
  kNflogNoPayload,  // no NFULA_PAYLOAD attribute before the TLVs ended or broke
  kPppTruncated,
  kMplsTruncated,
  kMplsTooManyLabels,  // more than kMaxMplsLabels labels without the bottom of the stack
  kFddiTruncated,      // FDDI header or its 802.2 LLC/SNAP header cut short
  kIpoibTruncated,
  kCount,
};
static_assert(static_cast<int>(Anomaly::kCount) <= 64, "AnomalySet is one uint64_t");

// snake_case name, stable for APIs and logs (e.g. "tcp_bad_data_offset").
absl::string_view AnomalyName(Anomaly a);

// A set of anomalies in one word: cheap to clear, copy and test.
class AnomalySet {
 public:
  void Add(Anomaly a) { bits_ |= Bit(a); }
  void Remove(Anomaly a) { bits_ &= ~Bit(a); }
  bool Has(Anomaly a) const { return (bits_ & Bit(a)) != 0; }
  bool empty() const { return bits_ == 0; }
  uint64_t bits() const { return bits_; }
  // Calls fn(Anomaly) for each member in enum order.
  template <typename Fn>
  void ForEach(Fn fn) const {
    for (uint64_t b = bits_; b != 0; b &= b - 1) fn(static_cast<Anomaly>(__builtin_ctzll(b)));
  }

 private:
  static uint64_t Bit(Anomaly a) { return uint64_t{1} << static_cast<unsigned>(a); }
  uint64_t bits_ = 0;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_DISSECT_ANOMALY_H_
