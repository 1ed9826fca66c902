#include "backend/flow/flow_anomaly.h"

namespace mcpcap {

absl::string_view FlowAnomalyName(FlowAnomaly a) {
  switch (a) {
    case FlowAnomaly::kFragmentOverlap:
      return "fragment_overlap";
    case FlowAnomaly::kFragmentOverlapConflict:
      return "fragment_overlap_conflict";
    case FlowAnomaly::kFragmentTooLarge:
      return "fragment_too_large";
    case FlowAnomaly::kFragmentTooMany:
      return "fragment_too_many";
    case FlowAnomaly::kFragmentTruncated:
      return "fragment_truncated";
    case FlowAnomaly::kFragmentBadEnd:
      return "fragment_bad_end";
    case FlowAnomaly::kTcpOverlapConflict:
      return "tcp_overlap_conflict";
    case FlowAnomaly::kTcpBufferOverflow:
      return "tcp_buffer_overflow";
    case FlowAnomaly::kCount:
      break;
  }
  return "unknown";
}

}  // namespace mcpcap
