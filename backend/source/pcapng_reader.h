// pcapng: blocks of sections, interfaces and packets; each section has its own byte order and
// each interface its own link type and time resolution.
#ifndef MCPCAP_BACKEND_SOURCE_PCAPNG_READER_H_
#define MCPCAP_BACKEND_SOURCE_PCAPNG_READER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "backend/source/capture_reader.h"

namespace mcpcap {

// True when the file starts with a pcapng Section Header Block.
bool IsPcapngMagic(Bytes head);

absl::StatusOr<std::unique_ptr<CaptureReader>> OpenPcapng(std::unique_ptr<BufferedFile> file,
                                                          const std::string& display_name);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_SOURCE_PCAPNG_READER_H_
