#include "backend/dissect/anomaly.h"

namespace mcpcap {

absl::string_view AnomalyName(Anomaly a) {
  switch (a) {
    case Anomaly::kSnaplenTruncated:
      return "snaplen_truncated";
    case Anomaly::kLinkTypeUnsupported:
      return "link_type_unsupported";
    case Anomaly::kEthernetTruncated:
      return "ethernet_truncated";
    case Anomaly::kVlanTruncated:
      return "vlan_truncated";
    case Anomaly::kVlanTooManyTags:
      return "vlan_too_many_tags";
    case Anomaly::kSllTruncated:
      return "sll_truncated";
    case Anomaly::kSll2Truncated:
      return "sll2_truncated";
    case Anomaly::kNullTruncated:
      return "null_truncated";
    case Anomaly::kRawIpTruncated:
      return "raw_ip_truncated";
    case Anomaly::kRawIpBadVersion:
      return "raw_ip_bad_version";
    case Anomaly::kArpTruncated:
      return "arp_truncated";
    case Anomaly::kIpv4Truncated:
      return "ipv4_truncated";
    case Anomaly::kIpv4BadVersion:
      return "ipv4_bad_version";
    case Anomaly::kIpv4BadHeaderLength:
      return "ipv4_bad_header_length";
    case Anomaly::kIpv4BadTotalLength:
      return "ipv4_bad_total_length";
    case Anomaly::kIpv4TotalLengthExceedsCapture:
      return "ipv4_total_length_exceeds_capture";
    case Anomaly::kIpv6Truncated:
      return "ipv6_truncated";
    case Anomaly::kIpv6BadVersion:
      return "ipv6_bad_version";
    case Anomaly::kIpv6PayloadLengthExceedsCapture:
      return "ipv6_payload_length_exceeds_capture";
    case Anomaly::kIpv6ExtensionHeaderTruncated:
      return "ipv6_extension_header_truncated";
    case Anomaly::kIpv6ExtensionChainTooLong:
      return "ipv6_extension_chain_too_long";
    case Anomaly::kTcpTruncated:
      return "tcp_truncated";
    case Anomaly::kTcpBadDataOffset:
      return "tcp_bad_data_offset";
    case Anomaly::kTcpOptionTruncated:
      return "tcp_option_truncated";
    case Anomaly::kTcpOptionBadLength:
      return "tcp_option_bad_length";
    case Anomaly::kUdpTruncated:
      return "udp_truncated";
    case Anomaly::kUdpBadLength:
      return "udp_bad_length";
    case Anomaly::kIcmpTruncated:
      return "icmp_truncated";
    case Anomaly::kIcmpv6Truncated:
      return "icmpv6_truncated";
    case Anomaly::kNflogTruncated:
      return "nflog_truncated";
    case Anomaly::kNflogNoPayload:
      return "nflog_no_payload";
    case Anomaly::kPppTruncated:
      return "ppp_truncated";
    case Anomaly::kMplsTruncated:
      return "mpls_truncated";
    case Anomaly::kMplsTooManyLabels:
      return "mpls_too_many_labels";
    case Anomaly::kFddiTruncated:
      return "fddi_truncated";
    case Anomaly::kIpoibTruncated:
      return "ipoib_truncated";
    case Anomaly::kCount:
      break;
  }
  return "unknown_anomaly";
}

}  // namespace mcpcap
