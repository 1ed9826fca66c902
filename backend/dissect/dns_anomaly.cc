#include "backend/dissect/dns_anomaly.h"

namespace mcpcap {

absl::string_view DnsAnomalyName(DnsAnomaly a) {
  switch (a) {
    case DnsAnomaly::kTruncatedHeader:
      return "dns_truncated_header";
    case DnsAnomaly::kTruncatedName:
      return "dns_truncated_name";
    case DnsAnomaly::kPointerLoop:
      return "dns_pointer_loop";
    case DnsAnomaly::kPointerForward:
      return "dns_pointer_forward";
    case DnsAnomaly::kPointerPastEnd:
      return "dns_pointer_past_end";
    case DnsAnomaly::kLabelTooLong:
      return "dns_label_too_long";
    case DnsAnomaly::kNameTooLong:
      return "dns_name_too_long";
    case DnsAnomaly::kTooManyLabels:
      return "dns_too_many_labels";
    case DnsAnomaly::kTruncatedQuestion:
      return "dns_truncated_question";
    case DnsAnomaly::kTruncatedRecord:
      return "dns_truncated_record";
    case DnsAnomaly::kBadRdata:
      return "dns_bad_rdata";
    case DnsAnomaly::kTooManyRecords:
      return "dns_too_many_records";
    case DnsAnomaly::kTrailingBytes:
      return "dns_trailing_bytes";
    case DnsAnomaly::kBadOpt:
      return "dns_bad_opt";
    case DnsAnomaly::kCountMismatch:
      return "dns_count_mismatch";
    case DnsAnomaly::kCount:
      break;
  }
  return "dns_unknown";
}

}  // namespace mcpcap
