#include "backend/dissect/ppp.h"

#include "backend/dissect/ethernet.h"

namespace mcpcap {
namespace {

constexpr uint16_t kPppIpv4 = 0x0021;
constexpr uint16_t kPppIpv6 = 0x0057;
constexpr uint16_t kPppMplsUnicast = 0x0281;
constexpr uint16_t kPppMplsMulticast = 0x0283;

uint16_t EthertypeForPppProtocol(uint16_t protocol) {
  switch (protocol) {
    case kPppIpv4:
      return kEthertypeIpv4;
    case kPppIpv6:
      return kEthertypeIpv6;
    case kPppMplsUnicast:
      return 0x8847;
    case kPppMplsMulticast:
      return 0x8848;
    default:
      return 0;
  }
}

bool IsCiscoHdlcAddress(uint8_t address) { return address == 0x0f || address == 0x8f; }

}  // namespace

bool DecodePpp(Bytes frame, DecodedPacket* out, Bytes* next) {
  ByteReader r(frame);
  if (frame.size() >= 2 && frame[0] == 0xff && frame[1] == 0x03) r.Skip(2);
  uint8_t first = 0;
  if (!r.ReadU8(&first)) {
    out->anomalies.Add(Anomaly::kPppTruncated);
    return false;
  }
  // Protocol field compression: a protocol below 0x100 may be sent as its odd low byte alone.
  uint16_t protocol = first;
  if ((first & 1) == 0) {
    uint8_t second = 0;
    if (!r.ReadU8(&second)) {
      out->anomalies.Add(Anomaly::kPppTruncated);
      return false;
    }
    protocol = static_cast<uint16_t>(first << 8 | second);
  }
  out->ethertype = EthertypeForPppProtocol(protocol);
  *next = r.rest();
  return true;
}

bool DecodeCiscoHdlc(Bytes frame, DecodedPacket* out, Bytes* next) {
  if (frame.size() < 4) {
    out->anomalies.Add(Anomaly::kPppTruncated);
    return false;
  }
  out->ethertype = LoadU16Be(frame.data() + 2);
  *next = frame.subspan(4);
  return true;
}

bool DecodePppHdlc(Bytes frame, DecodedPacket* out, Bytes* next) {
  if (!frame.empty() && IsCiscoHdlcAddress(frame[0])) return DecodeCiscoHdlc(frame, out, next);
  return DecodePpp(frame, out, next);
}

}  // namespace mcpcap
