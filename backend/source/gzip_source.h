// gzip-compressed captures (.pcap.gz, .pcapng.gz), recognised by content and inflated as they
// are read, with a cap on the decompressed size so a small hostile file cannot expand forever.
#ifndef MCPCAP_BACKEND_SOURCE_GZIP_SOURCE_H_
#define MCPCAP_BACKEND_SOURCE_GZIP_SOURCE_H_

#include <cstdint>
#include <memory>

#include "backend/base/byte_reader.h"
#include "backend/source/byte_source.h"

namespace mcpcap {

inline constexpr uint64_t kDefaultMaxDecompressedBytes = uint64_t{4} << 30;

// True when `head` starts with the gzip magic (1f 8b 08).
bool IsGzipMagic(Bytes head);

// Inflates `compressed` (one or more concatenated gzip members). Read() fails with a message
// when the data is corrupt, cut short, or would exceed `max_bytes` once decompressed.
std::unique_ptr<ByteSource> MakeGzipSource(std::unique_ptr<ByteSource> compressed,
                                           uint64_t max_bytes);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_SOURCE_GZIP_SOURCE_H_
