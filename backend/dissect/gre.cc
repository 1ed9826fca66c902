#include "backend/dissect/gre.h"

#include <algorithm>

#include "backend/dissect/ethernet.h"
#include "backend/dissect/link_layer.h"

namespace mcpcap {
namespace {

constexpr uint8_t kProtoGre = 47;

constexpr uint16_t kChecksumPresent = 0x8000;
constexpr uint16_t kRoutingPresent = 0x4000;
constexpr uint16_t kKeyPresent = 0x2000;
constexpr uint16_t kSequencePresent = 0x1000;
constexpr uint16_t kAckPresent = 0x0080;  // enhanced GRE only
constexpr uint16_t kVersionMask = 0x0007;

constexpr uint16_t kGreTransparentBridging = 0x6558;
constexpr uint16_t kGrePpp = 0x880b;
constexpr uint16_t kGreErspan2 = 0x88be;  // type I without a sequence number, else type II
constexpr uint16_t kGreErspan3 = 0x22eb;
constexpr uint16_t kGreWccp = 0x883e;
constexpr size_t kWccpRedirectHeader = 4;

constexpr size_t kErspan2Header = 8;
constexpr size_t kErspan3Header = 12;
constexpr size_t kErspan3PlatformSubheader = 8;

// ERSPAN II/III: the version nibble must match; type III may carry a platform sub-header and
// only its Ethernet frame type (0) is followed.
bool Erspan(uint16_t protocol, bool has_sequence, Bytes data, TunnelPayload* inner) {
  if (protocol == kGreErspan2 && !has_sequence) {  // type I: the frame directly
    *inner = {kLinkTypeEthernet, data};
    return true;
  }
  if (data.empty()) return false;
  const uint8_t version = data[0] >> 4;
  size_t header = 0;
  if (protocol == kGreErspan2) {
    if (version != 1 || data.size() < kErspan2Header) return false;
    header = kErspan2Header;
  } else {
    if (version != 2 || data.size() < kErspan3Header) return false;
    const uint8_t frame_type = (data[10] >> 2) & 0x1f;
    if (frame_type != 0) return false;
    header = kErspan3Header + ((data[11] & 0x01) != 0 ? kErspan3PlatformSubheader : 0);
  }
  if (data.size() <= header) return false;
  *inner = {kLinkTypeEthernet, data.subspan(header)};
  return true;
}

}  // namespace

bool FindGreTunnelPayload(const DecodedPacket& outer, TunnelPayload* inner) {
  if (outer.l4_kind != L4Kind::kOther || outer.ip.protocol != kProtoGre) return false;
  return FindGrePayload(outer.payload, inner);
}

bool FindGrePayload(Bytes gre, TunnelPayload* inner) {
  ByteReader r(gre);
  uint16_t flags = 0, protocol = 0;
  if (!r.ReadU16Be(&flags) || !r.ReadU16Be(&protocol)) return false;
  // Source routing (deprecated by RFC 2784) is not followed.
  if ((flags & kRoutingPresent) != 0) return false;
  const bool has_sequence = (flags & kSequencePresent) != 0;
  switch (flags & kVersionMask) {
    case 0:  // checksum and reserved word, key, sequence number: each 4 bytes when present
      if ((flags & kChecksumPresent) != 0 && !r.Skip(4)) return false;
      if ((flags & kKeyPresent) != 0 && !r.Skip(4)) return false;
      if (has_sequence && !r.Skip(4)) return false;
      break;
    case 1: {  // enhanced GRE: key (payload length, call id), sequence and ack numbers
      uint16_t payload_length = 0;
      if (protocol != kGrePpp || (flags & kKeyPresent) == 0) return false;
      if (!r.ReadU16Be(&payload_length) || !r.Skip(2)) return false;
      if (has_sequence && !r.Skip(4)) return false;
      if ((flags & kAckPresent) != 0 && !r.Skip(4)) return false;
      if (payload_length == 0 || r.remaining() == 0) return false;  // an acknowledgement only
      Bytes ppp;
      if (!r.ReadBytes(std::min<size_t>(payload_length, r.remaining()), &ppp)) return false;
      *inner = {kLinkTypePpp, ppp};
      return true;
    }
    default:
      return false;
  }
  const Bytes data = r.rest();
  if (data.empty()) return false;  // keepalives
  switch (protocol) {
    case kEthertypeIpv4:
      *inner = {kLinkTypeIpv4, data};
      return true;
    case kEthertypeIpv6:
      *inner = {kLinkTypeIpv6, data};
      return true;
    case kGreTransparentBridging:
      *inner = {kLinkTypeEthernet, data};
      return true;
    case kGrePpp:
      *inner = {kLinkTypePpp, data};
      return true;
    case kGreErspan2:
    case kGreErspan3:
      return Erspan(protocol, has_sequence, data, inner);
    case kGreWccp:  // IPv4, after a 4-byte redirect header unless the packet starts at once
      if ((data[0] >> 4) == 4) {
        *inner = {kLinkTypeIpv4, data};
        return true;
      }
      if (data.size() <= kWccpRedirectHeader) return false;
      *inner = {kLinkTypeIpv4, data.subspan(kWccpRedirectHeader)};
      return true;
    default:
      return false;
  }
}

}  // namespace mcpcap
