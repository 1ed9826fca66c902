// The server ports registered for the protocols we detect, and how much a port alone says.
#ifndef MCPCAP_BACKEND_PAYLOAD_DETECT_DETECT_PORTS_H_
#define MCPCAP_BACKEND_PAYLOAD_DETECT_DETECT_PORTS_H_

#include <cstdint>

#include "backend/payload/common/protocol.h"

namespace mcpcap::payload::detect {

// Confidence of a detection by port alone: 0.5, or 0.3 for ports that many services reuse
// (8080, 8000, 8443, ...).
double PortOnlyConfidence(uint8_t ip_protocol, uint16_t port);

}  // namespace mcpcap::payload::detect

#endif  // MCPCAP_BACKEND_PAYLOAD_DETECT_DETECT_PORTS_H_
