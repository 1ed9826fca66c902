// What a capture file says about itself: format, sections, interfaces, and reading problems.
#ifndef MCPCAP_BACKEND_SOURCE_CAPTURE_INFO_H_
#define MCPCAP_BACKEND_SOURCE_CAPTURE_INFO_H_

#include <cstdint>
#include <string>
#include <vector>

#include "mcpcap/v1/capture.pb.h"

namespace mcpcap {

enum class CaptureFormat { kPcap, kPcapNsec, kPcapng };

struct InterfaceInfo {
  uint16_t link_type = 0;
  uint32_t snaplen = 0;  // 0 = not set
  // Timestamp units: ticks per second (1e6 for microseconds, 1e9 for nanoseconds, ...).
  uint64_t ticks_per_second = 1000000;
  uint8_t tsresol_code = 6;  // pcapng if_tsresol byte (6 = 10^-6), as capinfos shows it
  std::string name;
  std::string description;
  std::string filter;
  std::string os;
  uint64_t packet_count = 0;
  uint64_t statistics_blocks = 0;  // pcapng ISBs (capinfos' "Number of stat entries")
};

struct SectionInfo {
  std::string hardware;
  std::string os;
  std::string application;
  std::vector<std::string> comments;
};

struct CaptureInfo {
  CaptureFormat format = CaptureFormat::kPcap;
  uint64_t file_size = 0;
  bool big_endian = false;                // byte order of the (first) section
  std::vector<InterfaceInfo> interfaces;  // across all sections, in file order
  std::vector<SectionInfo> sections;
  std::vector<std::string> warnings;
  bool cut_short = false;  // the file ends in the middle of a record
};

v1::CaptureFormat ToProtoFormat(CaptureFormat format);  // the contract's enum

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_SOURCE_CAPTURE_INFO_H_
