#include "backend/dissect/vlan.h"

namespace mcpcap {

bool DecodeVlanTags(Bytes* data, DecodedPacket* out) {
  while (IsVlanTpid(out->ethertype)) {
    if (out->vlan_count == kMaxVlanTags) {
      out->anomalies.Add(Anomaly::kVlanTooManyTags);
      return false;
    }
    if (data->size() < 4) {
      out->anomalies.Add(Anomaly::kVlanTruncated);
      return false;
    }
    VlanTag& tag = out->vlans[out->vlan_count++];
    tag.tpid = out->ethertype;
    tag.tci = LoadU16Be(data->data());
    out->ethertype = LoadU16Be(data->data() + 2);
    *data = data->subspan(4);
  }
  return true;
}

}  // namespace mcpcap
