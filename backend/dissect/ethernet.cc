#include "backend/dissect/ethernet.h"

#include <cstring>

namespace mcpcap {

bool DecodeEthernet(Bytes frame, DecodedPacket* out, Bytes* next) {
  if (frame.size() < kEthernetHeaderLength) {
    out->anomalies.Add(Anomaly::kEthernetTruncated);
    return false;
  }
  const uint8_t* p = frame.data();
  std::memcpy(out->dst_mac.bytes, p, 6);
  std::memcpy(out->src_mac.bytes, p + 6, 6);
  out->has_dst_mac = true;
  out->has_src_mac = true;
  out->ethertype = LoadU16Be(p + 12);
  *next = frame.subspan(kEthernetHeaderLength);
  return true;
}

}  // namespace mcpcap
