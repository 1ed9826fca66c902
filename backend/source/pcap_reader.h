// Classic libpcap format: a 24-byte file header, then 16-byte record headers and data.
#ifndef MCPCAP_BACKEND_SOURCE_PCAP_READER_H_
#define MCPCAP_BACKEND_SOURCE_PCAP_READER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "backend/source/capture_reader.h"

namespace mcpcap {

// True when the first four bytes are one of the pcap magics.
bool IsPcapMagic(Bytes head);

absl::StatusOr<std::unique_ptr<CaptureReader>> OpenPcap(std::unique_ptr<BufferedFile> file,
                                                        const std::string& display_name);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_SOURCE_PCAP_READER_H_
