// TCP header and options.
#ifndef MCPCAP_BACKEND_DISSECT_TCP_H_
#define MCPCAP_BACKEND_DISSECT_TCP_H_

#include <cstddef>

#include "backend/base/byte_reader.h"
#include "backend/dissect/packet.h"

namespace mcpcap {

// `data` is the captured IP payload, `wire_length` its length as IP claims. Fills ports,
// out->tcp and out->payload and sets l4_kind when the header is sound. A bad option is recorded
// and ends option parsing but keeps the header and payload.
void DecodeTcp(Bytes data, size_t wire_length, DecodedPacket* out);

// Parses the option bytes of a TCP header into *options; false (with an anomaly) on a bad one.
bool DecodeTcpOptions(Bytes options_bytes, TcpOptions* options, AnomalySet* anomalies);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_DISSECT_TCP_H_
