#include <string>

#include "backend/dissect/decoder.h"
#include "backend/source/capture_reader.h"
#include "tests/bench/cases.h"

namespace mcpcap::bench {

CaseResult RunReaderDecoder(const std::string& path) {
  CaseResult r;
  auto reader = CaptureReader::Open(path, path);
  if (!reader.ok()) {
    r.error = std::string(reader.status().message());
    return r;
  }
  PacketRecord rec;
  DecodedPacket pkt;
  while ((*reader)->Next(&rec)) {
    DecodePacket(rec.link_type, rec.data, rec.origlen, &pkt);
    ++r.packets;
    r.checksum += static_cast<uint64_t>(pkt.l4_kind) + pkt.src_port + pkt.payload.size();
  }
  return r;
}

}  // namespace mcpcap::bench
