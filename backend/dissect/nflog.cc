#include "backend/dissect/nflog.h"

#include <algorithm>

#include "backend/dissect/ethernet.h"

namespace mcpcap {
namespace {

constexpr size_t kHeaderLength = 4;
constexpr size_t kTlvHeaderLength = 4;
constexpr uint16_t kTypePayload = 9;    // NFULA_PAYLOAD
constexpr uint16_t kTypeMask = 0x7fff;  // without NLA_F_NESTED
constexpr uint16_t kTypeLimit = 0x100;  // attribute types are small: a larger one is swapped
constexpr uint8_t kLinuxAfInet = 2;
constexpr uint8_t kLinuxAfInet6 = 10;

uint16_t Load16(const uint8_t* p, bool big_endian) {
  return big_endian ? LoadU16Be(p) : LoadU16Le(p);
}

// Lengths and types are in the capturing host's byte order. Like Wireshark, take the order in
// which the first attribute with a non-zero type has a plausible (small) type; big-endian first.
bool LooksLikeOrder(Bytes tlvs, bool big_endian) {
  size_t offset = 0;
  while (tlvs.size() - offset > kTlvHeaderLength) {
    const uint16_t length = Load16(tlvs.data() + offset, big_endian);
    const uint16_t type = Load16(tlvs.data() + offset + 2, big_endian) & kTypeMask;
    if (length < kTlvHeaderLength || type >= kTypeLimit) return false;
    if (type != 0) return true;
    offset += (size_t{length} + 3) & ~size_t{3};
    if (offset >= tlvs.size()) return false;
  }
  return false;
}

uint16_t EthertypeForFamily(uint8_t family) {
  switch (family) {
    case kLinuxAfInet:
      return kEthertypeIpv4;
    case kLinuxAfInet6:
      return kEthertypeIpv6;
    default:
      return 0;
  }
}

}  // namespace

bool DecodeNflog(Bytes frame, DecodedPacket* out, Bytes* next) {
  if (frame.size() < kHeaderLength) {
    out->anomalies.Add(Anomaly::kNflogTruncated);
    return false;
  }
  const Bytes tlvs = frame.subspan(kHeaderLength);
  const bool big_endian = LooksLikeOrder(tlvs, true) || !LooksLikeOrder(tlvs, false);
  size_t offset = 0;
  while (tlvs.size() - offset >= kTlvHeaderLength) {
    const uint16_t length = Load16(tlvs.data() + offset, big_endian);
    const uint16_t type = Load16(tlvs.data() + offset + 2, big_endian) & kTypeMask;
    if (length < kTlvHeaderLength) break;  // malformed: the walk cannot go on
    if (type == kTypePayload) {
      // A payload cut by the snapshot length still gives its captured part.
      const size_t captured = tlvs.size() - offset - kTlvHeaderLength;
      out->ethertype = EthertypeForFamily(frame[0]);
      *next = tlvs.subspan(offset + kTlvHeaderLength,
                           std::min<size_t>(length - kTlvHeaderLength, captured));
      return true;
    }
    offset += (size_t{length} + 3) & ~size_t{3};  // attributes are aligned to 4 bytes
    if (offset > tlvs.size()) break;
  }
  out->anomalies.Add(Anomaly::kNflogNoPayload);
  return false;
}

}  // namespace mcpcap
