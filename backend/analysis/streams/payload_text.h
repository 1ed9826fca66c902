// Payload bytes as follow_stream writes them (text, hex or base64), and what each costs in the
// JSON answer, so that a page can stop at a character budget as well as at max_bytes.
#ifndef MCPCAP_BACKEND_ANALYSIS_STREAMS_PAYLOAD_TEXT_H_
#define MCPCAP_BACKEND_ANALYSIS_STREAMS_PAYLOAD_TEXT_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "backend/base/byte_reader.h"
#include "mcpcap/v1/streams.pb.h"

namespace mcpcap {

// The bytes in `encoding` (TEXT: printable ASCII, CR, LF and tab as they are, '\' as "\\", any
// other byte as "\xNN"; always valid UTF-8).
std::string EncodePayload(Bytes data, v1::PayloadEncoding encoding);

// JSON characters the byte at position `index` of a chunk adds to the chunk's data string.
size_t JsonCharsOfByte(uint8_t byte, size_t index, v1::PayloadEncoding encoding);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_STREAMS_PAYLOAD_TEXT_H_
