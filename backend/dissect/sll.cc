#include "backend/dissect/sll.h"

#include <cstring>

namespace mcpcap {
namespace {

// ARPHRD_* types whose 6-byte link address is an Ethernet MAC.
bool HasMacAddress(uint16_t arphrd, uint16_t address_length) {
  return address_length == 6 && (arphrd == 1 /* ETHER */ || arphrd == 772 /* LOOPBACK */);
}

void SetSourceMac(uint16_t arphrd, uint16_t address_length, const uint8_t* address,
                  DecodedPacket* out) {
  if (!HasMacAddress(arphrd, address_length)) return;
  std::memcpy(out->src_mac.bytes, address, 6);
  out->has_src_mac = true;
}

}  // namespace

bool DecodeSll(Bytes frame, DecodedPacket* out, Bytes* next) {
  if (frame.size() < kSllHeaderLength) {
    out->anomalies.Add(Anomaly::kSllTruncated);
    return false;
  }
  // packet type(2) ARPHRD(2) address length(2) address(8) protocol(2)
  const uint8_t* p = frame.data();
  out->sll_packet_type = LoadU16Be(p);
  SetSourceMac(LoadU16Be(p + 2), LoadU16Be(p + 4), p + 6, out);
  out->ethertype = LoadU16Be(p + 14);
  *next = frame.subspan(kSllHeaderLength);
  return true;
}

bool DecodeSll2(Bytes frame, DecodedPacket* out, Bytes* next) {
  if (frame.size() < kSll2HeaderLength) {
    out->anomalies.Add(Anomaly::kSll2Truncated);
    return false;
  }
  // protocol(2) reserved(2) interface index(4) ARPHRD(2) packet type(1) address length(1)
  // address(8)
  const uint8_t* p = frame.data();
  out->ethertype = LoadU16Be(p);
  out->sll_packet_type = p[10];
  SetSourceMac(LoadU16Be(p + 8), p[11], p + 12, out);
  *next = frame.subspan(kSll2HeaderLength);
  return true;
}

}  // namespace mcpcap
