#include <string>

#include "backend/analysis/capinfos/capinfos.h"
#include "tests/bench/cases.h"

namespace mcpcap::bench {

CaseResult RunCapinfos(const std::string& path, const std::string& hashes) {
  CaseResult r;
  AnalysisInput input;
  input.source = path;
  input.local_path = path;
  v1::AnalyzeCapinfosRequest request;
  request.set_pcap_file(path);
  request.set_hashes(hashes == "none"  ? v1::CAPINFOS_HASHES_NONE
                     : hashes == "all" ? v1::CAPINFOS_HASHES_ALL
                                       : v1::CAPINFOS_HASHES_SHA256);
  auto response = AnalyzeCapinfos(input, request);
  if (!response.ok()) {
    r.error = std::string(response.status().message());
    return r;
  }
  r.packets = response->packet_count();
  r.checksum = response->data_size_bytes();
  return r;
}

}  // namespace mcpcap::bench
