// One record of a capture file, as the readers hand it out: a view into the file's bytes.
#ifndef MCPCAP_BACKEND_SOURCE_PACKET_RECORD_H_
#define MCPCAP_BACKEND_SOURCE_PACKET_RECORD_H_

#include <cstdint>

#include "backend/base/byte_reader.h"

namespace mcpcap {

struct PacketRecord {
  uint64_t frame_number = 0;  // 1-based position in the file, as Wireshark numbers frames
  int64_t ts_sec = 0;         // UTC seconds since the epoch
  uint32_t ts_nsec = 0;       // nanoseconds within ts_sec
  uint32_t caplen = 0;        // bytes present in `data`
  uint32_t origlen = 0;       // bytes on the wire
  uint32_t interface_id = 0;  // pcapng interface index (0 for classic pcap)
  uint16_t link_type = 0;     // LINKTYPE_* value of the record's interface
  bool has_time = true;       // false for pcapng simple packet blocks, which carry no time
  Bytes data;                 // caplen bytes, valid until the next call to Next()
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_SOURCE_PACKET_RECORD_H_
