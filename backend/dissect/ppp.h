// PPP (LINKTYPE_PPP, LINKTYPE_PPP_HDLC, and PPTP's payload inside GRE) and Cisco HDLC
// (LINKTYPE_C_HDLC): only the framing, to reach IPv4 and IPv6.
#ifndef MCPCAP_BACKEND_DISSECT_PPP_H_
#define MCPCAP_BACKEND_DISSECT_PPP_H_

#include "backend/base/byte_reader.h"
#include "backend/dissect/packet.h"

namespace mcpcap {

// A PPP frame with or without the 0xff 0x03 address/control bytes and with a one- or two-byte
// protocol field. Sets ethertype (0x0800, 0x86dd, the MPLS types, or 0 for other protocols)
// and *next. False (with
// an anomaly) when the header is cut short.
bool DecodePpp(Bytes frame, DecodedPacket* out, Bytes* next);

// LINKTYPE_PPP_HDLC: PPP in HDLC-like framing, or Cisco HDLC (address 0x0f or 0x8f).
bool DecodePppHdlc(Bytes frame, DecodedPacket* out, Bytes* next);

// Cisco HDLC: address, control, then an Ethernet type.
bool DecodeCiscoHdlc(Bytes frame, DecodedPacket* out, Bytes* next);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_DISSECT_PPP_H_
