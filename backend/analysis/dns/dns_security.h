// Security indicators over the DNS traffic of a capture: tunnelling- and DGA-like names, many
// subdomains under one parent, unusual query types in volume, DNS on non-standard ports and
// NXDOMAIN bursts from one client. Fed one message at a time; state is bounded per key.
#ifndef MCPCAP_BACKEND_ANALYSIS_DNS_DNS_SECURITY_H_
#define MCPCAP_BACKEND_ANALYSIS_DNS_DNS_SECURITY_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "backend/dissect/dns.h"
#include "backend/flow/capture_time.h"
#include "mcpcap/v1/capture.pb.h"

namespace mcpcap {

// Shannon entropy in bits per character of s.
double ShannonEntropy(const std::string& s);
// The registrable parent of a lower-case name ("a.b.example.co.uk" -> "example.co.uk"): the last
// two labels, or three under a two-letter country code with a generic second level. A heuristic
// (no public-suffix list); "" for the root, single labels and reverse-lookup (.arpa) names.
std::string ParentDomain(const std::string& name);

// A frame kept as an example for a finding, with its capture time.
struct DnsExample {
  uint64_t frame = 0;
  CaptureNanos time = 0;
};

class DnsSecurityTally {
 public:
  // One question of a query (qname lower case), in `frame` captured at `time`. Only unicast DNS
  // feeds the indicators: mDNS probes ask ANY and DNS-SD asks TXT by design, and neither is
  // resolved beyond the link; their ANY questions are counted apart, for the evidence.
  void OnQuery(uint64_t frame, CaptureNanos time, const std::string& client,
               const std::string& qname, uint16_t qtype, DnsVariant variant);
  // One unicast DNS response to `client` with `rcode` for its first question.
  void OnResponse(uint64_t frame, CaptureNanos time, const std::string& client,
                  const std::string& qname, uint16_t rcode);
  // A message found on a port not assigned to DNS.
  void OnNonStandardPort(uint64_t frame, CaptureNanos time, uint16_t port);

  std::vector<v1::Finding> Findings() const;

 private:
  struct Examples {
    uint64_t count = 0;
    std::vector<DnsExample> frames;           // the first ten
    std::map<std::string, uint64_t> senders;  // by address, at most 1000
    void Add(uint64_t frame, CaptureNanos time, const std::string& sender = std::string()) {
      ++count;
      if (frames.size() < 10) frames.push_back({frame, time});
      if (!sender.empty() && (senders.size() < 1000 || senders.count(sender) > 0)) {
        ++senders[sender];
      }
    }
  };
  struct Parent {
    std::set<std::string> names;       // unique names under it (capped)
    std::set<std::string> suspicious;  // ... with a long or high-entropy leftmost label (capped)
    std::vector<DnsExample> frames;    // first frames with a suspicious name
    size_t longest_label = 0;
    double max_entropy = 0;
  };
  struct Client {
    uint64_t responses = 0;
    uint64_t nxdomain = 0;
    std::set<std::string> nx_names;  // capped
    std::vector<DnsExample> frames;  // first NXDOMAIN responses
  };

  uint64_t queries_ = 0;                      // unicast DNS questions
  std::map<DnsVariant, uint64_t> other_any_;  // ANY questions of mDNS and LLMNR
  std::map<std::string, Parent> parents_;     // capped in count
  std::map<uint16_t, Examples> query_types_;
  std::map<uint16_t, Examples> odd_ports_;
  std::map<std::string, Client> clients_;  // capped in count
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_DNS_DNS_SECURITY_H_
