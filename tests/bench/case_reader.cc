#include <string>

#include "backend/source/capture_reader.h"
#include "tests/bench/cases.h"

namespace mcpcap::bench {

CaseResult RunReader(const std::string& path) {
  CaseResult r;
  auto reader = CaptureReader::Open(path, path);
  if (!reader.ok()) {
    r.error = std::string(reader.status().message());
    return r;
  }
  PacketRecord rec;
  while ((*reader)->Next(&rec)) {
    ++r.packets;
    r.checksum += rec.caplen + (rec.data.empty() ? 0 : rec.data[0]);
  }
  return r;
}

}  // namespace mcpcap::bench
