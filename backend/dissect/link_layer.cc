#include "backend/dissect/link_layer.h"

#include "backend/dissect/ethernet.h"
#include "backend/dissect/mpls.h"
#include "backend/dissect/nflog.h"
#include "backend/dissect/ppp.h"
#include "backend/dissect/sll.h"
#include "backend/dissect/vlan.h"

namespace mcpcap {
namespace {

// BSD loopback: a 4-byte address family. AF_INET6 differs per OS (NetBSD/OpenBSD 24,
// FreeBSD 28, Darwin 30); AF_INET is 2 everywhere.
uint16_t EthertypeForFamily(uint32_t family) {
  switch (family) {
    case 2:
      return kEthertypeIpv4;
    case 24:
    case 28:
    case 30:
      return kEthertypeIpv6;
    default:
      return 0;
  }
}

// LINKTYPE_NULL stores the family in the capturing host's byte order, so a value with high bits
// set was written big-endian. LINKTYPE_LOOP is always big-endian.
bool DecodeNull(Bytes frame, bool big_endian, DecodedPacket* out, Bytes* next) {
  ByteReader r(frame);
  uint32_t family = 0;
  if (!(big_endian ? r.ReadU32Be(&family) : r.ReadU32Le(&family))) {
    out->anomalies.Add(Anomaly::kNullTruncated);
    return false;
  }
  if (!big_endian && (family & 0xffff0000u) != 0) family = __builtin_bswap32(family);
  out->ethertype = EthertypeForFamily(family);
  *next = r.rest();
  return true;
}

// Raw IP with the version taken from the first nibble.
bool DecodeRawIp(Bytes frame, DecodedPacket* out, Bytes* next) {
  if (frame.empty()) {
    out->anomalies.Add(Anomaly::kRawIpTruncated);
    return false;
  }
  switch (frame[0] >> 4) {
    case 4:
      out->ethertype = kEthertypeIpv4;
      break;
    case 6:
      out->ethertype = kEthertypeIpv6;
      break;
    default:
      out->anomalies.Add(Anomaly::kRawIpBadVersion);
      return false;
  }
  *next = frame;
  return true;
}

constexpr uint16_t kEthertypePppoeSession = 0x8864;
constexpr size_t kPppoeHeaderLength = 6;

// FDDI: frame control and two MACs, then 802.2 LLC; only SNAP (0xaa 0xaa 0x03, an OUI and an
// Ethernet type) names a network protocol.
bool DecodeFddi(Bytes frame, DecodedPacket* out, Bytes* next) {
  constexpr size_t kMacHeader = 13, kSnapHeader = 8;
  if (frame.size() < kMacHeader + 3) {
    out->anomalies.Add(Anomaly::kFddiTruncated);
    return false;
  }
  const uint8_t* llc = frame.data() + kMacHeader;
  if (llc[0] != 0xaa || llc[1] != 0xaa || llc[2] != 0x03) {
    out->ethertype = 0;
    *next = frame.subspan(kMacHeader);
    return true;
  }
  if (frame.size() < kMacHeader + kSnapHeader) {
    out->anomalies.Add(Anomaly::kFddiTruncated);
    return false;
  }
  out->ethertype = LoadU16Be(llc + 6);
  *next = frame.subspan(kMacHeader + kSnapHeader);
  return true;
}

// LINKTYPE_IPOIB: 20-byte destination and source hardware addresses, an Ethernet type and two
// reserved bytes.
bool DecodeIpoib(Bytes frame, DecodedPacket* out, Bytes* next) {
  constexpr size_t kHeader = 44;
  if (frame.size() < kHeader) {
    out->anomalies.Add(Anomaly::kIpoibTruncated);
    return false;
  }
  out->ethertype = LoadU16Be(frame.data() + 40);
  *next = frame.subspan(kHeader);
  return true;
}

// An MPLS label stack when the protocol announces one.
bool DecodeMplsIfAny(Bytes* next, DecodedPacket* out) {
  return !IsMplsEthertype(out->ethertype) || DecodeMplsStack(next, out);
}

// VLAN tags, then an MPLS label stack or a PPPoE session header and its PPP frame.
bool DecodeAfterLinkHeader(Bytes* next, DecodedPacket* out) {
  if (!DecodeVlanTags(next, out)) return false;
  if (IsMplsEthertype(out->ethertype)) return DecodeMplsStack(next, out);
  if (out->ethertype != kEthertypePppoeSession) return true;
  if (next->size() < kPppoeHeaderLength) {
    out->anomalies.Add(Anomaly::kPppTruncated);
    return false;
  }
  return DecodePpp(next->subspan(kPppoeHeaderLength), out, next) && DecodeMplsIfAny(next, out);
}

}  // namespace

bool DecodeLinkLayer(uint16_t link_type, Bytes frame, DecodedPacket* out, Bytes* next) {
  switch (link_type) {
    case kLinkTypeEthernet:
      out->link_kind = LinkKind::kEthernet;
      return DecodeEthernet(frame, out, next) && DecodeAfterLinkHeader(next, out);
    case kLinkTypeLinuxSll:
      out->link_kind = LinkKind::kLinuxSll;
      return DecodeSll(frame, out, next) && DecodeAfterLinkHeader(next, out);
    case kLinkTypeLinuxSll2:
      out->link_kind = LinkKind::kLinuxSll2;
      return DecodeSll2(frame, out, next) && DecodeAfterLinkHeader(next, out);
    case kLinkTypeNull:
      out->link_kind = LinkKind::kNull;
      return DecodeNull(frame, /*big_endian=*/false, out, next);
    case kLinkTypeLoop:
      out->link_kind = LinkKind::kNull;
      return DecodeNull(frame, /*big_endian=*/true, out, next);
    case kLinkTypeRaw:
    case kLinkTypeRawAlt12:
    case kLinkTypeRawAlt14:
      out->link_kind = LinkKind::kRawIp;
      return DecodeRawIp(frame, out, next);
    case kLinkTypeIpv4:
      out->link_kind = LinkKind::kRawIp;
      out->ethertype = kEthertypeIpv4;
      *next = frame;
      return true;
    case kLinkTypeIpv6:
      out->link_kind = LinkKind::kRawIp;
      out->ethertype = kEthertypeIpv6;
      *next = frame;
      return true;
    case kLinkTypeNflog:
      out->link_kind = LinkKind::kNflog;
      return DecodeNflog(frame, out, next);
    case kLinkTypePpp:
      out->link_kind = LinkKind::kPpp;
      return DecodePpp(frame, out, next) && DecodeMplsIfAny(next, out);
    case kLinkTypePppHdlc:
      out->link_kind = LinkKind::kPpp;
      return DecodePppHdlc(frame, out, next) && DecodeMplsIfAny(next, out);
    case kLinkTypeCiscoHdlc:
      out->link_kind = LinkKind::kPpp;
      return DecodeCiscoHdlc(frame, out, next) && DecodeMplsIfAny(next, out);
    case kLinkTypeFddi:
      out->link_kind = LinkKind::kFddi;
      return DecodeFddi(frame, out, next);
    case kLinkTypeIpoib:
      out->link_kind = LinkKind::kIpoib;
      return DecodeIpoib(frame, out, next);
    default:
      out->link_kind = LinkKind::kUnknown;
      out->anomalies.Add(Anomaly::kLinkTypeUnsupported);
      return false;
  }
}

}  // namespace mcpcap
