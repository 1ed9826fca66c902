// The benchmark's cases: each reads the whole capture once and reports how many records it saw.
// Timing, repetition and the table live in bench_main.cc.
#ifndef MCPCAP_TESTS_BENCH_CASES_H_
#define MCPCAP_TESTS_BENCH_CASES_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace mcpcap::bench {

struct CaseResult {
  uint64_t packets = 0;
  uint64_t checksum = 0;  // folded from what was read, so the work cannot be optimised away
  std::string error;      // non-empty: the case failed
};

// (a) libpcap: pcap_open_offline + pcap_next_ex.
CaseResult RunLibpcap(const std::string& path);
// (b) our own framing walk: big read()s, hop classic pcap record headers (no pcapng).
CaseResult RunRawWalk(const std::string& path);
// (b') the same walk over mmap (what CaptureReader does), for reference.
CaseResult RunRawWalkMmap(const std::string& path);
// (c) mcpcap::CaptureReader.
CaseResult RunReader(const std::string& path);
// (d) CaptureReader + DecodePacket on every record.
CaseResult RunReaderDecoder(const std::string& path);
// (e) the analyze_capinfos analysis; `hashes` as in AnalyzeCapinfosRequest ("none", "sha256").
CaseResult RunCapinfos(const std::string& path, const std::string& hashes);
// Every packet analysis (DNS, DHCP, ICMP, SIP, the TCP tools), named.
std::vector<std::pair<std::string, CaseResult (*)(const std::string&)>> AnalysisCases();

}  // namespace mcpcap::bench

#endif  // MCPCAP_TESTS_BENCH_CASES_H_
