#include "backend/dissect/mpls.h"

#include "backend/dissect/ethernet.h"

namespace mcpcap {

bool DecodeMplsStack(Bytes* data, DecodedPacket* out) {
  constexpr size_t kLabelLength = 4;
  for (int labels = 0;; ++labels) {
    if (labels == kMaxMplsLabels) {
      out->anomalies.Add(Anomaly::kMplsTooManyLabels);
      return false;
    }
    if (data->size() < kLabelLength) {
      out->anomalies.Add(Anomaly::kMplsTruncated);
      return false;
    }
    const bool bottom_of_stack = ((*data)[2] & 0x01) != 0;
    *data = data->subspan(kLabelLength);
    if (bottom_of_stack) break;
  }
  // MPLS does not say what it carries: IP is recognised by its version, as Wireshark does.
  const uint8_t version = data->empty() ? 0 : (*data)[0] >> 4;
  out->ethertype = version == 4 ? kEthertypeIpv4 : version == 6 ? kEthertypeIpv6 : 0;
  return true;
}

}  // namespace mcpcap
