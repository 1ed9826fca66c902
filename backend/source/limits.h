// Bounds on what a capture file may claim, so hostile headers cannot make us allocate or loop.
#ifndef MCPCAP_BACKEND_SOURCE_LIMITS_H_
#define MCPCAP_BACKEND_SOURCE_LIMITS_H_

#include <cstddef>
#include <cstdint>

namespace mcpcap {

// Largest record we accept (Wireshark's limit for most link types is 256 KiB; a few, such as
// D-Bus, go to 128 MiB). Larger claims mean a corrupt file.
inline constexpr uint32_t kMaxRecordBytes = 128u * 1024 * 1024;
// Largest pcapng block.
inline constexpr uint32_t kMaxBlockBytes = kMaxRecordBytes + 4096;
// Interfaces per file: more means a hostile or corrupt file.
inline constexpr size_t kMaxInterfaces = 65536;
// Length of a pcapng string option we keep (longer values are cut).
inline constexpr size_t kMaxOptionString = 4096;

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_SOURCE_LIMITS_H_
