// 802.1Q / 802.1ad (QinQ) tags between a link header and the network protocol.
#ifndef MCPCAP_BACKEND_DISSECT_VLAN_H_
#define MCPCAP_BACKEND_DISSECT_VLAN_H_

#include "backend/base/byte_reader.h"
#include "backend/dissect/packet.h"

namespace mcpcap {

inline bool IsVlanTpid(uint16_t ethertype) {
  // 802.1Q, 802.1ad, and the QinQ TPIDs of pre-802.1ad switches.
  return ethertype == 0x8100 || ethertype == 0x88a8 || ethertype == 0x9100 || ethertype == 0x9200;
}

// While out->ethertype is a VLAN TPID, records the tag, advances *data and replaces ethertype
// with the encapsulated one. False (with an anomaly) on a cut-short tag or more than
// kMaxVlanTags tags.
bool DecodeVlanTags(Bytes* data, DecodedPacket* out);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_DISSECT_VLAN_H_
