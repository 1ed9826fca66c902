#include <pcap/pcap.h>

#include "tests/bench/cases.h"

namespace mcpcap::bench {

CaseResult RunLibpcap(const std::string& path) {
  CaseResult r;
  char err[PCAP_ERRBUF_SIZE] = {};
  pcap_t* p = pcap_open_offline(path.c_str(), err);
  if (p == nullptr) {
    r.error = err;
    return r;
  }
  pcap_pkthdr* hdr = nullptr;
  const u_char* data = nullptr;
  int rc;
  while ((rc = pcap_next_ex(p, &hdr, &data)) == 1) {
    ++r.packets;
    r.checksum += hdr->caplen + (hdr->caplen ? data[0] : 0);
  }
  if (rc == PCAP_ERROR) r.error = pcap_geterr(p);
  pcap_close(p);
  return r;
}

}  // namespace mcpcap::bench
