// Failed connection attempts, weighed as a whole: one source whose unused attempts cover many
// ports or hosts is a scanner; many clients failing against one service point at the service
// (an outage or a filter); a single client's failures allow only a modest claim. Collected per
// connection as the tracker retires it, judged once at the end.
#ifndef MCPCAP_BACKEND_ANALYSIS_TCP_TCP_ATTEMPTS_H_
#define MCPCAP_BACKEND_ANALYSIS_TCP_TCP_ATTEMPTS_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "backend/analysis/tcp/tcp_diagnoses.h"
#include "backend/tcp/connection.h"

namespace mcpcap {

// Zeek's scan.zeek thresholds: unused attempts to this many distinct ports (port scan) or hosts
// (address scan) from one source.
inline constexpr size_t kScanPorts = 15;
inline constexpr size_t kScanHosts = 25;

// What came back for one connection attempt.
enum class TcpAttemptOutcome : uint8_t {
  kOpen,        // SYN-ACK (the port is open), never used for data
  kRefused,     // RST answering the SYN
  kUnanswered,  // nothing from the server
};

// One scanning source, judged.
struct TcpScanFacts {
  IpAddress source;
  uint64_t attempts = 0, open = 0, refused = 0, unanswered = 0;
  uint64_t distinct_ports = 0, distinct_hosts = 0;
  uint16_t lowest_port = 0, highest_port = 0;
  uint64_t half_open = 0;        // open ports whose SYN-ACK the source never acknowledged
  uint64_t syn_ack_repeats = 0;  // SYN-ACKs the targets re-sent to it (never ACKed)
  std::vector<std::pair<IpAddress, uint64_t>> targets;  // most probed first (at most ten)
  std::vector<TcpEndpoint> open_ports;                  // at most ten, in attempt order
  TcpExamples examples;                                 // its first probes
  TcpExample first, last;
  bool host_sweep = false;  // many hosts, few ports
};

// One service (address and port) that clients other than scanners failed to reach.
struct TcpServiceFacts {
  TcpEndpoint service;
  uint64_t clients = 0;  // distinct client addresses with an unanswered attempt
  uint64_t unanswered = 0, refused = 0, retried = 0;
  std::vector<IpAddress> client_list;  // at most ten, by address
  TcpExamples examples;
  bool host_answered_elsewhere = false;  // the same address answered on another port
  std::vector<uint16_t> answered_ports;  // those ports (at most five)
};

// Everything the diagnoses need about failed attempts.
struct TcpAttemptFacts {
  std::vector<TcpScanFacts> scanners;  // most distinct targets first
  uint64_t scan_attempts = 0;
  // Unanswered attempts by service, scanners excluded: outages (several clients) first.
  std::vector<TcpServiceFacts> unanswered_services;
  uint64_t unanswered_attempts = 0, unanswered_retried = 0;  // scanners excluded
  uint64_t refused_attempts = 0;                             // scanners excluded
  TcpExamples refused_examples;                              // scanners excluded
  std::vector<TcpServiceFacts> refused_services;             // most refused first (at most 5)
  // Attempts beyond the collector's bound: in the scanners' counts, not in the services'.
  uint64_t attempts_not_grouped = 0;
};

class TcpAttemptCollector {
 public:
  // Called for every finished connection.
  void Add(const TcpConnectionRecord& c);
  TcpAttemptFacts Judge() const;

 private:
  struct Attempt {
    uint64_t id = 0;
    TcpEndpoint server;
    IpAddress client;
    TcpAttemptOutcome outcome = TcpAttemptOutcome::kUnanswered;
    bool retried = false;
    bool half_open = false;
    uint64_t syn_ack_repeats = 0;
    TcpExample first;  // its first segment
    TcpExample rst;    // the refusing RST
  };
  struct Source {
    uint64_t attempts = 0, open = 0, refused = 0, unanswered = 0;
    std::set<uint16_t> ports;
    std::map<IpAddress, uint64_t> hosts;
  };
  // Bounds for hostile captures: attempts kept for judging, and sources / ports / hosts
  // tracked. Beyond them, counts stay exact but the grouping sees only the first ones.
  static constexpr size_t kMaxAttempts = 1 << 18;
  static constexpr size_t kMaxSources = 1 << 14;
  static constexpr size_t kMaxAnsweringHosts = 1 << 16;

  std::vector<Attempt> attempts_;
  uint64_t attempts_dropped_ = 0;  // beyond kMaxAttempts: counted by source, not grouped
  std::map<IpAddress, Source> sources_;
  std::map<IpAddress, std::set<uint16_t>> answered_;  // server address -> ports that answered
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_TCP_TCP_ATTEMPTS_H_
