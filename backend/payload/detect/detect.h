// Protocol detection for one flow, from the first bytes of each side and the ports. Content
// beats ports: a content signature decides, a port only breaks ties or speaks when the content
// says nothing (Redis on 6380, PostgreSQL on 15432 and HTTP on 8081 are recognised by content).
#ifndef MCPCAP_BACKEND_PAYLOAD_DETECT_DETECT_H_
#define MCPCAP_BACKEND_PAYLOAD_DETECT_DETECT_H_

#include <cstddef>
#include <cstdint>
#include <optional>

#include "absl/strings/string_view.h"
#include "backend/base/byte_reader.h"
#include "backend/payload/common/protocol.h"

namespace mcpcap::payload {

// Bytes of each side that detection looks at, at most.
inline constexpr size_t kDetectBytes = 2048;

struct DetectInput {
  uint8_t ip_protocol = 6;  // 6 TCP, 17 UDP
  uint16_t client_port = 0;
  uint16_t server_port = 0;
  // TCP: the first bytes of each side in stream order (at most kDetectBytes each).
  // UDP: the first datagram's payload of each side.
  Bytes client_bytes;
  Bytes server_bytes;
  // No more bytes will come (the flow ended or the detection budget is spent): decide now.
  bool final = false;
};

struct Detection {
  Protocol protocol = Protocol::kUnknown;
  // "signature", "port", "port+signature"; empty for kUnknown.
  absl::string_view detected_by;
  double confidence = 0;  // 0..1: signature on both sides > one side > port only
  // False while the content is inconclusive and more bytes could decide it; the caller calls
  // again with more bytes (or with final = true).
  bool decided = false;
};

Detection DetectProtocol(const DetectInput& input);

// The protocol registered for a server port, for deciding which end is the server when the
// handshake was not captured.
std::optional<Protocol> ProtocolForPort(uint8_t ip_protocol, uint16_t port);

}  // namespace mcpcap::payload

#endif  // MCPCAP_BACKEND_PAYLOAD_DETECT_DETECT_H_
